"""The network surveys of a project's period, on the programme evaluation page (hook
`evaluation_panel`, collected by reperes.lib.panels: the evaluation, on a lower floor, imports
nothing from here). The LAB'QVT counts « enquêtes menées » and « réponses de structures aux
enquêtes »: Repères knows them for the surveys it ran, so the network no longer enters them."""

from django.utils import timezone

from reperes.surveys.models import Recipient, Survey
from reperes.surveys.results import row_label


def surveys_of_period(network, start, end, *, today=None):
    """The surveys of `network` open at some point between `start` and `end` (both included),
    each with `targeted` and `answered`: two queries."""
    today = today or timezone.localdate()
    surveys = [
        survey
        for survey in Survey.objects.filter(
            network=network,
            state__in=[Survey.State.OPEN, Survey.State.CLOSED],
            opened_on__lte=end,
        ).order_by("opened_on", "title")
        if (survey.closed_on or today) >= start
    ]
    counts = {survey.pk: [0, 0] for survey in surveys}
    for survey_id, state in Recipient.objects.filter(survey__in=surveys).values_list("survey_id", "state"):
        counts[survey_id][0] += 1
        counts[survey_id][1] += state == Recipient.State.SUBMITTED
    for survey in surveys:
        survey.targeted, survey.answered = counts[survey.pk]
    return surveys


def answers_by_region(surveys):
    """[(region label, answers)] over `surveys`, by the region each organisation had when the
    survey opened, « non renseignée » last: one query. Who answered, never what."""
    rows = {}
    for region in Recipient.objects.filter(survey__in=surveys, state=Recipient.State.SUBMITTED).values_list(
        "region", flat=True
    ):
        rows[region] = rows.get(region, 0) + 1
    return [
        (row_label("region", code), count)
        for code, count in sorted(rows.items(), key=lambda pair: (not pair[0], row_label("region", pair[0])))
    ]


def evaluation_panel(*, project, period, heading_level=3, **kwargs):
    """The surveys of the project's network during `period`, with their answers, in all and by
    region; None when the network ran none then."""
    surveys = surveys_of_period(project.network, period.start, period.end)
    if not surveys:
        return None
    return {
        "template": "surveys/_evaluation_panel.html",
        "surveys": surveys,
        "answers": sum(survey.answered for survey in surveys),
        "targeted": sum(survey.targeted for survey in surveys),
        "by_region": answers_by_region(surveys),
        "heading_level": heading_level,
    }
