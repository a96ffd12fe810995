"""The reach of a network's events, per quarter and region, for the programme evaluation:
events held, registrations, organisations reached, people live, replays (clicks on the
replay link and the video host's own figure, typed in by the network)."""

from dataclasses import dataclass

from django.db.models import Count

from reperes.organisations import reference


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


def quarter(moment):
    return f"{moment.year} T{(moment.month - 1) // 3 + 1}"


def events_reach(network):
    """One row per (quarter of the first session, region of the event), newest first. Four
    queries, whatever the number of events."""
    events = network.network_events.annotate(
        registered=Count("registrations", distinct=True),
        reached=Count("registrations__organisation", distinct=True),
    ).prefetch_related("sessions")
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
    return [rows[key] for key in sorted(rows, reverse=True)]
