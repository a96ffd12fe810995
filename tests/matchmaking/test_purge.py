"""Retention: an open case idle for a year is closed as abandoned; six months after closing a case
loses its personal data, three years after it is deleted; open cases still worked on are never
touched. The job is declared on the AppConfig."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from reperes.matchmaking import actions, jobs
from reperes.matchmaking.models import Case, Entry

pytestmark = pytest.mark.django_db


def summary(*, closed, erased, deleted):
    return (
        f"Dossiers de mise en lien : {closed} clos faute d'activité, {erased} anonymisé(s), "
        f"{deleted} supprimé(s)."
    )


def closed_since(case, days):
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days))


def test_the_purge_erases_then_deletes(at_step, mia):
    recent, erased, gone = (at_step(Case.Step.FOLLOW_UP) for _ in range(3))
    opened = at_step(Case.Step.LEGAL)
    for case in (recent, erased, gone):
        Case.objects.filter(pk=case.pk).update(
            employee_name="Camille Martin", employee_qualification="Menuisière"
        )
        actions.record_follow_up(case, happened=True, hours_shared=120, follow_up_note="Très bien.", by=mia)
        actions.close_case(case, outcome=Case.Outcome.DONE, by=mia)
    closed_since(recent, 30)
    closed_since(erased, 200)
    closed_since(gone, 4 * 365)
    Case.objects.filter(pk=opened.pk).update(created_at=timezone.now() - timedelta(days=5 * 365))

    assert jobs.purge() == summary(closed=0, erased=1, deleted=1)

    assert not Case.objects.filter(pk=gone.pk).exists()
    erased.refresh_from_db()
    assert (erased.employee_name, erased.need, erased.follow_up_note, erased.duties) == ("", "", "", "")
    assert erased.personal_data_erased_on == timezone.localdate()
    assert not erased.entries.exists()
    # What the figures need stays.
    assert (
        erased.hours_shared == 120
        and erased.outcome == Case.Outcome.DONE
        and erased.category == "staff_lending"
    )
    recent.refresh_from_db()
    assert recent.employee_name == "Camille Martin" and recent.entries.exists()
    assert Case.objects.filter(pk=opened.pk).exists()
    # Run twice, nothing more happens; erased documents are no longer offered.
    assert jobs.purge() == summary(closed=0, erased=0, deleted=0)
    from reperes.matchmaking.documents import document_available

    assert not document_available(erased) and document_available(recent)


def test_the_purge_is_a_daily_job_of_the_app():
    config = apps.get_app_config("matchmaking")
    assert [(job.name, job.path) for job in config.periodic_jobs] == [
        ("matchmaking.purge", "reperes.matchmaking.jobs.purge")
    ]


def test_an_open_case_idle_for_a_year_is_closed_as_abandoned_then_follows_the_rule(at_step, mia):
    idle, noted, worked = (at_step(Case.Step.LEGAL) for _ in range(3))
    a_year_ago = timezone.now() - timedelta(days=366)
    Case.objects.filter(pk__in=[idle.pk, noted.pk, worked.pk]).update(updated_at=a_year_ago)
    Entry.objects.filter(case__in=[idle, noted, worked]).update(created_at=a_year_ago)
    # A line in the journal last month, or a change today, is activity.
    actions.add_note(noted, text="Relance de la structure partenaire.", by=mia)
    Case.objects.filter(pk=worked.pk).update(updated_at=timezone.now())

    assert jobs.purge() == summary(closed=1, erased=0, deleted=0)

    idle.refresh_from_db()
    assert (idle.step, idle.outcome) == (Case.Step.CLOSED, Case.Outcome.ABANDONED)
    assert "aucune activité pendant un an" in idle.outcome_reason
    last = idle.entries.order_by("-created_at").first()
    assert last.text.startswith("Dossier clos : abandonné") and last.kind == Entry.Kind.AUTOMATIC
    assert Case.objects.filter(pk__in=[noted.pk, worked.pk], step=Case.Step.LEGAL).count() == 2
    # Closed today: its personal data goes six months later, like any closed case.
    closed_since(idle, 200)
    assert jobs.purge() == summary(closed=0, erased=1, deleted=0)
