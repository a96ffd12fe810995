"""Network events: the network creates a webinar or a conference of several sessions, members
of its organisations register (a calendar in the confirmation), live attendance and the video
host's figures are typed in, replays are counted as clicks, and the reach is read per quarter
and region."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.lib.actions import ActionRefused
from reperes.programmes import actions
from reperes.programmes.models import NetworkEvent, Registration
from reperes.programmes.reach import events_reach
from tests.helpers import page_text
from tests.organisations.factories import MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def webinar(network, fiona):
    return actions.create_event(
        network,
        by=fiona,
        sessions=[(timezone.now() + timedelta(days=10), 90, "")],
        kind=NetworkEvent.Kind.WEBINAR,
        title="Lancement du parcours télétravail",
        region="75",
        format="remote",
        remote_link="https://visio.example.org/lancement",
        replay_link="https://video.example.org/replay",
    )


def test_a_facilitator_creates_a_conference_of_four_sessions_through_the_page(client_of, fiona, network):
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {
        "kind": "conference",
        "title": "Conférence sociale régionale",
        "region": "28",
        "format": "hybrid",
        "location": "Caen",
        "registrations_open": "on",
    }
    for n in range(1, 5):
        data |= {
            f"date_{n}": day,
            f"time_{n}": f"{8 + 2 * n:02d}:00",
            f"duration_{n}": "90",
            f"title_{n}": f"Table {n}",
        }

    response = client_of(fiona).post(reverse("programmes:event_create", args=["reseau"]), data)

    event = NetworkEvent.objects.get()
    assert response.status_code == 302
    assert [s.title for s in event.sessions.all()] == ["Table 1", "Table 2", "Table 3", "Table 4"]
    assert timezone.localtime(event.sessions.first().starts_at).hour == 10


def test_an_analyst_and_another_network_see_nothing(client_of, webinar, nina):
    assert client_of(nina).get(reverse("programmes:events", args=["reseau"])).status_code == 404
    assert client_of(nina).get(reverse("programmes:event", args=["reseau", webinar.pk])).status_code == 404


def test_a_member_registers_once_and_gets_the_calendar(
    client_of, webinar, bob, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_of(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programmes:event_register", args=["jardins", webinar.pk]))
    assert response.status_code == 302

    registration = Registration.objects.get()
    assert (registration.user, registration.organisation.slug) == (bob, "jardins")
    (mail,) = mailoutbox
    calendar = next(
        icalendar.Calendar.from_ical(content)
        for content, mimetype in mail.alternatives
        if mimetype.startswith("text/calendar")
    )
    assert calendar["METHOD"] == "PUBLISH"
    assert len(calendar.walk("VEVENT")) == 1
    page = page_text(client.get(reverse("programmes:space_event", args=["jardins", webinar.pk])))
    assert "https://visio.example.org/lancement" in page  # the link, once registered

    again = client.post(reverse("programmes:event_register", args=["jardins", webinar.pk]), follow=True)
    assert "déjà inscrit·e" in page_text(again)
    assert Registration.objects.count() == 1


def test_the_connection_link_is_for_registered_members_only(client_of, webinar, bob):
    page = page_text(client_of(bob).get(reverse("programmes:space_event", args=["jardins", webinar.pk])))
    assert "https://visio.example.org/lancement" not in page


def test_an_organisation_outside_the_network_cannot_see_or_register(client_of, webinar):
    outsider = OrganisationFactory(slug="ailleurs")
    NetworkFactory(slug="autre").affiliations.create(organisation=outsider)
    lead = MembershipFactory(organisation=outsider, role="lead").user
    client = client_of(lead)
    assert client.get(reverse("programmes:space_event", args=["ailleurs", webinar.pk])).status_code == 404
    assert client.post(reverse("programmes:event_register", args=["ailleurs", webinar.pk])).status_code == 404
    with pytest.raises(ActionRefused):
        actions.register(webinar, user=lead, organisation=outsider)
    assert not Registration.objects.exists()


def test_registering_for_a_past_event_or_closed_registrations_is_refused(webinar, bob, org_a):
    webinar.registrations_open = False
    webinar.save()
    with pytest.raises(ActionRefused, match="closes"):
        actions.register(webinar, user=bob, organisation=org_a)
    webinar.registrations_open = True
    webinar.save()
    webinar.sessions.update(starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ActionRefused, match="passé"):
        actions.register(webinar, user=bob, organisation=org_a)


def test_replays_are_counted_as_clicks_without_knowing_who(client_of, webinar, bob, alice):
    for user in (bob, alice, bob):
        response = client_of(user).post(reverse("programmes:event_replay", args=["jardins", webinar.pk]))
        assert response.status_code == 302 and response["Location"] == "https://video.example.org/replay"
    webinar.refresh_from_db()
    assert webinar.replay_clicks == 3
    # A GET never counts.
    assert (
        client_of(bob).get(reverse("programmes:event_replay", args=["jardins", webinar.pk])).status_code
        == 405
    )


def test_live_attendance_is_typed_only_for_sessions_held(client_of, webinar, fiona):
    session = webinar.sessions.get()
    url = reverse("programmes:event_reach", args=["reseau", webinar.pk])
    with pytest.raises(ActionRefused, match="pas encore eu lieu"):
        actions.record_reach(webinar, live_attendance={session: 50}, host_views=None, by=fiona)
    session.starts_at = timezone.now() - timedelta(hours=3)
    session.save()

    client_of(fiona).post(url, {f"live_{session.pk}": "212", "host_views": "400"})

    session.refresh_from_db()
    webinar.refresh_from_db()
    assert (session.live_attendance, webinar.host_views) == (212, 400)
    bad = client_of(fiona).post(url, {f"live_{session.pk}": "-3"}, follow=True)
    assert "des nombres entiers, positifs" in page_text(bad)


def test_a_moved_session_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_says_so(webinar, fiona):
    from reperes.programmes.calendar import publish_calendar

    session = webinar.sessions.get()
    before = icalendar.Calendar.from_ical(publish_calendar([session], name="x")).walk("VEVENT")[0]
    actions.move_session(
        session, starts_at=session.starts_at + timedelta(days=1), duration_minutes=90, by=fiona
    )
    moved = icalendar.Calendar.from_ical(publish_calendar([session], name="x")).walk("VEVENT")[0]
    actions.cancel_session(session, by=fiona)
    cancelled = icalendar.Calendar.from_ical(publish_calendar([session], name="x")).walk("VEVENT")[0]

    assert before["UID"] == moved["UID"] == cancelled["UID"]
    assert (before["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]) == (0, 1, 2)
    assert cancelled["STATUS"] == "CANCELLED"
    assert before["DTSTART"].params["TZID"] == "Europe/Paris"


def test_reach_per_quarter_and_region(webinar, fiona, bob, dave, org_a, org_b, network):
    actions.register(webinar, user=bob, organisation=org_a)
    actions.register(webinar, user=dave, organisation=org_b)
    webinar.sessions.update(live_attendance=40)
    webinar.replay_clicks, webinar.host_views = 12, 400
    webinar.save()

    (row,) = events_reach(network)

    assert (
        row.events,
        row.registrations,
        row.organisations,
        row.live,
        row.replay_clicks,
        row.host_views,
    ) == (
        1,
        2,
        2,
        40,
        12,
        400,
    )
    assert row.region == "Nouvelle-Aquitaine"


def test_registrations_go_a_year_after_the_last_session_and_the_counts_stay(webinar, bob, org_a):
    actions.register(webinar, user=bob, organisation=org_a)
    webinar.sessions.update(live_attendance=40)
    last = timezone.localdate(webinar.sessions.get().starts_at)

    assert actions.purge_past_events(today=last + timedelta(days=364)) == 0
    assert actions.purge_past_events(today=last + timedelta(days=365)) == 1
    assert not Registration.objects.exists()
    assert webinar.sessions.get().live_attendance == 40


def test_moving_or_cancelling_a_session_tells_each_registrant_alone(
    webinar, bob, dave, org_a, org_b, fiona, mailoutbox, django_capture_on_commit_callbacks
):
    actions.register(webinar, user=bob, organisation=org_a)
    actions.register(webinar, user=dave, organisation=org_b)
    mailoutbox.clear()
    session = webinar.sessions.get()

    with django_capture_on_commit_callbacks(execute=True):
        actions.move_session(
            session, starts_at=session.starts_at + timedelta(days=2), duration_minutes=60, by=fiona
        )
        actions.cancel_session(session, by=fiona)

    assert sorted(m.to[0] for m in mailoutbox) == ["bob@example.org"] * 2 + ["dave@example.org"] * 2
    for mail in mailoutbox:
        content = next(c for c, t in mail.alternatives if t.startswith("text/calendar"))
        calendar = icalendar.Calendar.from_ical(content)
        (event,) = calendar.walk("VEVENT")
        attendees = event.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert [str(a).removeprefix("mailto:") for a in attendees] == mail.to  # nobody else's address
        assert calendar["METHOD"] in {"REQUEST", "CANCEL"}
    assert "Séance déplacée" in mailoutbox[0].subject and "Séance annulée" in mailoutbox[-1].subject


def test_satisfaction_goes_once_after_the_event_and_shows_from_k_answers(
    client_of, webinar, fiona, org_a, mailoutbox, network
):
    from reperes.campaigns.actions import close_campaign
    from reperes.campaigns.models import Answer, Response
    from reperes.instruments.loading import load_definitions

    load_definitions()
    people = [MembershipFactory(organisation=org_a).user for _ in range(6)]
    for person in people:
        actions.register(webinar, user=person, organisation=org_a)
    with pytest.raises(ActionRefused, match="une fois toutes les séances passées"):
        actions.send_event_satisfaction(webinar, by=fiona)
    webinar.sessions.update(starts_at=timezone.now() - timedelta(hours=2))
    webinar.refresh_from_db()

    assert actions.send_event_satisfaction(webinar, by=fiona) == 6
    with pytest.raises(ActionRefused, match="déjà parti"):
        actions.send_event_satisfaction(webinar, by=fiona)
    campaign = webinar.satisfaction
    assert campaign.network == network and campaign.organisation is None
    for n in range(4):
        response = Response.objects.create(
            campaign=campaign, submitted_on=timezone.localdate(), submission_key=f"e{n}"
        )
        Answer.objects.bulk_create(
            Answer(response=response, item_id=i, value="tout-a-fait") for i in campaign.spec.item_ids
        )
    close_campaign(campaign, by=fiona)

    page = page_text(client_of(fiona).get(reverse("programmes:event", args=["reseau", webinar.pk])))
    assert "Moins de 5 réponses" in page
    assert events_reach(network)[0].satisfaction is None  # a hidden event adds nothing


def test_from_k_answers_the_event_satisfaction_counts_in_the_reach(client_of, webinar, fiona, org_a, network):
    from reperes.campaigns.actions import close_campaign
    from reperes.campaigns.models import Answer, Response
    from reperes.instruments.loading import load_definitions

    load_definitions()
    for _ in range(5):
        actions.register(webinar, user=MembershipFactory(organisation=org_a).user, organisation=org_a)
    webinar.sessions.update(starts_at=timezone.now() - timedelta(hours=2))
    webinar.refresh_from_db()
    actions.send_event_satisfaction(webinar, by=fiona)
    campaign = webinar.satisfaction
    for n in range(5):
        response = Response.objects.create(
            campaign=campaign, submitted_on=timezone.localdate(), submission_key=f"f{n}"
        )
        Answer.objects.bulk_create(
            Answer(response=response, item_id=i, value="tout-a-fait") for i in campaign.spec.item_ids
        )
    close_campaign(campaign, by=fiona)

    (row,) = events_reach(network)
    assert (row.satisfaction, row.satisfaction_answers) == (5.0, 5)
    page = page_text(client_of(fiona).get(reverse("programmes:events", args=["reseau"])))
    assert "5,0 / 5 (5 réponses)" in page or "5.0 / 5 (5 réponses)" in page
