"""Workshops as calendar events (issue 12, « Calendar »): published files and feeds in Europe/Paris
time, the same UID with a higher SEQUENCE when a session moves, STATUS:CANCELLED when it is
cancelled, no event before the date is fixed, and scheduling messages in mails."""

import json
from datetime import date, datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from reperes.lib.mail import ERASED, queue_mail, send_templated_mail
from reperes.organisations.models import Membership
from reperes.programmes.calendar import (
    PARIS,
    participant_feed,
    publish_calendar,
    scheduling_message,
    workshop_event,
)
from reperes.programmes.models import Cohort, Enrolment, Participant, Programme, ProgrammeVersion, Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.programmes.calendar_urls")]

SEPT_14 = datetime(2027, 9, 14, 9, 30, tzinfo=PARIS)


@pytest.fixture
def cohort(network, fiona):
    programme = Programme.objects.create(slug="qvt", title="Qualité de vie au travail")
    version = ProgrammeVersion.objects.create(
        programme=programme, number=1, content_hash="x", source="t", content={}
    )
    cohort = Cohort.objects.create(
        network=network,
        programme_version=version,
        name="Cohorte Vienne 2027",
        places=8,
        location="Maison des associations, Poitiers",
        state=Cohort.State.RUNNING,
    )
    cohort.facilitators.add(fiona)
    return cohort


def add_workshop(cohort, number, **fields):
    fields = {
        "title": f"Séance {number}",
        "duration_minutes": 180,
        "precision": Workshop.Precision.EXACT,
        "starts_at": SEPT_14,
        **fields,
    }
    return Workshop.objects.create(cohort=cohort, number=number, **fields)


@pytest.fixture
def workshop(cohort):
    return add_workshop(cohort, 1, title="Diagnostiquer", location="Salle Jean Moulin, Poitiers")


@pytest.fixture
def enrolment(cohort, org_a):
    return Enrolment.objects.create(cohort=cohort, organisation=org_a, state=Enrolment.State.ACCEPTED)


@pytest.fixture
def bob_participant(enrolment, bob):
    membership = Membership.objects.get(user=bob, organisation=enrolment.organisation)
    return Participant.objects.create(enrolment=enrolment, membership=membership)


def parse(content):
    return Calendar.from_ical(content)


def events(content):
    return parse(content).walk("VEVENT")


def request_for(workshop, method="REQUEST"):
    return scheduling_message(
        workshop,
        method=method,
        organizer_email="fiona@example.org",
        organizer_name="Fiona",
        attendees=[("bob@example.org", "Bob"), ("alice@example.org", "Alice")],
    )


# Published files


def test_a_dated_workshop_is_published_in_paris_time_with_its_timezone(workshop):
    content = publish_calendar([workshop], name="Ateliers — Cohorte Vienne 2027")
    calendar = parse(content)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["VERSION"] == "2.0"
    assert "Repères" in calendar["PRODID"]
    assert calendar["X-WR-CALNAME"] == "Ateliers — Cohorte Vienne 2027"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    [event] = calendar.walk("VEVENT")
    assert b"DTSTART;TZID=Europe/Paris:20270914T093000" in content
    assert b"DTEND;TZID=Europe/Paris:20270914T123000" in content
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt == SEPT_14
    assert (event["DTSTART"].dt.hour, event["DTSTART"].dt.minute) == (9, 30)
    assert event["DTSTART"].dt.utcoffset().total_seconds() == 2 * 3600  # summer time
    assert event["DTSTAMP"].dt.tzinfo is not None and event["DTSTAMP"].dt.utcoffset().total_seconds() == 0
    assert event["UID"] == f"{workshop.uid}@testserver"
    assert event["SEQUENCE"] == 0
    assert event["SUMMARY"] == "Atelier 1 : Diagnostiquer — Cohorte Vienne 2027"
    assert event["LOCATION"] == "Salle Jean Moulin, Poitiers"
    assert event["STATUS"] == "CONFIRMED"


def test_a_winter_session_keeps_its_wall_time(cohort):
    winter = add_workshop(cohort, 2, starts_at=datetime(2027, 12, 7, 14, 0, tzinfo=PARIS))
    content = publish_calendar([winter], name="Ateliers")
    assert b"DTSTART;TZID=Europe/Paris:20271207T140000" in content
    [event] = events(content)
    assert event["DTSTART"].dt.utcoffset().total_seconds() == 3600


def test_a_workshop_without_a_place_of_its_own_is_at_the_cohorts_usual_place(cohort):
    event = workshop_event(add_workshop(cohort, 2))
    assert event["LOCATION"] == "Maison des associations, Poitiers"


def test_a_remote_workshop_is_at_a_distance_with_its_link(cohort):
    remote = add_workshop(
        cohort, 2, format=Workshop.Format.REMOTE, remote_link="https://visio.example.org/atelier-2"
    )
    event = workshop_event(remote)
    assert event["LOCATION"] == "À distance"
    assert event["URL"] == "https://visio.example.org/atelier-2"
    assert "Lien de connexion : https://visio.example.org/atelier-2" in event["DESCRIPTION"]


def test_an_onsite_workshop_offers_its_link_as_a_fallback(cohort):
    onsite = add_workshop(cohort, 2, location="Poitiers", remote_link="https://visio.example.org/secours")
    event = workshop_event(onsite)
    assert event["LOCATION"] == "Poitiers"
    assert "Format : Sur place" in event["DESCRIPTION"]
    assert "Si vous ne pouvez pas venir sur place : https://visio.example.org/secours" in event["DESCRIPTION"]
    assert "URL" not in event


def test_a_moved_workshop_keeps_its_uid_with_a_higher_sequence(workshop):
    [before] = events(publish_calendar([workshop], name="Ateliers"))
    workshop.starts_at = datetime(2027, 9, 21, 14, 0, tzinfo=PARIS)
    workshop.sequence += 1
    workshop.save()
    workshop.refresh_from_db()
    content = publish_calendar([workshop], name="Ateliers")
    [after] = events(content)
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert b"DTSTART;TZID=Europe/Paris:20270921T140000" in content


def test_a_cancelled_workshop_stays_in_the_calendar_as_cancelled(workshop):
    workshop.cancelled_at = timezone.now()
    workshop.sequence += 1
    workshop.save()
    [event] = events(publish_calendar([workshop], name="Ateliers"))
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "annulé" in event["DESCRIPTION"]


def test_a_workshop_known_by_its_week_or_month_has_no_event(cohort, workshop):
    add_workshop(
        cohort,
        2,
        precision=Workshop.Precision.WEEK,
        starts_at=None,
        week_of=date(2027, 10, 4),
    )
    add_workshop(cohort, 3, precision=Workshop.Precision.MONTH, starts_at=None, month=date(2027, 11, 1))
    # A time left from a poll does not make an event while the date is not fixed.
    add_workshop(cohort, 4, precision=Workshop.Precision.WEEK)
    found = events(publish_calendar(cohort.workshops.all(), name="Ateliers"))
    assert [event["SUMMARY"] for event in found] == ["Atelier 1 : Diagnostiquer — Cohorte Vienne 2027"]


def test_a_calendar_of_undated_workshops_only_has_no_event(cohort):
    add_workshop(cohort, 2, precision=Workshop.Precision.MONTH, starts_at=None)
    calendar = parse(publish_calendar(cohort.workshops.all(), name="Ateliers"))
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar.walk("VEVENT") == []


# Scheduling messages


def test_a_request_names_the_organizer_and_the_attendees(workshop):
    content = request_for(workshop)
    calendar = parse(content)
    assert calendar["METHOD"] == "REQUEST"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"{workshop.uid}@testserver"
    assert event["STATUS"] == "CONFIRMED"
    assert b"DTSTART;TZID=Europe/Paris:20270914T093000" in content
    assert event["ORGANIZER"] == "mailto:fiona@example.org"
    assert event["ORGANIZER"].params["CN"] == "Fiona"
    attendees = event["ATTENDEE"]
    assert [str(attendee) for attendee in attendees] == ["mailto:bob@example.org", "mailto:alice@example.org"]
    bob = attendees[0]
    assert bob.params["CN"] == "Bob"
    assert bob.params["ROLE"] == "REQ-PARTICIPANT"
    assert bob.params["PARTSTAT"] == "NEEDS-ACTION"
    assert bob.params["RSVP"] == "FALSE"


def test_a_cancel_keeps_the_uid_with_the_sequence_given(workshop):
    [request] = events(request_for(workshop))
    workshop.cancelled_at = timezone.now()
    workshop.sequence = 2
    workshop.save()
    calendar = parse(request_for(workshop, method="CANCEL"))
    assert calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == request["UID"]
    assert event["SEQUENCE"] == 2
    assert event["STATUS"] == "CANCELLED"
    assert event["ORGANIZER"] == "mailto:fiona@example.org"
    assert len(event["ATTENDEE"]) == 2


def test_an_undated_workshop_is_never_requested(cohort):
    undated = add_workshop(cohort, 2, precision=Workshop.Precision.MONTH, starts_at=None)
    with pytest.raises(ValueError):
        request_for(undated)


def test_a_date_withdrawn_is_cancelled_under_the_same_uid(workshop):
    [request] = events(request_for(workshop))
    workshop.precision, workshop.starts_at, workshop.week_of = (
        Workshop.Precision.WEEK,
        None,
        date(2027, 10, 4),
    )
    workshop.sequence += 1
    calendar = parse(request_for(workshop, method="CANCEL"))
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == request["UID"]
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    assert "DTSTART" not in event and calendar.walk("VTIMEZONE") == []


def test_the_organizer_may_be_given_as_a_from_header(workshop):
    content = scheduling_message(
        workshop,
        method="REQUEST",
        organizer_email="Repères <ne-pas-repondre@reperes.example>",
        organizer_name="Réseau ESS test",
        attendees=[("bob@example.org", "Bob")],
    )
    [event] = events(content)
    assert event["ORGANIZER"] == "mailto:ne-pas-repondre@reperes.example"
    assert event["ORGANIZER"].params["CN"] == "Réseau ESS test"


def test_a_cancelled_workshop_is_not_requested_again(workshop):
    workshop.cancelled_at = timezone.now()
    with pytest.raises(ValueError):
        request_for(workshop)
    with pytest.raises(ValueError):
        request_for(workshop, method="PUBLISH")


# The participant's feed


def test_a_participants_feed_lists_the_cohorts_dated_workshops(cohort, workshop, bob_participant):
    add_workshop(cohort, 2, starts_at=datetime(2027, 10, 12, 9, 30, tzinfo=PARIS))
    add_workshop(cohort, 3, precision=Workshop.Precision.MONTH, starts_at=None)
    calendar = parse(participant_feed(bob_participant))
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Ateliers — Cohorte Vienne 2027"
    assert [event["SUMMARY"].split(" —")[0] for event in calendar.walk("VEVENT")] == [
        "Atelier 1 : Diagnostiquer",
        "Atelier 2 : Séance 2",
    ]


def test_the_feed_of_a_participant_whose_enrolment_is_not_accepted_has_no_event(workshop, bob_participant):
    bob_participant.enrolment.state = Enrolment.State.DECLINED
    bob_participant.enrolment.save()
    assert events(participant_feed(bob_participant)) == []


def test_the_feed_is_read_without_a_session_by_its_token(client, workshop, bob_participant):
    response = client.get(reverse("programmes:feed", args=[bob_participant.feed_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="ateliers.ics"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    [event] = events(response.content)
    assert event["UID"] == f"{workshop.uid}@testserver"


def test_a_feed_by_an_unknown_token_is_404(client, bob_participant):
    assert client.get(reverse("programmes:feed", args=["pas-le-bon-jeton"])).status_code == 404


def test_the_feed_of_a_declined_enrolment_is_empty(client, workshop, bob_participant):
    Enrolment.objects.filter(pk=bob_participant.enrolment_id).update(state=Enrolment.State.DECLINED)
    response = client.get(reverse("programmes:feed", args=[bob_participant.feed_token]))
    assert response.status_code == 200
    assert events(response.content) == []


# One session's file


def workshop_url(enrolment_or_cohort, number, *, facilitator=False):
    if facilitator:
        cohort = enrolment_or_cohort
        return reverse("programmes:facilitator_workshop_ics", args=[cohort.network.slug, cohort.pk, number])
    enrolment = enrolment_or_cohort
    return reverse("programmes:workshop_ics", args=[enrolment.organisation.slug, enrolment.cohort_id, number])


def test_a_participant_downloads_a_sessions_file(client_of, bob, workshop, enrolment, bob_participant):
    response = client_of(bob).get(workshop_url(enrolment, 1))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="atelier-1.ics"'
    calendar = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"{workshop.uid}@testserver"


def test_a_pilot_downloads_a_sessions_file(client_of, alice, workshop, enrolment):
    assert client_of(alice).get(workshop_url(enrolment, 1)).status_code == 200


def test_an_outsider_or_a_member_not_taking_part_gets_404(client_of, bob, dave, workshop, enrolment):
    assert client_of(dave).get(workshop_url(enrolment, 1)).status_code == 404
    assert client_of(bob).get(workshop_url(enrolment, 1)).status_code == 404  # not named participant


def test_an_undated_or_missing_session_has_no_file(client_of, alice, cohort, workshop, enrolment):
    add_workshop(cohort, 2, precision=Workshop.Precision.WEEK, starts_at=None)
    assert client_of(alice).get(workshop_url(enrolment, 2)).status_code == 404
    assert client_of(alice).get(workshop_url(enrolment, 9)).status_code == 404


def test_a_facilitator_downloads_a_sessions_file(client_of, fiona, nina, cohort, workshop):
    response = client_of(fiona).get(workshop_url(cohort, 1, facilitator=True))
    assert response.status_code == 200
    [event] = events(response.content)
    assert event["SUMMARY"] == "Atelier 1 : Diagnostiquer — Cohorte Vienne 2027"
    # A network role that does not run this cohort.
    assert client_of(nina).get(workshop_url(cohort, 1, facilitator=True)).status_code == 404


# Mails with a calendar


def test_a_mail_with_a_calendar_carries_it_as_an_invitation(mailoutbox, workshop):
    content = request_for(workshop)
    queue_mail(
        "bob@example.org",
        "Atelier 1 : invitation",
        "Bonjour Bob",
        calendar=content,
        calendar_method="REQUEST",
    )
    [message] = mailoutbox
    assert message.to == ["bob@example.org"]
    assert message.body == "Bonjour Bob\n"
    [(alternative, mimetype)] = message.alternatives
    assert mimetype == "text/calendar; method=REQUEST; charset=UTF-8"
    assert parse(alternative)["METHOD"] == "REQUEST"
    parts = {part.get_content_type(): part for part in message.message().walk()}
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    assert parts["text/plain"].get_content().strip() == "Bonjour Bob"
    assert parts["application/ics"].get_filename() == "invitation.ics"
    assert parse(parts["application/ics"].get_content())["METHOD"] == "REQUEST"


def test_a_mail_without_a_calendar_stays_plain(mailoutbox):
    queue_mail("bob@example.org", "Objet", "Corps")
    [message] = mailoutbox
    assert getattr(message, "alternatives", []) == []
    assert message.attachments == []


def test_a_calendar_needs_its_method(workshop):
    with pytest.raises(ValueError):  # REQUEST, CANCEL or PUBLISH (a network event's calendar)
        queue_mail(
            "bob@example.org", "Objet", "Corps", calendar=request_for(workshop), calendar_method="REPLY"
        )


def run_worker():
    """django_tasks_db's worker until the queue is empty (as in tests/lib/test_mail_tasks.py)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def test_a_sent_invitations_task_row_forgets_the_calendar(
    settings, mailoutbox, workshop, bob, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    content = request_for(workshop)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_templated_mail(
            bob.email,
            "accounts/email/verify",
            {"user": bob, "url": "/lien/"},
            calendar=content,
            calendar_method="REQUEST",
        )
    queued = DBTaskResult.objects.get().args_kwargs
    assert queued["kwargs"]["calendar_method"] == "REQUEST"
    assert "mailto:alice@example.org" in queued["kwargs"]["calendar"]
    assert mailoutbox == []

    run_worker()
    [message] = mailoutbox
    assert message.alternatives[0].mimetype.startswith("text/calendar; method=REQUEST")
    row = DBTaskResult.objects.get()
    assert row.status == "SUCCESSFUL"
    key = row.args_kwargs["args"][0]
    assert row.args_kwargs == {"args": [key, ERASED, ERASED, ERASED], "kwargs": {}}
    stored = json.dumps([row.args_kwargs, row.return_value, row.traceback])
    for secret in ("bob@example.org", "alice@example.org", "VCALENDAR", "Diagnostiquer"):
        assert secret not in stored
