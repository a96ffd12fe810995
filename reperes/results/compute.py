"""Results of a campaign: reads answer counts from the database, applies the anonymity rules,
and hands pure figures to the templates."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from reperes.campaigns.models import Answer
from reperes.fiches.models import FicheVersion
from reperes.lib.disclosure import shown_groups
from reperes.lib.svg import radar
from reperes.results import scoring
from reperes.results.models import StoredResults

NO_GROUP = "none"


def answer_counts(campaign, group_ids=None):
    """{group_id or NO_GROUP: {item_id: {value: count}}} and {group key: respondents}.

    The figures count every response, paper sheets not yet attested included; whether a group
    may be shown is decided on countable_sizes alone, so that sheets one person typed alone can
    never lift a group over the threshold."""
    rows = (
        Answer.objects.filter(response__campaign=campaign)
        .values("response__group_id", "item_id", "value")
        .annotate(n=Count("*"))
        .order_by()
    )
    by_group = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        key = row["response__group_id"] or NO_GROUP
        by_group[key][row["item_id"]][row["value"]] = row["n"]
    if group_ids is None:
        group_ids = [group.pk for group in campaign.groups.all()]
    sizes = dict.fromkeys(group_ids, 0)
    for row in campaign.responses.values("group_id").annotate(n=Count("*")).order_by():
        sizes[row["group_id"] or NO_GROUP] = row["n"]
    return by_group, sizes


def countable_sizes(campaign, group_ids=None):
    """{group key: respondents that count towards a threshold} (see Response.objects.countable).

    Once closed, the sizes kept at close: the rows no longer say their channel, and responses
    of a group that may not be shown no longer say their group."""
    if group_ids is None:
        group_ids = [group.pk for group in campaign.groups.all()]
    sizes = dict.fromkeys(group_ids, 0)
    if campaign.closing_figures:
        for group_id, n in campaign.closing_figures["groups"].items():
            sizes[int(group_id)] = n
        return sizes
    for row in campaign.responses.countable().values("group_id").annotate(n=Count("*")).order_by():
        sizes[row["group_id"] or NO_GROUP] = row["n"]
    return sizes


def merge(distributions):
    total = defaultdict(lambda: defaultdict(int))
    for distribution in distributions:
        for item_id, counts in distribution.items():
            for value, n in counts.items():
                total[item_id][value] += n
    return total


@dataclass
class GroupView:
    label: str
    size: int
    themes: list


@dataclass
class Results:
    campaign: object
    respondents: int
    themes: list
    priorities: list
    tied: list
    strengths: list
    weakest_items: list
    chart: dict
    groups: list = field(default_factory=list)
    hidden_groups: bool = False
    divergences: dict = field(default_factory=dict)
    group_chart: dict | None = None
    collective_notes: dict = field(default_factory=dict)
    # Open questions: [{"item", "texts"}], whole team only, never per group. For an individual
    # campaign, texts only from the free-text threshold (`open_withheld` says so below it).
    open_answers: list = field(default_factory=list)
    open_withheld: bool = False
    # The scores through the QVT frameworks (scoring.determinant_scores): whole team only.
    determinants: list = field(default_factory=list)

    @property
    def theme_rows(self):
        """Per theme: the overall result and each shown group's score, for the tables."""
        rows = []
        for index, theme in enumerate(self.themes):
            rows.append(
                {
                    "theme": theme,
                    "groups": [group.themes[index].score for group in self.groups],
                    "divergence": self.divergences.get(theme.id),
                }
            )
        return rows


def fiche_question_items(spec):
    """Ids of the statements that the latest version of their theme's fiche asks as one of its
    questions (so that « la question dans la fiche » leads somewhere)."""
    slugs = {theme["fiche"] for theme in spec.themes if theme["fiche"]}
    latest = {}
    for version in FicheVersion.objects.filter(fiche__slug__in=slugs).order_by("fiche_id", "-number"):
        latest.setdefault(version.fiche_id, version)
    return {q["item"] for version in latest.values() for q in version.content.get("questions", [])}


def open_answers(campaign):
    """(lists, withheld): the texts under each open question, for the whole team.

    Individual mode: the anonymous texts, in the order of their random keys (never arrival),
    once the campaign has at least the free-text threshold of responses. Collective mode: the
    lines the meeting wrote, in the order written.
    """
    spec = campaign.spec
    if not spec.text_items:
        return [], False
    if campaign.is_collective:
        rows = [(entry.item_id, entry) for entry in campaign.synthesis_entries.all()]
    elif campaign.free_texts_visible:
        rows = [(row.item_id, row.text) for row in campaign.free_texts.order_by("id")]
    else:
        return [], True
    return [
        {"item": item, "texts": [text for item_id, text in rows if item_id == item["id"]]}
        for item in spec.text_items
    ], False


def figures_from_counts(spec, *, by_group, sizes, groups, countable, countable_total, hidden_at_close, k):
    """The figures of an individual campaign, as a StoredResults row holds them (pure).

    by_group: {group id or NO_GROUP: {item_id: {value: count}}}, values of the scale only;
    sizes: {group key: responses}; groups: [(id, label)] in the campaign's order; countable:
    {group id: responses that count towards k} and countable_total; hidden_at_close: groups
    withheld when the campaign closed.
    """
    distribution = merge(by_group.values())
    keys = shown_groups({group_id: countable.get(group_id, 0) for group_id, _ in groups}, countable_total, k)
    shown = []
    for group_id, label in groups:
        if group_id in keys:
            group_distribution = {item: dict(counts) for item, counts in by_group.get(group_id, {}).items()}
            shown.append(
                {
                    "id": group_id,
                    "label": label,
                    "size": sizes.get(group_id, 0),
                    "distribution": group_distribution,
                    "theme_scores": scoring.theme_scores(spec, group_distribution),
                }
            )
    hidden = any(sizes.get(group_id, 0) > 0 and group_id not in keys for group_id, _ in groups)
    return {
        "respondents": sum(sizes.values()),
        "theme_scores": scoring.theme_scores(spec, distribution),
        "determinant_scores": scoring.determinant_tag_scores(spec, distribution),
        "distribution": {item: dict(counts) for item, counts in distribution.items()},
        "groups": shown,
        "hidden_groups": hidden or bool(hidden_at_close),
    }


def collective_figures(spec, distribution):
    """The figures of a meeting-mode campaign: the hands counted (or agreed answers), no groups."""
    return {
        "respondents": max((sum(counts.values()) for counts in distribution.values()), default=0),
        "theme_scores": scoring.theme_scores(spec, distribution),
        "determinant_scores": scoring.determinant_tag_scores(spec, distribution),
        "distribution": distribution,
        "groups": [],
        "hidden_groups": False,
    }


def live_figures(campaign, *, k):
    """The figures computed from the campaign's rows as they are now (answers, groups)."""
    spec = campaign.spec
    if campaign.is_collective:
        return collective_figures(
            spec, {answer.item_id: answer.distribution() for answer in campaign.collective_answers.all()}
        )
    groups = [(group.pk, group.label) for group in campaign.groups.all()]
    group_ids = [group_id for group_id, _ in groups]
    by_group, sizes = answer_counts(campaign, group_ids)
    # Answers outside the questionnaire's scale count for nothing: kept out of the figures, as
    # the rebuild's grouped query leaves them out (reperes.results.rebuild).
    scale = set(spec.values)
    by_group = {
        key: {item: {v: n for v, n in counts.items() if v in scale} for item, counts in items.items()}
        for key, items in by_group.items()
    }
    return figures_from_counts(
        spec,
        by_group=by_group,
        sizes=sizes,
        groups=groups,
        countable=countable_sizes(campaign, group_ids),
        countable_total=campaign.countable_response_count,
        hidden_at_close=(campaign.closing_figures or {}).get("hidden_groups"),
        k=k,
    )


def stored_figures(campaign, *, k):
    """The figures stored when `campaign` closed, or None (not closed, or not stored yet).

    The groups are those shown at closing; a reader with another threshold than the closing
    one sees only those that can still be shown together under it (as live figures would)."""
    if campaign.state != campaign.State.CLOSED:
        return None
    stored = StoredResults.objects.filter(campaign=campaign).first()
    if stored is None:
        return None
    figures = {
        "respondents": stored.respondents,
        "theme_scores": stored.theme_scores,
        "determinant_scores": stored.determinant_scores,
        "distribution": stored.distribution,
        "groups": stored.groups,
        "hidden_groups": stored.hidden_groups,
        "stored_on": stored.computed_on,
    }
    if stored.groups:
        if campaign.closing_figures:
            countable = {int(key): n for key, n in campaign.closing_figures["groups"].items()}
        else:
            countable = countable_sizes(campaign)
        keys = shown_groups(
            {group["id"]: countable.get(group["id"], 0) for group in stored.groups},
            campaign.countable_response_count,
            k,
        )
        figures["groups"] = [group for group in stored.groups if group["id"] in keys]
        figures["hidden_groups"] = stored.hidden_groups or any(
            group["size"] > 0 and group["id"] not in keys for group in stored.groups
        )
    return figures


def collective_notes(campaign):
    """{item_id: note} written in the meeting (not anonymous, never stored with the figures)."""
    return dict(campaign.collective_answers.exclude(note="").values_list("item_id", "note"))


def build_results(campaign, *, k):
    """The results of `campaign`: those stored at closing when there are, otherwise computed from
    the rows (an open meeting-mode campaign, or one closed before results were stored)."""
    figures = stored_figures(campaign, k=k) or live_figures(campaign, k=k)
    return results_from_figures(campaign, figures)


def results_from_figures(campaign, figures):
    """The Results of `campaign` from its figures (stored or live), with no answer row read."""
    spec = campaign.spec
    themes = scoring.theme_results(spec, figures["distribution"])
    in_fiches = fiche_question_items(spec)
    for theme in themes:
        for item in theme.items:
            item.fiche_question = item.item["id"] in in_fiches
    chosen, tied = scoring.priorities(themes)
    best, _ = scoring.strengths(themes)
    labels = [t.theme["short_title"] for t in themes]
    scale_max = max(t.maximum for t in themes)
    results = Results(
        campaign=campaign,
        respondents=figures["respondents"],
        themes=themes,
        priorities=chosen,
        tied=tied,
        strengths=[t for t in best if t not in chosen],
        weakest_items=scoring.weakest_items(themes),
        chart=radar(labels, [("Toute l'équipe", [t.score for t in themes])], maximum=scale_max),
        collective_notes=collective_notes(campaign) if campaign.is_collective else {},
        determinants=scoring.determinant_scores(spec, figures["distribution"]),
    )
    results.open_answers, results.open_withheld = open_answers(campaign)
    # The day the figures were stored at closing (None for live figures): not a field, so that
    # stored and live results of the same answers compare equal.
    results.stored_on = figures.get("stored_on")
    if campaign.is_collective:
        return results

    results.hidden_groups = figures["hidden_groups"]
    results.groups = [
        GroupView(
            label=group["label"],
            size=group["size"],
            themes=scoring.theme_results(spec, group["distribution"]),
        )
        for group in figures["groups"]
    ]
    results.divergences = scoring.divergences([(g.label, g.themes) for g in results.groups])
    if len(results.groups) >= 2:
        results.group_chart = radar(
            labels,
            [(g.label, [t.score for t in g.themes]) for g in results.groups],
            maximum=scale_max,
        )
    return results
