"""What the facilitators see of the workshops' satisfaction questionnaires: each session's
figures once it has closed with at least k answers, never per organisation, and programme
totals that add up only the sessions shown, so that a hidden one cannot be recovered by
subtracting the shown ones from the total."""

from dataclasses import dataclass, field

from django.conf import settings

from reperes.results.compute import build_results


@dataclass
class SessionSatisfaction:
    workshop: object
    state: str  # "none" (not sent), "open", "withheld" (< k answers), "shown"
    closes_on: object = None
    responses: int = 0
    themes: list = field(default_factory=list)  # [(short title, score 0–5)]


@dataclass
class CohortSatisfaction:
    sessions: list
    threshold: int
    responses: int = 0  # over the sessions shown only
    themes: list = field(default_factory=list)  # [(short title, mean score over shown sessions)]


def session_satisfaction(workshop, *, k):
    campaign = workshop.satisfaction
    if campaign is None:
        return SessionSatisfaction(workshop, "none")
    if not campaign.is_closed:
        return SessionSatisfaction(workshop, "open", closes_on=campaign.closes_on)
    if not campaign.results_visible:
        return SessionSatisfaction(workshop, "withheld", closes_on=campaign.closes_on)
    results = build_results(campaign, k=k)
    return SessionSatisfaction(
        workshop,
        "shown",
        closes_on=campaign.closes_on,
        responses=campaign.countable_response_count,
        themes=[(theme.theme["short_title"], theme.score) for theme in results.themes],
    )


def cohort_satisfaction(cohort):
    k = settings.ANONYMITY_THRESHOLD
    workshops = cohort.workshops.select_related("satisfaction__questionnaire_version").order_by("number")
    sessions = [session_satisfaction(workshop, k=k) for workshop in workshops if not workshop.is_cancelled]
    shown = [session for session in sessions if session.state == "shown"]
    summary = CohortSatisfaction(sessions=sessions, threshold=k, responses=sum(s.responses for s in shown))
    # Theme by theme, weighted by the answers of each session shown that asked it (the review
    # workshop asks other themes); hidden sessions add nothing.
    sums = {}
    for session in shown:
        for title, score in session.themes:
            total, answers = sums.get(title, (0.0, 0))
            sums[title] = (total + score * session.responses, answers + session.responses)
    summary.themes = [(title, total / answers) for title, (total, answers) in sums.items() if answers]
    return summary
