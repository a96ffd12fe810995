"""Recovering the tasks of a worker that died mid-way.

With TASKS_BACKEND=database, `manage.py worker` (django_tasks_db's worker, with a heartbeat)
marks a task RUNNING when it takes it, and SUCCESSFUL or FAILED when it ends. A worker killed in
between (kill -9, the machine lost, systemd giving up on a slow stop) leaves the task RUNNING for
ever: django_tasks_db never looks at it again. Each worker therefore writes its `WorkerHeartbeat`
row every WORKER_HEARTBEAT_SECONDS, and the scheduler (`lib.requeue`, every five minutes) calls
`requeue_abandoned`, which puts back in the queue every running task whose workers have all been
silent for WORKER_SILENCE_SECONDS.

**Tasks run at least once, so every task must be idempotent.** A requeued task runs again from
its start, on another worker: whatever it did before its worker died is done again, unless the
task checks first. A task that has an effect outside the database (a mail) carries an
idempotency key and records it once the effect is done (`reperes.lib.mail.deliver_mail` and its
`SentMail` rows); a task that writes rows writes them so that a second run finds them and adds
nothing. A worker that was only slow, not dead (frozen longer than WORKER_SILENCE_SECONDS), may
end up running a task at the same time as the worker that took it again: the same keys cover it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reperes.lib.models import WorkerHeartbeat

logger = logging.getLogger("reperes.tasks")

# A heartbeat row older than this belongs to a worker gone for good: forget_silent_workers.
FORGET_WORKERS_AFTER = timedelta(days=1)


def requeue_abandoned(now=None):
    """Put back in the queue (READY) every RUNNING task whose workers have all fallen silent;
    returns how many. For the scheduler, every few minutes; safe to run twice (a requeued task
    is no longer running) and from two schedulers at once (the rows are locked).

    A worker is silent when its heartbeat row is older than WORKER_SILENCE_SECONDS, or missing
    (deleted, never written). A task started less than WORKER_SILENCE_SECONDS ago is never taken
    for abandoned: its worker was alive when it took it. Every worker that ever held the task
    counts (`worker_ids`): one still beating may still be running it. The task keeps its
    `worker_ids` as a history; its `started_at` is cleared, and the next worker sets it again.
    `now` is for tests.
    """
    now = now or timezone.now()
    silent_since = now - timedelta(seconds=settings.WORKER_SILENCE_SECONDS)
    requeued = []
    with transaction.atomic():
        running = list(
            DBTaskResult.objects.running()
            .filter(Q(started_at__lt=silent_since) | Q(started_at__isnull=True))
            .select_for_update()
            .order_by("started_at")
        )
        if not running:
            return 0
        worker_ids = {worker_id for task in running for worker_id in task.worker_ids}
        last_seen = dict(
            WorkerHeartbeat.objects.filter(worker_id__in=worker_ids).values_list("worker_id", "seen_at")
        )
        for task in running:
            if any(last_seen.get(worker_id, silent_since) > silent_since for worker_id in task.worker_ids):
                continue
            requeued.append(task)
            logger.warning(
                "Tâche %s (%s) remise en file : commencée le %s, travailleurs silencieux %s.",
                task.id,
                task.task_path,
                task.started_at.isoformat() if task.started_at else "?",
                ", ".join(
                    f"{worker_id} (vu le {last_seen[worker_id].isoformat()})"
                    if worker_id in last_seen
                    else f"{worker_id} (jamais vu ou oublié)"
                    for worker_id in task.worker_ids
                )
                or "aucun",
            )
        DBTaskResult.objects.filter(pk__in=[task.pk for task in requeued]).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return len(requeued)


def forget_silent_workers(now=None):
    """Delete the heartbeat rows of workers silent for a day (a worker killed leaves its row
    behind; one stopped properly deletes its own); returns how many. Their running tasks, if
    any, still count as abandoned. For the scheduler, daily; `now` is for tests."""
    now = now or timezone.now()
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return deleted
