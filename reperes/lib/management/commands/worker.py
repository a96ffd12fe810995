import logging
import socket
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, TaskResultStatus, task_backends
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from reperes.lib.models import WorkerHeartbeat

logger = logging.getLogger("reperes.tasks")


class Command(db_worker.Command):
    help = (
        "Runs the queued tasks (mail…) beside gunicorn, when TASKS_BACKEND=database: "
        "django_tasks_db's worker, which also writes its heartbeat every WORKER_HEARTBEAT_SECONDS. "
        "A worker stopped by SIGTERM or Ctrl+C ends its task first and forgets its heartbeat; one "
        "killed leaves its task running, and the scheduler puts it back in the queue once the "
        "worker has been silent for WORKER_SILENCE_SECONDS (reperes/lib/tasks.py)."
    )

    def add_arguments(self, parser):
        # db_worker's options, without --reload and --backend (Repères has one backend, and a
        # reloaded worker would stop its tasks half-way) nor --exclude-queues.
        parser.add_argument(
            "--queue-name",
            default=DEFAULT_TASK_QUEUE_NAME,
            help="The queues to run, separated by commas; '*' for all (default: %(default)r).",
        )
        parser.add_argument(
            "--interval",
            default=1,
            type=db_worker.valid_interval,
            help="Seconds to wait when the queue is empty (default: %(default)r).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks waiting, then stop (tests, one-off runs)."
        )
        parser.add_argument(
            "--max-tasks", type=db_worker.valid_max_tasks, help="Stop after running this many tasks."
        )
        parser.add_argument(
            "--worker-id",
            type=db_worker.validate_worker_id,
            help="This worker's id, unique among the workers (default: host name and random letters).",
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="Start at once, without the random delay that spreads workers started together.",
        )

    def handle(
        self, *, verbosity, queue_name, interval, batch, max_tasks, worker_id, startup_delay, **options
    ):
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
            raise CommandError(
                f"TASKS_BACKEND vaut « {settings.TASKS_BACKEND} » : les tâches s'exécutent dans la "
                "requête qui les crée, et un travailleur n'a rien à faire. Pour les mettre en file, "
                "donnez TASKS_BACKEND=database à gunicorn comme au travailleur."
            )
        self.configure_logging(verbosity)
        worker_id = worker_id or f"{socket.gethostname()[:40]}-{get_random_string(12)}"
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        heartbeat = Heartbeat(worker_id, settings.WORKER_HEARTBEAT_SECONDS)
        heartbeat.start()
        if verbosity:
            self.stdout.write(
                f"Travailleur {worker_id} : files {queue_name}, "
                f"battement toutes les {settings.WORKER_HEARTBEAT_SECONDS} s."
            )
        try:
            worker.configure_signals()
            worker.run()
        finally:
            heartbeat.stop()
            if verbosity:
                self.stdout.write(f"Travailleur {worker_id} arrêté.")


class Worker(db_worker.Worker):
    """django_tasks_db's worker, which outlives the database going away (PostgreSQL restarted,
    the network cut): django_tasks_db's own stops at the first connection refused.

    - Waiting for the database, it tries again after 1, 2, 4… seconds (at most RETRY_MAX), and
      logs each failure on one line; the heartbeat thread goes on trying too.
    - The task it was running when the database went away is put back in the queue once the
      database answers (it was left RUNNING, and this worker, still beating, would never be
      taken for dead).
    - A task that failed because of the database (OperationalError, InterfaceError: the
      connection lost under it) is put back in the queue rather than left FAILED, up to
      MAX_ATTEMPTS runs: tasks are idempotent (reperes/lib/tasks.py), so running it again is
      safe, and a mail is not lost to a restart.
    """

    RETRY_MAX = 30
    MAX_ATTEMPTS = 5
    DATABASE_FAILURES = {"django.db.utils.OperationalError", "django.db.utils.InterfaceError"}

    def run(self):
        delay = 1
        while True:
            try:
                self.put_back_own_tasks()
                super().run()
                return
            except DatabaseError:
                if not self.running:
                    return
                logger.warning(
                    "Travailleur %s : la base de données ne répond pas ; nouvel essai dans %s s.",
                    self.worker_id,
                    delay,
                    exc_info=True,
                )
            connections.close_all()
            self.startup_delay = False
            for _ in range(delay * 5):  # a stop (SIGTERM) is heard within 0.2 s
                if not self.running:
                    return
                time.sleep(0.2)
            delay = min(delay * 2, self.RETRY_MAX)

    def put_back_own_tasks(self):
        """Put back in the queue the tasks this worker holds RUNNING: left so when the database
        went away under them. Returns how many."""
        held = [
            task.pk
            for task in DBTaskResult.objects.running().only("pk", "worker_ids")
            if task.worker_ids and task.worker_ids[-1] == self.worker_id
        ]
        if held:
            DBTaskResult.objects.filter(pk__in=held, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
            logger.warning("Travailleur %s : %s tâche(s) remise(s) en file.", self.worker_id, len(held))
        return len(held)

    def run_task(self, db_task_result):
        super().run_task(db_task_result)
        if (
            db_task_result.status == TaskResultStatus.FAILED
            and db_task_result.exception_class_path in self.DATABASE_FAILURES
            and len(db_task_result.worker_ids) < self.MAX_ATTEMPTS
        ):
            DBTaskResult.objects.filter(pk=db_task_result.pk, status=TaskResultStatus.FAILED).update(
                status=TaskResultStatus.READY, started_at=None, finished_at=None
            )
            logger.warning(
                "Tâche %s (%s) remise en file : la base de données a manqué pendant son exécution.",
                db_task_result.pk,
                db_task_result.task_path,
            )


class Heartbeat(threading.Thread):
    """Writes the worker's `WorkerHeartbeat` row every `every` seconds, on a connection of its
    own (Django's connections belong to their thread), until stop(), which deletes the row. A
    daemon: a worker whose main thread ends never waits for it."""

    def __init__(self, worker_id, every):
        super().__init__(name=f"heartbeat {worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()
        # Held while a beat writes: once stop() has it, no beat is under way and none will
        # start, so the row it deletes is never written again (a slow beat on a busy SQLite
        # database used to land after the delete).
        self.writing = threading.Lock()

    def run(self):
        try:
            while True:
                self.beat()
                if self.stopping.wait(self.every):
                    break
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            logger.warning(
                "Le travailleur %s n'a pas pu effacer son battement.", self.worker_id, exc_info=True
            )
        finally:
            connections.close_all()  # this thread's connections only

    def beat(self):
        # A failed beat (the database restarting, SQLite busy) is tried again at the next one:
        # the worker is taken for dead only after WORKER_SILENCE_SECONDS without any.
        with self.writing:
            if self.stopping.is_set():
                return
            self._write()

    def _write(self):
        try:
            close_old_connections()
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id, defaults={"seen_at": timezone.now()}
            )
        except DatabaseError:
            logger.warning(
                "Le travailleur %s n'a pas pu écrire son battement.", self.worker_id, exc_info=True
            )
            connections.close_all()

    def stop(self, timeout=10):
        self.stopping.set()
        # Wait for a beat under way (bounded: a database that hangs must not keep the worker).
        if self.writing.acquire(timeout=30):
            self.writing.release()
        self.join(timeout)
        # The beat thread deletes the row on its way out, but a busy database (SQLite under
        # load) can make that delete fail or outlast the wait: make sure from this thread too.
        for attempt in range(3):
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
                return
            except DatabaseError:
                time.sleep(0.5 * (attempt + 1))
        logger.warning("Le travailleur %s n'a pas pu effacer son battement.", self.worker_id)
