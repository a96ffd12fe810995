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

NO_GROUP = "none"


def answer_counts(campaign):
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
    sizes = dict.fromkeys([group.pk for group in campaign.groups.all()], 0)
    for row in campaign.responses.values("group_id").annotate(n=Count("*")).order_by():
        sizes[row["group_id"] or NO_GROUP] = row["n"]
    return by_group, sizes


def countable_sizes(campaign):
    """{group key: respondents that count towards a threshold} (see Response.objects.countable).

    Once closed, the sizes kept at close: the rows no longer say their channel, and responses
    of a group that may not be shown no longer say their group."""
    sizes = dict.fromkeys([group.pk for group in campaign.groups.all()], 0)
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


def build_results(campaign, *, k):
    spec = campaign.spec
    notes = {}
    if campaign.is_collective:
        answers = list(campaign.collective_answers.all())
        distribution = {a.item_id: a.distribution() for a in answers}
        notes = {a.item_id: a.note for a in answers if a.note}
        respondents = max((sum(d.values()) for d in distribution.values()), default=0)
        by_group, sizes = {}, {}
    else:
        by_group, sizes = answer_counts(campaign)
        distribution = merge(by_group.values())
        respondents = sum(sizes.values())

    themes = scoring.theme_results(spec, distribution)
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
        respondents=respondents,
        themes=themes,
        priorities=chosen,
        tied=tied,
        strengths=[t for t in best if t not in chosen],
        weakest_items=scoring.weakest_items(themes),
        chart=radar(labels, [("Toute l'équipe", [t.score for t in themes])], maximum=scale_max),
        collective_notes=notes,
    )
    results.open_answers, results.open_withheld = open_answers(campaign)
    if campaign.is_collective:
        return results

    groups = list(campaign.groups.all())
    countable = countable_sizes(campaign)
    keys = shown_groups({g.pk: countable.get(g.pk, 0) for g in groups}, campaign.countable_response_count, k)
    results.hidden_groups = any(sizes.get(g.pk, 0) > 0 and g.pk not in keys for g in groups) or bool(
        (campaign.closing_figures or {}).get("hidden_groups")
    )
    for group in groups:
        if group.pk in keys:
            results.groups.append(
                GroupView(
                    label=group.label,
                    size=sizes[group.pk],
                    themes=scoring.theme_results(spec, by_group.get(group.pk, {})),
                )
            )
    results.divergences = scoring.divergences([(g.label, g.themes) for g in results.groups])
    if len(results.groups) >= 2:
        results.group_chart = radar(
            labels,
            [(g.label, [t.score for t in g.themes]) for g in results.groups],
            maximum=scale_max,
        )
    return results
