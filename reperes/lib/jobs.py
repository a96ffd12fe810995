"""The periodic jobs of reperes.lib, run by `manage.py run_scheduled` (declared in apps.py):
the purge of what only needs to live a while, and the requeue of interrupted tasks."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reperes.lib.mail import purge_mail_keys
from reperes.lib.models import ScheduledRun
from reperes.lib.tasks import forget_silent_workers, requeue_abandoned

SCHEDULED_RUNS_DAYS = 90
TASK_RESULTS_DAYS = 7
MAIL_KEYS_DAYS = 30


def purge():
    """Delete the scheduler's runs older than 90 days, the finished task rows (queued mail,
    successful or failed) older than 7 days, and the idempotency keys of mails sent more than
    MAIL_KEYS_DAYS days ago (30 by default). Safe to run twice: the second finds nothing."""
    now = timezone.now()
    runs, _ = ScheduledRun.objects.filter(started_at__lt=now - timedelta(days=SCHEDULED_RUNS_DAYS)).delete()
    results, _ = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=now - timedelta(days=TASK_RESULTS_DAYS))
        .delete()
    )
    keys = purge_mail_keys(getattr(settings, "MAIL_KEYS_DAYS", MAIL_KEYS_DAYS))
    workers = forget_silent_workers()
    return (
        f"Purgés : {runs} exécutions planifiées, {results} tâches finies, {keys} clés d'e-mails, "
        f"{workers} travailleurs muets."
    )


def requeue():
    """Put back in the queue the tasks still marked running whose workers all fell silent
    (reperes.lib.tasks.requeue_abandoned). Safe to run twice: a requeued task is no longer
    running."""
    return f"Tâches remises en file : {requeue_abandoned()}."
