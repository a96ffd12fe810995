"""What other pages ask of the maturity self-diagnostic: the dashboard's summary, the weakest
dimensions, and the comparison of two completed assessments (the results page, the comparison
page, and the programme's six-month review, which sits above and imports this)."""

from dataclasses import dataclass

from django.urls import reverse

from reperes.fiches.models import Fiche
from reperes.maturity.models import QUESTIONNAIRE_SLUG, Assessment
from reperes.maturity.scoring import Change, compare_scores

__all__ = [
    "maturity_summary",
    "completed_assessments",
    "previous_completed",
    "weak_themes",
    "dimension_rows",
    "compare_assessments",
    "compare_url",
]


def completed_assessments(organisation):
    """The organisation's completed assessments, latest first."""
    return (
        Assessment.objects.filter(organisation=organisation)
        .completed()
        .select_related("questionnaire_version", "completed_by", "started_by")
        .latest_first()
    )


def previous_completed(assessment):
    """The completed assessment of the same organisation just before `assessment`, or None."""
    return (
        completed_assessments(assessment.organisation)
        .filter(completed_at__lt=assessment.completed_at)
        .exclude(pk=assessment.pk)
        .first()
    )


def maturity_summary(organisation):
    """For the dashboard: {"latest": {...} or None, "draft": {...} or None, "home_url"}.

    latest: completed_on (date), score (0–100), level_label, url. draft: started_on,
    answered, total, url. Two queries."""
    latest = completed_assessments(organisation).first()
    draft = (
        Assessment.objects.filter(organisation=organisation)
        .drafts()
        .select_related("questionnaire_version")
        .first()
    )
    return {
        "home_url": reverse("maturity:home", args=[organisation.slug]),
        "latest": None
        if latest is None
        else {
            "completed_on": latest.completed_at.date(),
            "score": latest.overall_score,
            "level_label": latest.overall_level["label"],
            "url": reverse("maturity:results", args=[organisation.slug, latest.pk]),
        },
        "draft": None
        if draft is None
        else {
            "started_on": draft.created_at.date(),
            "answered": draft.answered_count,
            "total": len(draft.spec.item_ids),
            "url": reverse(
                "maturity:answer", args=[organisation.slug, draft.pk, draft.next_dimension_number]
            ),
        },
    }


@dataclass(frozen=True)
class DimensionRow:
    """A dimension of a completed assessment, as its pages show it."""

    dimension: dict
    score: float
    level: dict
    next_step: dict
    note: str
    fiches: list  # [{"slug", "title"}] of the next step, as loaded

    @property
    def theme_key(self):
        """How the network's offers name this dimension."""
        return f"{QUESTIONNAIRE_SLUG}:{self.dimension['id']}"


def dimension_rows(assessment, *, with_fiches=False):
    """[DimensionRow] in the definition's order, from the scores frozen at completion; with
    `with_fiches`, the titles of the next steps' fiches (one query; a fiche not loaded is left
    out)."""
    titles = {}
    if with_fiches:
        slugs = {
            slug
            for d in assessment.dimensions
            for step in d["next_steps"].values()
            for slug in step["fiches"]
        }
        titles = dict(Fiche.objects.filter(slug__in=slugs).values_list("slug", "title"))
    rows = []
    for dimension in assessment.dimensions:
        stored = assessment.scores["dimensions"].get(dimension["id"]) or {}
        level = assessment.level(stored.get("level"))
        if level is None:
            continue
        rows.append(
            DimensionRow(
                dimension=dimension,
                score=stored["score"],
                level=level,
                next_step=dimension["next_steps"][level["id"]],
                note=assessment.notes.get(dimension["id"], ""),
                fiches=[
                    {"slug": slug, "title": titles[slug]}
                    for slug in dimension["next_steps"][level["id"]]["fiches"]
                    if slug in titles
                ],
            )
        )
    return rows


def weak_themes(assessment, limit=3):
    """« maturite-numerique:<dimension> » of the weakest dimensions, weakest first (ties in the
    definition's order), below the top level only: an established practice is not a weakness."""
    top = assessment.spec.levels[-1]["id"]
    rows = [row for row in dimension_rows(assessment) if row.level["id"] != top]
    rows.sort(key=lambda row: row.score)
    return [row.theme_key for row in rows[:limit]]


@dataclass(frozen=True)
class ComparisonRow:
    dimension: dict
    change: Change
    before_level: dict | None
    after_level: dict | None


def compare_assessments(before, after):
    """[ComparisonRow] per dimension of `after`, with the change since `before` (two completed
    assessments of one organisation, in any order of dates)."""
    ids = [dimension["id"] for dimension in after.dimensions]
    changes = compare_scores(ids, before.scores, after.scores)
    return [
        ComparisonRow(
            dimension=dimension,
            change=change,
            before_level=before.level(change.before_level),
            after_level=after.level(change.after_level),
        )
        for dimension, change in zip(after.dimensions, changes, strict=True)
    ]


def compare_url(organisation, before, after):
    """The comparison page of two completed assessments (for links from other pages)."""
    return f"{reverse('maturity:compare', args=[organisation.slug])}?avant={before.pk}&apres={after.pk}"
