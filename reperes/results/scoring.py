"""Scores and figures of a diagnostic, as pure functions of answer counts.

Everything starts from a *distribution*: {item_id: {value: count}}. For individual responses
it is the count of each answer; in collective mode, the hands counted in the meeting (or one
vote for the answer the team agreed). A theme's score is the mean, over the people who answered,
of the points its statements gave, as a share of the most they could give, on a scale of 0 to
SCORE_MAX (5). With the guide's scale (Oui = 1 point, the rest 0) and five statements per theme,
that is the guide's own count: one point per « Oui ». Any scale and any number of statements
give scores that compare, on the same radar.
"""

from dataclasses import dataclass, field

SCORE_MAX = 5


@dataclass
class ItemResult:
    item: dict
    theme_id: str
    counts: dict
    total: int
    shares: dict  # value -> percentage (0-100, rounded, summing to 100)
    points: float  # mean points of this item (0..the scale's maximum)
    weakness: float  # how far the answers fall short of the maximum, on average (0..1)
    fiche: str = ""  # slug of the theme's fiche
    fiche_question: bool = False  # the fiche asks this statement as one of its questions
    labels: dict = field(default_factory=dict)  # value -> label, in scale order
    tones: dict = field(default_factory=dict)  # value -> colour tone (1..4 or "neutral")

    @property
    def legend(self):
        """Per answer, in scale order: its label, share and colour tone."""
        return [
            {
                "value": value,
                "label": self.labels.get(value, value),
                "share": share,
                "tone": self.tones.get(value, 1),
            }
            for value, share in self.shares.items()
        ]

    @property
    def segments(self):
        """Stacked-bar segments (x, width in percent) in scale order, for the SVG bar."""
        x, segments = 0, []
        for value, share in self.shares.items():
            if share:
                segments.append({"value": value, "x": x, "width": share, "tone": self.tones.get(value, 1)})
                x += share
        return segments


@dataclass
class ThemeResult:
    theme: dict
    score: float | None  # mean, 0..max; None when nobody answered
    maximum: float
    items: list = field(default_factory=list)

    @property
    def id(self):
        return self.theme["id"]

    @property
    def level(self):
        """low / medium / high, for the interpretation text."""
        if self.score is None:
            return ""
        ratio = self.score / self.maximum if self.maximum else 0
        if ratio < 0.4:
            return "low"
        if ratio < 0.8:
            return "medium"
        return "high"

    @property
    def items_weakest_first(self):
        return sorted(self.items, key=lambda i: (-i.weakness, i.points))

    @property
    def interpretation(self):
        return self.theme["interpretation"].get(self.level, "") if self.level else ""


def percentages(counts, values):
    """Integer percentages that add up to 100 (largest remainder), in the order of `values`."""
    total = sum(counts.get(v, 0) for v in values)
    if not total:
        return dict.fromkeys(values, 0)
    raw = {v: 100 * counts.get(v, 0) / total for v in values}
    floors = {v: int(raw[v]) for v in values}
    left = 100 - sum(floors.values())
    for v in sorted(values, key=lambda v: raw[v] - floors[v], reverse=True)[:left]:
        floors[v] += 1
    return floors


def item_result(spec, item, theme_id, counts):
    values = spec.values
    counts = {v: int(counts.get(v, 0)) for v in values}
    total = sum(counts.values())
    top = spec.max_points
    if total:
        points = sum(counts[v] * spec.points[v] for v in values) / total
        # With a yes/no scale, the share of answers below the top; with graded answers, a
        # « Souvent » counts for less than a « Jamais ».
        weakness = round(1 - points / top, 9)
    else:
        points, weakness = 0.0, 0.0
    return ItemResult(
        item=item,
        theme_id=theme_id,
        counts=counts,
        total=total,
        shares=percentages(counts, values),
        points=points,
        weakness=weakness,
        labels=spec.labels,
        tones=spec.tones,
    )


def theme_results(spec, distribution):
    """One ThemeResult per theme, in the questionnaire's order."""
    results = []
    for theme in spec.themes:
        items = [
            item_result(spec, item, theme["id"], distribution.get(item["id"], {})) for item in theme["items"]
        ]
        for item in items:
            item.fiche = theme.get("fiche", "")
        answered = [i for i in items if i.total]
        score = scaled(sum(i.points for i in answered), spec.theme_max(theme)) if answered else None
        results.append(ThemeResult(theme=theme, score=score, maximum=SCORE_MAX, items=items))
    return results


def theme_scores(spec, distribution):
    """{theme id: score or None}: the scores of theme_results, without building every
    statement's result (the same additions in the same order, so the same floats)."""
    return {
        theme["id"]: _mean_score(spec, distribution, theme["items"], spec.theme_max(theme))
        for theme in spec.themes
    }


def _mean_score(spec, distribution, items, most):
    """The 0..SCORE_MAX score of `items` out of `most` points: each answered statement's mean
    points, added up; None when none was answered."""
    values, points = spec.values, spec.points
    answered = []
    for item in items:
        given = distribution.get(item["id"], {})
        counts = {v: int(given.get(v, 0)) for v in values}
        total = sum(counts.values())
        if total:
            answered.append(sum(counts[v] * points[v] for v in values) / total)
    return scaled(sum(answered), most) if answered else None


def scaled(points, most):
    """`points` out of `most`, on the 0..SCORE_MAX scale. Rounded so that equal scores reached
    by different additions compare equal (ties)."""
    return round(SCORE_MAX * points / most, 9)


def _lowest(themes, *, count, cap, reverse=False):
    """The `count` lowest (or highest) themes, with every theme tied at the cut, `cap` at most.

    Returns (chosen, tied): when ties at the cut would exceed the cap, `chosen` keeps only the
    themes strictly beyond the cut and `tied` lists the tied ones, for the team to decide.
    """
    scored = [t for t in themes if t.score is not None]
    if not scored:
        return [], []
    ordered = sorted(scored, key=lambda t: t.score, reverse=reverse)
    cut = ordered[min(count, len(ordered)) - 1].score
    beyond = [t for t in ordered if (t.score > cut if reverse else t.score < cut)]
    at_cut = [t for t in ordered if t.score == cut]
    if len(beyond) + len(at_cut) <= cap:
        return beyond + at_cut, []
    return beyond, at_cut


def priorities(themes):
    """The two weakest themes (with ties at the cut, three at most)."""
    return _lowest(themes, count=2, cap=3)


def strengths(themes):
    """The two strongest themes (with ties at the cut, three at most)."""
    return _lowest(themes, count=2, cap=3, reverse=True)


def weakest_items(themes, limit=5):
    """Statements whose answers fall furthest short of the maximum (Non, Je ne sais pas…)."""
    items = [i for t in themes for i in t.items if i.total]
    items.sort(key=lambda i: (-i.weakness, i.points))
    return [i for i in items if i.weakness > 0][:limit]


def divergences(group_results, threshold=1.0):
    """Themes where two shown groups differ by `threshold` points or more.

    group_results: [(label, [ThemeResult…])].
    Returns {theme_id: (lowest group's label, highest group's label, gap)}.
    """
    flags = {}
    if len(group_results) < 2:
        return flags
    theme_ids = [t.id for t in group_results[0][1]]
    for index, theme_id in enumerate(theme_ids):
        scored = [
            (label, results[index].score)
            for label, results in group_results
            if results[index].score is not None
        ]
        if len(scored) < 2:
            continue
        low = min(scored, key=lambda pair: pair[1])
        high = max(scored, key=lambda pair: pair[1])
        gap = high[1] - low[1]
        if gap >= threshold - 1e-9:
            flags[theme_id] = (low[0], high[0], gap)
    return flags


def determinant_scores(spec, distribution):
    """The team's score through the QVT frameworks: [{"title", "group", "entry_name", "rows":
    [{"tag", "label", "score", "statements"}]}], one block per view of frameworks.VIEWS, each
    entry scored as a theme would be over the statements tagged with it or with one of its
    factors (0 to 5, None when none was answered). Entries no statement carries are left out,
    and so is a framework none of the questionnaire's statements is tagged with. Built from the
    same distribution as the themes: it shows nothing the statements' figures do not already
    show."""
    from reperes.instruments.frameworks import entry_tags, views

    tagged = [(item, set(item.get("determinants", ()))) for item in spec.items]
    blocks = []
    for framework, group, entry_name in views():
        rows = []
        for entry in group["entries"]:
            items = [item for item, carried in tagged if carried & entry_tags(entry)]
            if items:
                rows.append(
                    {
                        "tag": entry["tag"],
                        "label": entry["label"],
                        "score": _mean_score(spec, distribution, items, len(items) * spec.max_points),
                        "statements": len(items),
                    }
                )
        if rows:
            blocks.append(
                {"title": framework["title"], "group": group["label"], "entry_name": entry_name, "rows": rows}
            )
    return blocks


def determinant_tag_scores(spec, distribution):
    """{tag: score} of every entry of the frameworks' views that the questionnaire's statements
    carry (determinant_scores, flattened): what a closed campaign stores for the observatory's
    tables by determinant."""
    return {
        row["tag"]: row["score"] for block in determinant_scores(spec, distribution) for row in block["rows"]
    }
