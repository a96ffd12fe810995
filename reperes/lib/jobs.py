"""The periodic jobs of reperes.lib, run by `manage.py run_scheduled` (declared in apps.py):
the purge of what only needs to live a while, and the requeue of interrupted tasks."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reperes.lib.limits import MAIL_COUNTERS_DAYS
from reperes.lib.mail import purge_mail_keys
from reperes.lib.models import MailCounter, ScheduledRun
from reperes.lib.tasks import forget_silent_workers, requeue_abandoned

SCHEDULED_RUNS_DAYS = 90
TASK_RESULTS_DAYS = 7
MAIL_KEYS_DAYS = 30
DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


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


def forget_counters():
    """Delete the daily mail counters older than MAIL_COUNTERS_DAYS (new counters delete them too,
    but a quiet instance creates none), and the expired entries of the database caches: the
    throttles' counters (hashed addresses and accounts) stay in the table after their time until
    the cache is full. Redis forgets them by itself. Safe to run twice."""
    oldest = timezone.localdate() - timedelta(days=MAIL_COUNTERS_DAYS)
    counters, _ = MailCounter.objects.filter(day__lt=oldest).delete()
    entries = sum(forget_expired_cache_entries(alias) for alias in settings.CACHES)
    return f"Compteurs oubliés : {counters} compteurs d'e-mails, {entries} entrées expirées du cache."


def forget_expired_cache_entries(alias):
    """Delete, in one query, the expired rows of the cache `alias` if it is a database table (what
    Django's database cache does only when it is over MAX_ENTRIES). Returns how many."""
    config = settings.CACHES[alias]
    if config["BACKEND"] != DATABASE_CACHE:
        return 0
    db = router.db_for_write(caches[alias].cache_model_class)
    connection = connections[db]
    table, expires = connection.ops.quote_name(config["LOCATION"]), connection.ops.quote_name("expires")
    now = timezone.now().replace(microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires} < %s",  # noqa: S608 (names from settings, quoted)
            [connection.ops.adapt_datetimefield_value(now)],
        )
        return max(cursor.rowcount, 0)
