"""The health check that monitoring polls: `GET /sante/`, JSON, no account needed.

    {"status": "ok" | "degraded" | "error",
     "checks": {"database": {...}, "cache": {...}, "worker": {...}, "tasks": {...}}}

- database: a trivial query answers;
- cache: a value written to the default cache (its table, or Redis) reads back;
- worker: with TASKS_BACKEND=database, how many workers wrote their heartbeat within
  WORKER_SILENCE_SECONDS, and how long ago the freshest did; « not needed » otherwise;
- tasks: with TASKS_BACKEND=database, how many tasks are due and waiting, and how long the
  oldest has waited; « not needed » otherwise.

HTTP 503 (status « error ») when the database or the cache fails: this process cannot serve
pages. HTTP 200 with « degraded » when no worker beats or a task has waited longer than
HEALTH_TASK_WAIT_SECONDS: pages work, mails and documents are late. Checks that need the
database are « unknown » when it does not answer, rather than each waiting for it in turn.

The answer says nothing an outsider could use: no host, database name, version, path,
exception message or worker id (failures go to the log, whose lines are masked), and nothing
per organisation or per person, only the size of the queue and the age of its oldest task.
GET or HEAD only: no session, no CSRF token, no cookie, `Cache-Control: no-store`. At most
nine queries, each bounded: on PostgreSQL by a statement timeout of STATEMENT_TIMEOUT_MS (reset
afterwards, since the connection serves other requests), on SQLite by its busy timeout (5 s).
A database that does not answer at all is bounded by `connect_timeout` in DATABASE_URL, and
Redis by the socket timeouts of its cache's options (docs/operations.md).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.db.models import Case, Count, F, Max, Min, Q, When
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

from reperes.lib.models import WorkerHeartbeat

logger = logging.getLogger("reperes.health")

OK, DEGRADED, ERROR = "ok", "degraded", "error"
NOT_NEEDED, UNKNOWN = "not needed", "unknown"

# A statement of a check that takes longer than this has failed (PostgreSQL).
STATEMENT_TIMEOUT_MS = 2000
# The cache check's key: one row whatever the number of processes, overwritten by each check.
CACHE_KEY = "reperes:health"
# A value read back counts if written this recently (two checks at once both pass).
CACHE_FRESHNESS_SECONDS = 10


def check_database():
    """A trivial query. On PostgreSQL, first bound every statement of the checks to
    STATEMENT_TIMEOUT_MS, for this connection until `unbound()`."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(STATEMENT_TIMEOUT_MS)])
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": OK, "ms": _milliseconds(started)}


def unbound():
    """The connection serves other requests afterwards (CONN_MAX_AGE): back to the usual
    statement timeout."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


def _milliseconds(started):
    return round((time.monotonic() - started) * 1000)


def _cache_in_database():
    return isinstance(caches["default"], DatabaseCache)


def check_cache():
    """A write and a read of the default cache. The value is the time of writing, so that two
    checks at once (two monitors) each read back a fresh value, whichever wrote last."""
    cache = caches["default"]
    started = time.monotonic()
    written = time.time()
    cache.set(CACHE_KEY, written, timeout=60)
    read = cache.get(CACHE_KEY)
    if not isinstance(read, float) or abs(read - written) > CACHE_FRESHNESS_SECONDS:
        logger.warning("Vérification de santé : le cache ne rend pas la valeur écrite.")
        return {"status": ERROR}
    return {"status": OK, "ms": _milliseconds(started)}


def _queue_in_database():
    return settings.TASKS_BACKEND == "database"


def check_worker(now):
    """How many workers are alive (a heartbeat within WORKER_SILENCE_SECONDS) and how long ago
    the freshest beat was; « degraded » when none is alive."""
    if not _queue_in_database():
        return {"status": NOT_NEEDED}
    silent_since = now - timedelta(seconds=settings.WORKER_SILENCE_SECONDS)
    beats = WorkerHeartbeat.objects.aggregate(
        live=Count("pk", filter=Q(seen_at__gte=silent_since)), freshest=Max("seen_at")
    )
    freshest = beats["freshest"]
    return {
        "status": OK if beats["live"] else DEGRADED,
        "live": beats["live"],
        "seconds_since_beat": None if freshest is None else max(0, round((now - freshest).total_seconds())),
    }


def check_tasks(now):
    """How many tasks are due and not yet taken, and how long the oldest has waited since it
    became due; « degraded » past HEALTH_TASK_WAIT_SECONDS. One figure for the whole instance,
    nothing per organisation."""
    if not _queue_in_database():
        return {"status": NOT_NEEDED}
    # A task without a delay carries the largest date as run_after: it was due when enqueued.
    due = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    queue = DBTaskResult.objects.ready().aggregate(pending=Count("pk"), due_since=Min(due))
    due_since = queue["due_since"]
    oldest = None if due_since is None else max(0, round((now - due_since).total_seconds()))
    late = oldest is not None and oldest > settings.HEALTH_TASK_WAIT_SECONDS
    return {"status": DEGRADED if late else OK, "pending": queue["pending"], "oldest_seconds": oldest}


def _run(name, check, *args):
    """The check's answer, or « error » with the reason in the log only."""
    try:
        return check(*args)
    except Exception:
        logger.warning("Vérification de santé « %s » en échec.", name, exc_info=True)
        return {"status": ERROR}


def run_checks(now=None):
    """The health of this instance: (overall status, checks). `now` is for tests."""
    now = now or timezone.now()
    checks = {"database": _run("database", check_database)}
    database_up = checks["database"]["status"] == OK
    if database_up or not _cache_in_database():
        checks["cache"] = _run("cache", check_cache)
    else:
        checks["cache"] = {"status": UNKNOWN}
    for name, check in (("worker", check_worker), ("tasks", check_tasks)):
        checks[name] = _run(name, check, now) if database_up else {"status": UNKNOWN}
    if database_up:
        _run("reset", unbound)
    if not database_up or checks["cache"]["status"] != OK:
        return ERROR, checks
    if any(check["status"] not in (OK, NOT_NEEDED) for check in checks.values()):
        return DEGRADED, checks
    return OK, checks


@login_not_required
@never_cache
@require_safe
def health(request):
    status, checks = run_checks()
    response = JsonResponse({"status": status, "checks": checks}, status=503 if status == ERROR else 200)
    # The failures are in the log already (reperes.health, one line each): django.request would
    # add a « Service Unavailable » at ERROR, mailed to ADMINS at every poll of the monitor.
    response._has_been_logged = True
    return response
