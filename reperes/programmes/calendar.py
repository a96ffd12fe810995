"""A cohort's workshops as iCalendar events (RFC 5545), in Europe/Paris time.

- **Published** (METHOD:PUBLISH): a file per session and a participant's private feed. A
  calendar that imported or subscribed to it updates the event with the same UID when its
  SEQUENCE is higher (a moved session), and shows it cancelled with STATUS:CANCELLED.
- **Scheduling messages** (RFC 5546, METHOD:REQUEST or CANCEL), attached to the invitation and
  change emails, name an ORGANIZER and the ATTENDEEs, so that mail clients offer to add,
  move or remove the event in the participant's own calendar.

A session known only by its week or month (`is_dated` false) makes no event until its date is
fixed; if its date goes back to a week or a month, a CANCEL removes the event sent before.
These functions read the database and write nothing.
"""

from datetime import date, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress

from reperes.programmes.models import Workshop

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//Repères//Ateliers des parcours//FR"
# How often a subscribed calendar should fetch the feed again (clients may choose otherwise).
FEED_REFRESH = timedelta(hours=6)
METHODS = {"REQUEST", "CANCEL"}


def event_uid(workshop):
    """The UID every version of the workshop's event keeps: its own, at the site's host."""
    return f"{workshop.uid}@{urlsplit(settings.SITE_URL).hostname}"


def workshop_event(workshop):
    """The VEVENT of a workshop (or of a network event's session: anything with the same
    calendar attributes), confirmed or cancelled, with its times (DTSTART, DTEND) only if it is
    dated: every message but a CANCEL needs them."""
    location = workshop.calendar_location or None
    lines = []
    if workshop.is_cancelled:
        lines.append("Cette séance est annulée.")
    lines.append(f"Format : {workshop.get_format_display()}")
    if workshop.remote_link and workshop.format == Workshop.Format.ONSITE:
        lines.append(f"Si vous ne pouvez pas venir sur place : {workshop.remote_link}")
    elif workshop.remote_link:
        lines.append(f"Lien de connexion : {workshop.remote_link}")
    # Where a session held (also) at a distance takes place, for clients that show a link.
    url = workshop.remote_link if workshop.format != Workshop.Format.ONSITE else ""
    event = Event.new(
        uid=event_uid(workshop),
        sequence=workshop.sequence,
        summary=workshop.calendar_summary,
        location=location,
        description="\n".join(lines),
        url=url or None,
        status="CANCELLED" if workshop.is_cancelled else "CONFIRMED",
    )
    if workshop.is_dated:
        event.start = workshop.starts_at.astimezone(PARIS)
        event.end = event.start + timedelta(minutes=workshop.duration_minutes)
    return event


def publish_calendar(workshops, *, name):
    """A calendar file (bytes) of the dated `workshops`, cancelled ones included, with the
    Europe/Paris VTIMEZONE their times refer to."""
    calendar = _calendar(method="PUBLISH", name=name)
    dated = [workshop for workshop in workshops if workshop.is_dated]
    for workshop in dated:
        calendar.add_component(workshop_event(workshop))
    _add_timezone(calendar, [workshop.starts_at for workshop in dated])
    return calendar.to_ical()


def scheduling_message(workshop, *, method, organizer_email, organizer_name, attendees):
    """A scheduling message (bytes) for one workshop: REQUEST to add it to or move it in the
    attendees' calendars (a dated workshop only), CANCEL to remove it from there (a cancelled
    workshop, or one whose date went back to a week or a month). `organizer_email` may be a
    header such as DEFAULT_FROM_EMAIL; `attendees` are (email, name) pairs.

    The event keeps the workshop's UID and SEQUENCE: the caller raises the sequence when the
    session moves or is cancelled, so that the message replaces the one sent before."""
    if method not in METHODS:
        raise ValueError(f"Unknown scheduling method: {method}")
    if method == "REQUEST" and not workshop.is_dated:
        raise ValueError("An undated workshop has no calendar event.")
    if method == "REQUEST" and workshop.is_cancelled:
        raise ValueError("A cancelled workshop is announced with CANCEL, not REQUEST.")
    event = workshop_event(workshop)
    if method == "CANCEL":
        event.status = "CANCELLED"
    event.organizer = _address(parseaddr(organizer_email)[1], CN=organizer_name)
    for email, name in attendees:
        event.add(
            "attendee",
            _address(
                email,
                CN=name,
                CUTYPE="INDIVIDUAL",
                ROLE="REQ-PARTICIPANT",
                PARTSTAT="NEEDS-ACTION",
                RSVP="FALSE",
            ),
        )
    calendar = _calendar(method=method)
    calendar.add_component(event)
    _add_timezone(calendar, [workshop.starts_at] if workshop.is_dated else [])
    return calendar.to_ical()


def participant_feed(participant):
    """The private feed (bytes) of a participant: the cohort's workshops while their
    organisation's enrolment is accepted, else a calendar without events."""
    enrolment = participant.enrolment
    cohort = enrolment.cohort
    workshops = cohort.workshops.all() if enrolment.is_accepted else []
    return publish_calendar(workshops, name=f"Ateliers — {cohort.name}")


def _calendar(*, method, name=None):
    calendar = Calendar.new(prodid=PRODID, method=method, name=name)
    # Calendar.new gives the calendar a random UID (optional in RFC 7986): each download of the
    # same feed would look like a new calendar.
    del calendar["UID"]
    if method == "PUBLISH":
        calendar.refresh_interval = FEED_REFRESH
    return calendar


def _add_timezone(calendar, datetimes):
    """The VTIMEZONE of Europe/Paris, with its transitions over the years the events span."""
    if not datetimes:
        return
    years = [moment.astimezone(PARIS).year for moment in datetimes]
    calendar.add_missing_timezones(first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 12, 31))


def _address(email, **params):
    address = vCalAddress(f"mailto:{email}")
    for key, value in params.items():
        if value:
            address.params[key] = value
    return address
