"""The task worker and the recovery of the tasks of a worker that died (issue 11, point 3):
`manage.py worker` beats while it runs, and `requeue_abandoned` puts back in the queue the
tasks of workers fallen silent. The last tests start real workers, as processes of their own,
on the test database, and kill one with SIGKILL in the middle of a task."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from reperes.lib.management.commands.worker import Heartbeat
from reperes.lib.models import SentMail, WorkerHeartbeat
from reperes.lib.tasks import forget_silent_workers, requeue_abandoned
from tests.lib.worker_tasks import record_then_wait

ROOT = Path(__file__).resolve().parents[2]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SILENCE = timedelta(seconds=django_settings.WORKER_SILENCE_SECONDS)
WAIT = 15  # seconds, at most, for anything a worker process does


def running_task(*worker_ids, started, status=TaskResultStatus.RUNNING):
    return DBTaskResult.objects.create(
        status=status,
        started_at=started,
        worker_ids=list(worker_ids),
        args_kwargs={"args": ["cle", "/nulle-part"], "kwargs": {}},
        task_path="tests.lib.worker_tasks.record_then_wait",
        backend_name="default",
        run_after=get_date_max(),
    )


def beat(worker_id, seen_at):
    WorkerHeartbeat.objects.create(worker_id=worker_id, seen_at=seen_at)


@pytest.mark.django_db
def test_a_task_whose_worker_fell_silent_goes_back_to_the_queue():
    now = timezone.now()
    beat("mort", now - SILENCE - timedelta(seconds=1))
    task = running_task("mort", started=now - timedelta(minutes=10))

    assert requeue_abandoned(now) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.started_at is None
    assert task.worker_ids == ["mort"]  # the history stays


@pytest.mark.django_db
def test_a_task_whose_worker_never_beat_goes_back_once_older_than_the_silence():
    now = timezone.now()
    task = running_task("inconnu", started=now - SILENCE + timedelta(seconds=5))
    assert requeue_abandoned(now) == 0

    assert requeue_abandoned(now + timedelta(seconds=10)) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


@pytest.mark.django_db
def test_a_task_of_a_worker_still_beating_is_left_running():
    now = timezone.now()
    beat("vivant", now - timedelta(seconds=5))
    task = running_task("vivant", started=now - timedelta(hours=1))

    assert requeue_abandoned(now) == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert task.started_at == now - timedelta(hours=1)


@pytest.mark.django_db
def test_a_task_is_left_running_while_any_of_its_workers_beats():
    now = timezone.now()
    beat("mort", now - timedelta(hours=1))
    beat("vivant", now)
    task = running_task("mort", "vivant", started=now - timedelta(hours=1))

    assert requeue_abandoned(now) == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_tasks_waiting_or_finished_are_left_alone():
    long_ago = timezone.now() - timedelta(days=1)
    tasks = [
        running_task("mort", started=long_ago, status=status)
        for status in (TaskResultStatus.READY, TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    ]

    assert requeue_abandoned() == 0
    for task in tasks:
        before = task.status
        task.refresh_from_db()
        assert (task.status, task.started_at) == (before, long_ago)


@pytest.mark.django_db
def test_requeueing_twice_requeues_once():
    now = timezone.now()
    running_task("mort", started=now - timedelta(hours=1))
    running_task("mort", started=now - timedelta(hours=2))

    assert requeue_abandoned(now) == 2
    assert requeue_abandoned(now) == 0
    assert DBTaskResult.objects.ready().count() == 2


@pytest.mark.django_db
def test_workers_silent_for_a_day_are_forgotten():
    now = timezone.now()
    beat("parti", now - timedelta(days=1, seconds=1))
    beat("hier", now - timedelta(hours=23))

    assert forget_silent_workers(now) == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["hier"]


def test_the_worker_refuses_to_start_when_tasks_run_in_the_request(settings):
    assert settings.TASKS_BACKEND == "immediate"
    with pytest.raises(CommandError, match="TASKS_BACKEND vaut « immediate »"):
        call_command("worker", batch=True)


@pytest.mark.django_db(transaction=True)  # the heartbeat writes on a connection of its own
def test_the_heartbeat_beats_until_stopped_then_forgets_its_worker():
    heartbeat = Heartbeat("battant", every=0.05)
    heartbeat.start()
    wait_for(lambda: heartbeat_of("battant") is not None, "a first beat")
    first = heartbeat_of("battant").seen_at
    wait_for(lambda: heartbeat_of("battant").seen_at > first, "a second beat")

    heartbeat.stop()
    assert not heartbeat.is_alive()
    assert heartbeat_of("battant") is None


# Real workers, as processes of their own on the test database. The test must commit what the
# workers read, hence transaction=True; every wait is bounded, and a worker left running at the
# end of a test is killed.


@pytest.fixture
def workers(tmp_path):
    """Start `manage.py worker` processes on the test database; kill those still running."""
    started = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.lib.worker_settings",
        "REPERES_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "TASKS_BACKEND": "database",
    }

    def start(worker_id, *options):
        log = tmp_path / f"{worker_id}.log"
        with log.open("w") as output:  # the process writes to its own copy
            process = subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--worker-id", worker_id, "--interval", "0.05"]
                + ["--no-startup-delay", "--skip-checks", *options],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(WAIT)


def wait_for(condition, what, worker=None):
    deadline = time.monotonic() + WAIT
    while not condition():
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"the worker stopped while waiting for {what}:\n{worker.log.read_text()}")
        if time.monotonic() > deadline:
            log = worker.log.read_text() if worker is not None else ""
            pytest.fail(f"waited {WAIT} s for {what}\n{log}")
        time.sleep(0.05)


def heartbeat_of(worker_id):
    return WorkerHeartbeat.objects.filter(worker_id=worker_id).first()


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_runs_again_after_restart_and_has_its_effect_once(
    settings, tmp_path, workers
):
    settings.TASKS = DATABASE_QUEUE  # setting_changed resets django.tasks.task_backends
    result = record_then_wait.enqueue("cle-unique", str(tmp_path))
    task = DBTaskResult.objects.get(pk=result.id)
    runs = tmp_path / "runs"

    first = workers("premier")
    wait_for(lambda: heartbeat_of("premier") is not None, "the first worker's heartbeat", first)
    wait_for(lambda: runs.exists() and SentMail.objects.filter(key="cle-unique").exists(), "the task", first)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING and task.worker_ids == ["premier"]

    os.kill(first.pid, signal.SIGKILL)  # as the kernel's OOM killer or a power cut would
    assert first.wait(WAIT) == -signal.SIGKILL
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING  # and would stay so for ever
    assert heartbeat_of("premier") is not None  # no time to forget it
    assert requeue_abandoned() == 0  # the worker fell silent only now

    assert requeue_abandoned(timezone.now() + SILENCE + timedelta(seconds=1)) == 1
    task.refresh_from_db()
    assert (task.status, task.started_at, task.worker_ids) == (TaskResultStatus.READY, None, ["premier"])

    (tmp_path / "go").touch()
    second = workers("second", "--batch")
    assert second.wait(WAIT) == 0, second.log.read_text()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.return_value == "cle-unique"
    assert task.worker_ids == ["premier", "second"]
    assert len(runs.read_text().split()) == 2  # run twice, from its start
    assert SentMail.objects.filter(key="cle-unique").count() == 1  # its effect once
    assert heartbeat_of("second") is None  # stopped properly, it forgot its heartbeat
    assert "Travailleur second arrêté." in second.log.read_text()


@pytest.mark.django_db(transaction=True)
def test_a_worker_stopped_by_sigterm_forgets_its_heartbeat(workers):
    worker = workers("arrete")
    wait_for(lambda: heartbeat_of("arrete") is not None, "the worker's heartbeat", worker)

    worker.send_signal(signal.SIGTERM)  # what systemd sends to stop it
    assert worker.wait(WAIT) == 0, worker.log.read_text()
    assert heartbeat_of("arrete") is None
