"""The reach of a network's events, per quarter and region, for the programme evaluation:
events held, registrations, organisations reached, people live, replays (clicks on the
replay link and the video host's own figure, typed in by the network)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from reperes.organisations import reference
from reperes.results.compute import build_results


@dataclass
class ReachRow:
    period: str
    region: str
    events: int = 0
    registrations: int = 0
    organisations: int = 0
    live: int = 0
    replay_clicks: int = 0
    host_views: int = 0
    satisfaction_answers: int = 0  # over the events whose questionnaire is shown only
    satisfaction_total: float = 0.0

    @property
    def satisfaction(self):
        if not self.satisfaction_answers:
            return None
        return self.satisfaction_total / self.satisfaction_answers


def quarter(moment):
    return f"{moment.year} T{(moment.month - 1) // 3 + 1}"


def events_reach(network):
    """One row per (quarter of the first session, region of the event), newest first. Four
    queries, whatever the number of events."""
    events = (
        network.network_events.annotate(
            registered=Count("registrations", distinct=True),
            reached=Count("registrations__organisation", distinct=True),
        )
        .prefetch_related("sessions")
        .select_related("satisfaction")
    )
    rows = {}
    for event in events:
        sessions = list(event.sessions.all())
        if not sessions:
            continue
        key = (quarter(min(s.starts_at for s in sessions)), event.region)
        row = rows.setdefault(
            key,
            ReachRow(
                period=key[0], region=reference.label("regions", event.region) if event.region else "National"
            ),
        )
        row.events += 1
        row.registrations += event.registered
        row.organisations += event.reached
        row.live += sum(s.live_attendance or 0 for s in sessions)
        row.replay_clicks += event.replay_clicks
        row.host_views += event.host_views or 0
        figures = event_satisfaction_figures(event)
        if figures and figures["shown"]:
            row.satisfaction_answers += figures["answers"]
            row.satisfaction_total += figures["score"] * figures["answers"]
    return [rows[key] for key in sorted(rows, reverse=True)]


def event_satisfaction_figures(event):
    """The event's satisfaction: None when not sent; else its state, and once closed with at
    least k answers its score (0 to 5) and number of answers. Never anything below k."""
    campaign = event.satisfaction
    if campaign is None:
        return None
    if not campaign.is_closed:
        return {"shown": False, "open": True, "closes_on": campaign.closes_on}
    if not campaign.results_visible:
        return {"shown": False, "open": False, "threshold": settings.ANONYMITY_THRESHOLD}
    results = build_results(campaign, k=settings.ANONYMITY_THRESHOLD)
    return {
        "shown": True,
        "score": results.themes[0].score,
        "answers": campaign.countable_response_count,
    }
