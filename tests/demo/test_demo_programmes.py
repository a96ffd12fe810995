"""The demo's programmes: a cohort of « Pour un télétravail de qualité » under way and a call for
applications for the Bretagne programme, built by seed_demo through the actions."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.accounts.models import User
from reperes.organisations.models import Network
from reperes.programmes.models import (
    Assignment,
    Attendance,
    Cohort,
    DateChoice,
    Enrolment,
    ExpertQuestion,
    FaqEntry,
    Note,
    Participant,
)
from reperes.programmes.satisfaction import cohort_satisfaction
from reperes.sharing.models import ResultShare
from tests.helpers import force_login_verified, page_text

pytestmark = pytest.mark.django_db


def telework_cohort(network):
    return network.cohorts.get(
        name="Charente — automne 2026", programme_version__programme__slug="teletravail-de-qualite"
    )


def test_every_demo_organisation_says_how_many_employees_it_has(demo):
    organisations = list(demo.organisations.all())
    assert len(organisations) >= 6
    assert {"association", "scop", "scic", "mutuelle"} <= {o.legal_form for o in organisations}
    assert len({o.region for o in organisations}) >= 4
    for organisation in organisations:
        assert organisation.employees is not None
        assert 1 <= organisation.employees <= organisation.headcount


def test_the_telework_cohort_has_held_three_workshops_of_four(demo):
    cohort = telework_cohort(demo)
    assert cohort.state == Cohort.State.RUNNING
    assert cohort.facilitators.filter(email="fiona@demo.reperes.fr").exists()
    assert cohort.speakers.count() >= 2 and cohort.partners and cohort.funders

    accepted = cohort.accepted_enrolments()
    assert accepted.count() >= 4
    assert accepted.filter(joined_with_code=True).count() == 2
    assert accepted.filter(joined_with_code=False).count() == 2
    assert Participant.objects.filter(
        enrolment__cohort=cohort, membership__user__email="alice@demo.reperes.fr"
    ).exists()

    participants = Participant.objects.filter(enrolment__in=accepted).count()
    held = [workshop for workshop in cohort.workshops.all() if workshop.has_taken_place]
    assert [workshop.number for workshop in held] == [1, 2, 3]
    for workshop in held:
        assert workshop.attendances.count() == participants
        assert workshop.starts_at.astimezone(timezone.get_current_timezone()).strftime("%H:%M") == "09:30"
    statuses = list(Attendance.objects.filter(workshop__cohort=cohort).values_list("status", flat=True))
    assert statuses.count(Attendance.Status.ONSITE) > len(statuses) / 2
    assert statuses.count(Attendance.Status.REMOTE) >= 2
    assert statuses.count(Attendance.Status.EXCUSED) == 1
    # Each held workshop's satisfaction questionnaire closed with at least k answers: shown.
    satisfaction = cohort_satisfaction(cohort)
    assert [session.state for session in satisfaction.sessions] == ["shown", "shown", "shown", "none"]
    fourth = cohort.workshops.get(number=4)
    assert fourth.is_dated and fourth.starts_at > timezone.now()
    # Workshop 2 was first a week, the participants said which days suited them.
    assert DateChoice.objects.filter(workshop__cohort=cohort, workshop__number=2).count() >= 3


def test_the_cohort_has_work_handed_in_a_faq_and_notes(demo):
    cohort = telework_cohort(demo)
    work = Assignment.objects.filter(workshop__cohort=cohort, workshop__number=1)
    assert work.count() == 3
    assert work.filter(is_late=True).count() == 1
    assert Note.objects.filter(assignment__in=work, is_private=False).exists()
    notes = Note.objects.filter(enrolment__cohort=cohort, assignment__isnull=True)
    assert set(notes.values_list("is_private", flat=True)) == {True, False}

    faq = FaqEntry.objects.filter(cohort=cohort)
    assert faq.count() == 3
    assert not faq.filter(published_at__isnull=True).exists()
    assert not faq.filter(answer="").exists()
    assert ExpertQuestion.objects.filter(cohort=cohort, faq_entry__isnull=True).count() == 0
    assert ExpertQuestion.objects.filter(cohort=cohort).count() > 3

    share = ResultShare.objects.live().get(cohort=cohort)
    assert share.organisation.slug == "jardins-du-lien"
    assert share.campaign.closed_on is not None


def test_the_bretagne_call_is_recruiting_with_one_application(demo):
    cohort = demo.cohorts.get(programme_version__programme__slug="egalite-qvt-bretagne")
    assert cohort.is_recruiting
    assert cohort.applications_close_on > timezone.localdate()
    application = cohort.enrolments.get()
    assert application.state == Enrolment.State.APPLIED
    assert application.organisation.region == "53"
    assert sorted(application.participants.values_list("pair_role", flat=True)) == ["employee", "manager"]


def test_the_facilitator_and_alice_see_the_cohort(demo, client):
    cohort = telework_cohort(demo)
    force_login_verified(client, User.objects.get(email="fiona@demo.reperes.fr"))
    text = page_text(client.get(reverse("programmes:cohort", args=[demo.slug, cohort.pk])))
    assert "Mutuelle Entraide d'Oc" in text and "Les Paniers de la Touvre" in text
    text = page_text(client.get(reverse("sharing:received", args=[demo.slug])))
    assert "Télétravail : où en sommes-nous ?" in text

    client.force_login(User.objects.get(email="alice@demo.reperes.fr"))
    response = client.get(reverse("programmes:space_cohort", args=["jardins-du-lien", cohort.pk]))
    assert response.status_code == 200
    assert "Charente — automne 2026" in page_text(response)


def test_the_network_held_a_launch_webinar_and_announces_a_conference(demo):
    from reperes.programmes.models import NetworkEvent
    from reperes.programmes.reach import events_reach

    network = Network.objects.get(slug="reseau-ess-demo")
    webinar = NetworkEvent.objects.get(kind="webinar")
    conference = NetworkEvent.objects.get(kind="conference")
    assert (
        webinar.registrations.count() == 3 and webinar.live_attendance == 46 and webinar.replay_clicks == 31
    )
    assert conference.sessions.count() == 4 and conference.registrations_open
    assert sum(row.events for row in events_reach(network)) == 2
