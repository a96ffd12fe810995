"""The one scheduler entry point (issue 11, point 2): `manage.py run_scheduled` runs every job the
apps declare on their AppConfig when its period is due, once per period, even started twice or
twice at once; a failing job is retried at the next start without stopping the others."""

import io
import threading
import time as clock
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from reperes.action_plans.models import Action
from reperes.campaigns.models import Campaign
from reperes.lib.jobs import purge
from reperes.lib.models import ScheduledRun, SentMail
from reperes.lib.schedule import MONDAY, WEDNESDAY, Job, day, minutes, periodic_jobs, week
from tests.campaigns.factories import CampaignFactory

CALLS = []


def count():
    CALLS.append("count")
    return "Compté."


def slow():
    clock.sleep(0.2)  # long enough for a second scheduler to try while this one runs
    CALLS.append("slow")
    return "Lent."


FAILING = {"fail": True}


def fragile():
    CALLS.append("fragile")
    if FAILING["fail"]:
        raise RuntimeError("panne")
    return "Réparé."


def at(text):
    """A local moment (Europe/Paris)."""
    return timezone.make_aware(datetime.fromisoformat(text))


def run(*args, **options):
    out = io.StringIO()
    call_command("run_scheduled", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def only(monkeypatch):
    """Replace every app's jobs by the ones given, for the scheduler's own behaviour."""
    CALLS.clear()
    FAILING["fail"] = True

    def declare(*jobs):
        monkeypatch.setattr("reperes.lib.management.commands.run_scheduled.periodic_jobs", lambda: list(jobs))

    return declare


# When a job is due


def test_a_slot_of_minutes_changes_every_n_minutes():
    every = minutes(5)
    assert every.key(at("2030-01-07T10:05")) == every.key(at("2030-01-07T10:09:59"))
    assert every.key(at("2030-01-07T10:09:59")) != every.key(at("2030-01-07T10:10"))
    assert every.has_begun(at("2030-01-07T00:00"))
    assert str(every) == "toutes les 5 minutes"


def test_a_day_begins_at_its_hour_and_lasts_until_midnight():
    every = day(after="06:30")
    assert not every.has_begun(at("2030-01-07T06:29"))
    assert every.has_begun(at("2030-01-07T06:30")) and every.has_begun(at("2030-01-07T23:59"))
    assert every.key(at("2030-01-07T06:30")) == every.key(at("2030-01-07T23:59")) == "2030-01-07"
    assert every.key(at("2030-01-08T06:30")) == "2030-01-08"
    assert str(every) == "chaque jour après 06:30"


def test_a_week_begins_on_its_day_and_hour_and_a_missed_monday_runs_on_tuesday():
    every = week(on=MONDAY, after="07:00")  # 2030-01-07 is a Monday
    assert not every.has_begun(at("2030-01-07T06:59"))
    assert every.has_begun(at("2030-01-07T07:00"))
    assert every.has_begun(at("2030-01-08T03:00"))  # the day after a missed Monday
    assert every.has_begun(at("2030-01-13T23:59"))  # Sunday
    assert every.key(at("2030-01-07T07:00")) == every.key(at("2030-01-13T23:59")) == "2030-W02"
    assert every.key(at("2030-01-14T07:00")) == "2030-W03"
    assert not every.has_begun(at("2030-01-14T06:00"))  # the next week, before its hour
    wednesday = week(on=WEDNESDAY, after="12:00")
    assert not wednesday.has_begun(at("2030-01-08T13:00"))
    assert wednesday.has_begun(at("2030-01-09T12:00"))
    assert str(every) == "chaque semaine, le lundi après 07:00"


@pytest.mark.django_db
def test_a_job_is_due_when_its_period_began_and_holds_no_run():
    job = Job("test.count", "tests.lib.test_schedule.count", every=day(after="06:30"))
    assert not job.is_due(at("2030-01-07T06:00"))
    assert job.is_due(at("2030-01-07T07:00"))
    ScheduledRun.objects.create(job="test.count", period="2030-01-07")
    assert not job.is_due(at("2030-01-07T23:00"))
    assert job.is_due(at("2030-01-08T07:00"))


# Once per period


@pytest.mark.django_db
def test_the_same_run_twice_runs_each_job_once(only):
    only(
        Job("test.count", "tests.lib.test_schedule.count", every=minutes(5)),
        Job("test.slow", "tests.lib.test_schedule.slow", every=day(after="06:30")),
    )
    first = run(now="2030-01-07T07:00")
    again = run(now="2030-01-07T07:01")
    assert sorted(CALLS) == ["count", "slow"]
    assert "test.count : Compté." in first and "Tâches lancées : 2 ; en échec : 0." in first
    assert "Tâches lancées : 0 ; en échec : 0." in again
    run(now="2030-01-07T07:05")  # the next slot of five minutes, the same day
    assert sorted(CALLS) == ["count", "count", "slow"]
    finished = ScheduledRun.objects.get(job="test.slow")
    assert finished.period == "2030-01-07" and finished.summary == "Lent." and finished.finished_at


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_run_a_job_once(only):
    only(Job("test.slow", "tests.lib.test_schedule.slow", every=minutes(5)))
    barrier = threading.Barrier(2)
    errors = []

    def scheduler():
        try:
            barrier.wait()
            run(now="2030-01-07T07:00")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CALLS == ["slow"]
    assert ScheduledRun.objects.filter(job="test.slow").count() == 1


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others_and_is_retried_at_the_next_start(only, caplog):
    only(
        Job("test.fragile", "tests.lib.test_schedule.fragile", every=day(after="06:30")),
        Job("test.count", "tests.lib.test_schedule.count", every=day(after="06:30")),
    )
    with pytest.raises(CommandError, match="test.fragile"):
        run(now="2030-01-07T07:00")
    assert CALLS == ["fragile", "count"]
    assert "La tâche périodique test.fragile a échoué" in caplog.text
    assert not ScheduledRun.objects.filter(job="test.fragile").exists()
    FAILING["fail"] = False
    assert "test.fragile : Réparé." in run(now="2030-01-07T07:05")
    assert CALLS == ["fragile", "count", "fragile"]  # the other ran once, the failed one again
    run(now="2030-01-07T08:00")
    assert CALLS == ["fragile", "count", "fragile"]


@pytest.mark.django_db
def test_a_failing_job_makes_the_command_exit_non_zero(only):
    only(Job("test.fragile", "tests.lib.test_schedule.fragile", every=minutes(5)))
    with pytest.raises(CommandError) as failure:
        run(now="2030-01-07T07:00")
    # manage.py prints the message and exits with the error's return code.
    assert failure.value.returncode == 1
    assert str(failure.value) == "Tâches en échec, relancées au prochain passage : test.fragile."


@pytest.mark.django_db
def test_an_operator_runs_one_job_now_and_it_counts_for_its_period(only):
    only(
        Job("test.count", "tests.lib.test_schedule.count", every=day(after="06:30")),
        Job("test.slow", "tests.lib.test_schedule.slow", every=day(after="06:30")),
    )
    assert run(job="test.count", now="2030-01-07T05:00") == "test.count : Compté.\n"  # before its hour
    run(now="2030-01-07T07:00")
    assert sorted(CALLS) == ["count", "slow"]
    assert run(job="test.count", now="2030-01-07T08:00") == "test.count : Compté.\n"  # ran again, asked
    assert CALLS.count("count") == 2
    with pytest.raises(CommandError, match="Tâche inconnue"):
        run(job="test.nothing")


@pytest.mark.django_db
def test_list_shows_each_job_its_period_and_last_run(only):
    only(
        Job("test.count", "tests.lib.test_schedule.count", every=minutes(5)),
        Job("test.slow", "tests.lib.test_schedule.slow", every=week(on=MONDAY, after="07:00")),
    )
    before = run(list=True, now="2030-01-07T06:00")
    assert "test.count (toutes les 5 minutes) [à lancer]\n    jamais lancée" in before
    assert "test.slow (chaque semaine, le lundi après 07:00)\n    jamais lancée" in before
    run(now="2030-01-07T07:00")
    after = run(list=True, now="2030-01-07T07:01")
    assert "test.count (toutes les 5 minutes)\n    dernière le " in after
    assert ": Compté." in after and ": Lent." in after and "[à lancer]" not in after
    assert CALLS == ["count", "slow"]  # listing runs nothing


# The jobs the apps declare


def test_every_app_declares_its_jobs_on_its_appconfig():
    declared = {job.name: (job.path, str(job.every)) for job in periodic_jobs()}
    assert all(callable(import_string(path)) for path, _ in declared.values())
    expected = {
        "lib.requeue": ("reperes.lib.jobs.requeue", "toutes les 5 minutes"),
        "lib.purge": ("reperes.lib.jobs.purge", "chaque jour après 03:00"),
        "campaigns.close_due": ("reperes.campaigns.jobs.close_due", "toutes les 5 minutes"),
        "campaigns.closing_soon": ("reperes.campaigns.jobs.closing_soon", "chaque jour après 06:30"),
        "reports.purge": ("reperes.reports.jobs.purge", "chaque jour après 03:00"),
        "action_plans.weekly_digest": (
            "reperes.action_plans.jobs.weekly_digest",
            "chaque semaine, le lundi après 07:00",
        ),
    }
    assert {name: declared.get(name) for name in expected} == expected


def today():
    return timezone.localdate()


@pytest.mark.django_db
def test_campaigns_past_their_date_close_through_the_scheduler_with_one_notice(
    alice, carol, org_a, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(organisation=org_a, closes_on=today())
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=today() - timedelta(days=1))
    night = f"{today():%Y-%m-%d}T00:"  # only the jobs of every few minutes are due
    with django_capture_on_commit_callbacks(execute=True):
        run(now=night + "10")
        run(now=night + "10")
        run(now=night + "15")
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED
    closed = [m for m in mail.outbox if m.subject.startswith("Diagnostic clôturé")]
    assert sorted(m.to[0] for m in closed) == sorted([alice.email, carol.email])
    assert len(mail.outbox) == 2
    assert ScheduledRun.objects.filter(job="campaigns.close_due").count() == 2  # two slots


@pytest.mark.django_db
def test_the_weekly_digest_goes_once_a_week(bob, org_a, django_capture_on_commit_callbacks):
    Action.objects.create(organisation=org_a, title="Due", owner=bob, due_on=today() + timedelta(days=3))

    def runs(*moments):
        with django_capture_on_commit_callbacks(execute=True):
            for moment in moments:
                run(now=moment)
        return [m.to for m in mail.outbox]

    assert runs("2030-01-07T06:55") == []  # Monday, before its hour
    week_one = ["2030-01-07T07:05", "2030-01-07T07:05", "2030-01-08T09:00", "2030-01-13T23:55"]
    assert runs(*week_one) == [[bob.email]]  # twice at 07:05, Tuesday, Sunday night
    # An operator running it again the same week: the job itself sees it already went.
    assert run(job="action_plans.weekly_digest") == (
        "action_plans.weekly_digest : Récapitulatifs déjà envoyés cette semaine.\n"
    )
    # A week later (the run's record aged as the clock would have).
    ScheduledRun.objects.filter(job="action_plans.weekly_digest").update(
        finished_at=timezone.now() - timedelta(days=7)
    )
    assert runs("2030-01-14T07:05") == [[bob.email], [bob.email]]  # the next Monday


@pytest.mark.django_db
def test_the_purge_deletes_what_is_old_and_keeps_what_is_recent():
    now = timezone.now()
    old_run = ScheduledRun.objects.create(job="lib.purge", period="2029-01-01")
    ScheduledRun.objects.filter(pk=old_run.pk).update(started_at=now - timedelta(days=91))
    recent_run = ScheduledRun.objects.create(job="lib.purge", period="2030-01-01")
    task = {
        "args_kwargs": {},
        "task_path": "reperes.lib.mail.deliver_mail",
        "backend_name": "default",
        "run_after": now,
        "exception_class_path": "",
        "traceback": "",
    }
    old = DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=now - timedelta(days=8), **task)
    recent = DBTaskResult.objects.create(status="FAILED", finished_at=now - timedelta(days=6), **task)
    waiting = DBTaskResult.objects.create(status="READY", **task)
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=now - timedelta(days=30))
    SentMail.objects.create(key="ancienne")
    SentMail.objects.filter(key="ancienne").update(sent_at=now - timedelta(days=31))
    SentMail.objects.create(key="récente")
    assert purge() == (
        "Purgés : 1 exécutions planifiées, 1 tâches finies, 1 clés d'e-mails, 0 travailleurs muets."
    )
    assert set(ScheduledRun.objects.values_list("pk", flat=True)) == {recent_run.pk}
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert list(SentMail.objects.values_list("key", flat=True)) == ["récente"]
    assert purge() == (
        "Purgés : 0 exécutions planifiées, 0 tâches finies, 0 clés d'e-mails, 0 travailleurs muets."
    )
