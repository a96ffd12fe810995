"""The satisfaction questionnaire of each workshop: a campaign of the network, sent with a
single-use invitation to each person marked present, shown to facilitators after it closes and
from k answers, never per organisation; programme totals over the sessions shown only."""

import datetime
import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns.actions import close_campaign
from reperes.campaigns.models import Answer, Campaign, Response
from reperes.instruments.loading import load_definitions
from reperes.programmes.actions import create_cohort, record_attendance
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import Enrolment, Participant, Programme, Workshop
from reperes.programmes.satisfaction import cohort_satisfaction
from tests.helpers import page_text
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db
keys = itertools.count()


@pytest.fixture(autouse=True)
def mails_leave_on_commit(django_capture_on_commit_callbacks):
    global capture
    capture = django_capture_on_commit_callbacks


capture = None


@pytest.fixture
def cohort(network, org_a, org_b, alice, carol, dave, fiona):
    load_definitions()
    load_programmes()
    cohort = create_cohort(
        network,
        programme=Programme.objects.get(slug="teletravail-de-qualite"),
        name="Cohorte",
        places=8,
        by=fiona,
    )
    for organisation, people in [(org_a, [alice, carol]), (org_b, [dave])]:
        enrolment = Enrolment.objects.create(cohort=cohort, organisation=organisation, state="accepted")
        for person in people:
            Participant.objects.create(
                enrolment=enrolment, membership=organisation.memberships.get(user=person)
            )
    for number, days_ago in [(1, 20), (2, 10)]:
        Workshop.objects.filter(cohort=cohort, number=number).update(
            precision="exact", starts_at=timezone.now() - timedelta(days=days_ago)
        )
    return cohort


def present(cohort, number, *people, by):
    workshop = cohort.workshops.get(number=number)
    statuses = {
        (participant, "whole"): "onsite" if participant.user in people else "absent"
        for participant in Participant.objects.filter(enrolment__cohort=cohort)
    }
    with capture(execute=True):  # the mails leave on commit
        outcome = record_attendance(workshop, statuses=statuses, by=by)
    workshop.refresh_from_db()
    return workshop, outcome


def answers(campaign, count, value="tout-a-fait"):
    for _ in range(count):
        response = Response.objects.create(
            campaign=campaign, submitted_on=datetime.date(2026, 6, 1), submission_key=f"k-{next(keys)}"
        )
        Answer.objects.bulk_create(
            Answer(response=response, item_id=i, value=value) for i in campaign.spec.item_ids
        )


def test_each_person_present_gets_one_single_use_invitation(cohort, alice, carol, dave, fiona, mailoutbox):
    workshop, (invited, refused) = present(cohort, 1, alice, dave, by=fiona)

    assert (invited, refused) == (2, None)
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "dave@example.org"]
    campaign = workshop.satisfaction
    assert campaign.network == cohort.network and campaign.organisation is None
    assert campaign.access == Campaign.Access.INVITATIONS and campaign.is_open
    assert "Réseau ESS test vous invite à répondre au questionnaire" in mailoutbox[0].subject
    # Taking attendance again invites only the newly present, once.
    _, (again, _) = present(cohort, 1, alice, dave, carol, by=fiona)
    assert again == 1 and len(mailoutbox) == 3


def test_it_is_no_team_diagnostic(client_of, cohort, alice, dave, fiona):
    present(cohort, 1, alice, dave, by=fiona)
    client = client_of(alice)
    assert "Votre avis sur l'atelier" not in page_text(
        client.get(reverse("campaigns:list", args=["jardins"]))
    )
    assert "Votre avis sur l'atelier" not in page_text(
        client.get(reverse("campaigns:create", args=["jardins"]))
    )


def test_results_show_after_close_from_k_answers_and_totals_add_only_sessions_shown(
    client_of, cohort, alice, carol, dave, fiona
):
    first, _ = present(cohort, 1, alice, carol, dave, by=fiona)
    second, _ = present(cohort, 2, alice, carol, dave, by=fiona)
    answers(first.satisfaction, 5, "tout-a-fait")
    answers(second.satisfaction, 3, "pas-du-tout")

    summary = cohort_satisfaction(cohort)
    assert [s.state for s in summary.sessions[:2]] == ["open", "open"]  # nothing before close
    for workshop in (first, second):
        close_campaign(workshop.satisfaction, by=fiona)

    summary = cohort_satisfaction(cohort)
    assert [s.state for s in summary.sessions[:2]] == ["shown", "withheld"]
    assert summary.responses == 5  # not 8: the hidden session adds nothing
    assert all(score == 5.0 for _, score in summary.themes)
    page = page_text(client_of(fiona).get(reverse("programmes:cohort", args=["reseau", cohort.pk])))
    assert "Sur l'ensemble des ateliers affichés</strong> (5 réponses)" in page
    assert "Non affichés, pour protéger l'anonymat" in page


def test_a_full_quota_keeps_the_attendance_and_says_why(cohort, alice, dave, fiona, settings, mailoutbox):
    settings.MAIL_QUOTA_ACCOUNT_PER_DAY = 1
    workshop, (invited, refused) = present(cohort, 1, alice, dave, by=fiona)

    assert invited == 0 and refused
    assert workshop.attendances.filter(status="onsite").count() == 2
    assert mailoutbox == []


def test_a_member_who_was_not_present_is_not_invited(cohort, org_a, alice, fiona, mailoutbox):
    stranger = MembershipFactory(organisation=org_a).user
    present(cohort, 1, alice, by=fiona)
    assert stranger.email not in [m.to[0] for m in mailoutbox]


def test_the_review_workshop_asks_for_the_review_of_the_whole_programme(cohort, alice, dave, fiona):
    Workshop.objects.filter(cohort=cohort, number=4).update(
        precision="exact", starts_at=timezone.now() - timedelta(days=1)
    )
    review, _ = present(cohort, 4, alice, dave, by=fiona)
    first, _ = present(cohort, 1, alice, dave, by=fiona)

    assert review.satisfaction.questionnaire_version.questionnaire.slug == "bilan-parcours"
    assert review.satisfaction.title.startswith("Le bilan du parcours")
    assert first.satisfaction.questionnaire_version.questionnaire.slug == "satisfaction-atelier"
