"""Retention of a cohort's personal data, as the privacy page states it: work, notes, questions
and date poll answers a year after the last workshop; attendance and participants after three."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reperes.programmes.actions import create_cohort, purge_past_cohorts
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import (
    Assignment,
    Attendance,
    Enrolment,
    ExpertQuestion,
    FaqEntry,
    Note,
    Participant,
    Programme,
    Workshop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(network, org_a, alice, fiona):
    load_programmes()
    cohort = create_cohort(
        network, programme=Programme.objects.get(slug="teletravail-de-qualite"), name="C", places=5, by=fiona
    )
    enrolment = Enrolment.objects.create(
        cohort=cohort, organisation=org_a, state=Enrolment.State.ACCEPTED, motivation="Nous voulons…"
    )
    participant = Participant.objects.create(
        enrolment=enrolment, membership=org_a.memberships.get(user=alice)
    )
    workshop = cohort.workshops.get(number=1)
    Workshop.objects.filter(pk=workshop.pk).update(
        precision=Workshop.Precision.EXACT, starts_at=timezone.now() - timedelta(days=10)
    )
    Attendance.objects.create(workshop=workshop, participant=participant, status="onsite")
    Assignment.objects.create(enrolment=enrolment, workshop=workshop, text="Nos pistes")
    Note.objects.create(enrolment=enrolment, text="Suivi", author=fiona)
    entry = FaqEntry.objects.create(cohort=cohort, question="Reformulée", answer="Réponse")
    ExpertQuestion.objects.create(cohort=cohort, asked_by=alice, text="Ma question", faq_entry=entry)
    return cohort


def test_nothing_goes_within_a_year_of_the_last_workshop(cohort):
    assert purge_past_cohorts() == 0
    assert ExpertQuestion.objects.exists() and Assignment.objects.exists() and Note.objects.exists()


def test_a_year_after_work_notes_and_questions_go_but_attendance_stays(cohort):
    purge_past_cohorts(today=timezone.localdate() + timedelta(days=365))

    assert not ExpertQuestion.objects.exists()
    assert not Assignment.objects.exists()
    assert not Note.objects.exists()
    assert Enrolment.objects.get().motivation == ""
    assert Attendance.objects.exists() and Participant.objects.exists()
    assert FaqEntry.objects.filter(question="Reformulée").exists()  # names nobody: it stays


def test_three_years_after_attendance_and_participants_go(cohort):
    purge_past_cohorts(today=timezone.localdate() + timedelta(days=3 * 365))

    assert not Attendance.objects.exists()
    assert not Participant.objects.exists()


def test_a_participant_with_attendance_cannot_be_swapped_out_and_loses_nothing(cohort, org_a, alice, bob):
    """Replacing a participant would delete their attendance and their certificate: refused."""
    from reperes.lib.actions import ActionRefused
    from reperes.programmes.actions import set_participants

    enrolment = Enrolment.objects.get()
    with pytest.raises(ActionRefused, match="a déjà des présences notées"):
        set_participants(enrolment, participants=[(org_a.memberships.get(user=bob), "")], by=alice)
    assert Attendance.objects.count() == 1 and Participant.objects.get().membership.user == alice
