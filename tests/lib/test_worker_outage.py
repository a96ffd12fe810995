"""The task worker outlives the database going away (PostgreSQL restarted under it): it waits
and tries again instead of stopping, puts back in the queue the task it held, and runs again a
task that failed only because the connection was lost. `make faults` plays the real restart."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from reperes.lib.management.commands.worker import Worker
from reperes.lib.models import SentMail
from tests.lib.test_worker import DATABASE_QUEUE, running_task
from tests.lib.worker_tasks import always_lose_the_database, lose_the_database_once

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _connections_kept():
    """The worker closes its connections after a failure; here they hold the test's transaction."""
    with mock.patch("reperes.lib.management.commands.worker.connections"):
        yield


def a_worker(worker_id="ici", **options):
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
        **options,
    )


def test_a_database_that_goes_away_is_waited_for_and_the_task_held_goes_back_to_the_queue():
    worker = a_worker()
    other = running_task("ici", "ailleurs", started=None)  # now held by another, living worker
    tasks = []

    def run_then_lose_the_database():
        if not tasks:  # the first run takes a task, then the database goes away under it
            tasks.append(running_task("ailleurs", "ici", started=None))
            raise OperationalError("the database system is shutting down")

    with (
        mock.patch.object(db_worker.Worker, "run", side_effect=run_then_lose_the_database) as run,
        mock.patch("reperes.lib.management.commands.worker.time.sleep") as sleep,
        mock.patch("reperes.lib.management.commands.worker.logger") as logger,
    ):
        worker.run()
    assert run.call_count == 2, "the worker went on after the outage"
    assert sleep.called
    messages = [call.args[0] for call in logger.warning.call_args_list]
    assert "ne répond pas" in messages[0]
    assert "remise(s) en file" in messages[1]
    [held] = tasks
    held.refresh_from_db()
    other.refresh_from_db()
    assert held.status == TaskResultStatus.READY
    assert held.started_at is None
    assert other.status == TaskResultStatus.RUNNING


def test_the_waits_grow_and_are_bounded():
    worker = a_worker()
    outage = [OperationalError("refused")] * 8 + [None]
    with (
        mock.patch.object(db_worker.Worker, "run", side_effect=outage),
        mock.patch("reperes.lib.management.commands.worker.time.sleep") as sleep,
        mock.patch("reperes.lib.management.commands.worker.logger") as logger,
    ):
        worker.run()
    waits = [call.args[2] for call in logger.warning.call_args_list if "ne répond pas" in call.args[0]]
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]
    assert sum(call.args[0] for call in sleep.call_args_list) == pytest.approx(sum(waits))


def test_a_worker_asked_to_stop_during_an_outage_stops():
    worker = a_worker()
    worker.running = False
    with mock.patch.object(db_worker.Worker, "run", side_effect=OperationalError("refused")) as run:
        worker.run()
    assert run.call_count == 1


# In-process worker: its loop closes connections that are inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_a_task_failed_by_a_lost_connection_runs_again_and_is_done_once(settings):
    settings.TASKS = DATABASE_QUEUE
    lose_the_database_once.enqueue("cle-perte")
    a_worker().run()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2, "run twice: the lost connection, then the run that worked"
    assert SentMail.objects.filter(key="cle-perte").count() == 1


# In-process worker: its loop closes connections that are inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_a_task_that_always_loses_the_database_ends_failed(settings):
    settings.TASKS = DATABASE_QUEUE
    always_lose_the_database.enqueue("cle")
    a_worker().run()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert len(task.worker_ids) == Worker.MAX_ATTEMPTS


# In-process worker: its loop closes connections that are inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_other_failures_are_not_run_again(settings):
    settings.TASKS = DATABASE_QUEUE
    with mock.patch("tests.lib.worker_tasks.SentMail.objects.filter", side_effect=ValueError("un défaut")):
        lose_the_database_once.enqueue("cle")
        a_worker().run()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.FAILED
    assert len(task.worker_ids) == 1
