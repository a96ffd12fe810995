"""Point 4 of issue 17: the health check that monitoring polls (/sante/).

What it must never do: tell an outsider where the database lives or what failed (a host name,
a database name, an exception message, a worker's id), set a cookie, or give a live count that
moves when one known person acts (only the queue's size and its oldest age, for the instance).
"""

import json
import logging
import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError, connections
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from reperes.lib.health import STATEMENT_TIMEOUT_MS, run_checks
from reperes.lib.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

URL = "/sante/"
WORKER_ID = "web-7.interne-QZX81kd02mfa"
# What a failing driver says: a host, an address, a database name, a password.
LEAKY_MESSAGE = (
    'connection to server at "db-prod-3.interne.example" (10.20.30.40) failed: database "reperes_prod"'
)


def queued_task(*, enqueued_ago, run_after=None):
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="reperes.lib.mail.deliver_mail",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - enqueued_ago)
    return task


@pytest.fixture
def queue_in_database(settings):
    settings.TASKS_BACKEND = "database"
    settings.HEALTH_TASK_WAIT_SECONDS = 600


# PostgreSQL: bound the statements, SELECT 1, the cache's write (count, read, insert) and read,
# the heartbeats, the queue, reset the bound; the test's transaction adds the savepoint (two)
# of the cache's write. SQLite has no bound to set and reset.
MAX_QUERIES = 11


def get_health(client):
    response = client.get(URL)
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def test_the_url_is_sante():
    assert reverse("health") == URL


def test_all_well_is_ok_without_cookie_and_never_cached(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response, body = get_health(client)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    # Tasks run inside the request (TASKS_BACKEND=immediate): no worker, no queue to watch.
    assert body["checks"]["worker"] == {"status": "not needed"}
    assert body["checks"]["tasks"] == {"status": "not needed"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Set-Cookie" not in response


def test_a_monitor_may_ask_for_the_head_only(client):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405  # nothing to send here


def test_live_worker_and_fresh_queue_are_ok(client, queue_in_database, django_assert_max_num_queries):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=WORKER_ID, seen_at=now - timedelta(seconds=4))
    WorkerHeartbeat.objects.create(worker_id="parti", seen_at=now - timedelta(hours=3))
    queued_task(enqueued_ago=timedelta(seconds=30))
    queued_task(enqueued_ago=timedelta(seconds=5))
    # Delayed until tomorrow: not due, so not waiting.
    queued_task(enqueued_ago=timedelta(hours=2), run_after=now + timedelta(days=1))

    with django_assert_max_num_queries(MAX_QUERIES):
        response, body = get_health(client)

    assert response.status_code == 200
    assert body["status"] == "ok"
    worker, tasks = body["checks"]["worker"], body["checks"]["tasks"]
    assert worker["status"] == "ok"
    assert worker["live"] == 1
    assert 4 <= worker["seconds_since_beat"] <= 10
    assert tasks["status"] == "ok"
    assert tasks["pending"] == 2
    assert 30 <= tasks["oldest_seconds"] <= 40
    assert set(tasks) == {"status", "pending", "oldest_seconds"}  # nothing per organisation


def test_silent_worker_is_degraded_but_answers_200(client, queue_in_database):
    WorkerHeartbeat.objects.create(worker_id=WORKER_ID, seen_at=timezone.now() - timedelta(minutes=10))

    response, body = get_health(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["status"] == "degraded"
    assert body["checks"]["worker"]["live"] == 0
    assert 600 <= body["checks"]["worker"]["seconds_since_beat"] <= 610
    assert body["checks"]["database"]["status"] == "ok"


def test_no_worker_ever_is_degraded(queue_in_database):
    status, checks = run_checks()
    assert status == "degraded"
    assert checks["worker"] == {"status": "degraded", "live": 0, "seconds_since_beat": None}
    assert checks["tasks"] == {"status": "ok", "pending": 0, "oldest_seconds": None}


def test_a_task_waiting_too_long_is_degraded(client, queue_in_database):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=WORKER_ID, seen_at=now)
    queued_task(enqueued_ago=timedelta(seconds=5))
    # Delayed until 20 minutes ago: it has waited 20 minutes since it was due, not 2 hours.
    queued_task(enqueued_ago=timedelta(hours=2), run_after=now - timedelta(minutes=20))

    response, body = get_health(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["status"] == "ok"
    assert body["checks"]["tasks"]["status"] == "degraded"
    assert body["checks"]["tasks"]["pending"] == 2
    assert 1200 <= body["checks"]["tasks"]["oldest_seconds"] <= 1210


@pytest.fixture
def request_log():
    """The records of django.request (whose errors are mailed to ADMINS)."""
    records, handler = [], logging.Handler()
    handler.emit = records.append
    logging.getLogger("django.request").addHandler(handler)
    yield records
    logging.getLogger("django.request").removeHandler(handler)


def test_database_down_is_503_json_without_details(client, queue_in_database, request_log):
    failing = OperationalError(LEAKY_MESSAGE)
    with mock.patch.object(connections["default"], "cursor", side_effect=failing):
        response, body = get_health(client)

    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == {"status": "error"}
    # The cache is a table of the same database: not tried again, nor the worker or the queue.
    assert body["checks"]["cache"] == {"status": "unknown"}
    assert body["checks"]["worker"] == {"status": "unknown"}
    assert body["checks"]["tasks"] == {"status": "unknown"}
    for leak in ("db-prod-3", "10.20.30.40", "reperes_prod", "OperationalError", "failed"):
        assert leak not in response.content.decode()
    # Logged once by reperes.health, not mailed to ADMINS at every poll of the monitor.
    assert request_log == []


@pytest.mark.parametrize(
    ("method", "behaviour"),
    [
        ("set", {"side_effect": ConnectionError("redis://:motdepasse@cache.interne:6379/0")}),
        ("get", {"return_value": None}),  # a cache that loses what it is given
        ("get", {"return_value": 12.0}),  # a value from long ago
    ],
    ids=["write-fails", "read-loses", "read-stale"],
)
def test_cache_failing_is_503(client, method, behaviour):
    with mock.patch.object(caches["default"], method, **behaviour):
        response, body = get_health(client)

    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {"status": "error"}
    assert body["checks"]["database"]["status"] == "ok"
    assert "motdepasse" not in response.content.decode()
    assert "cache.interne" not in response.content.decode()


def test_the_answer_holds_no_secret(client, settings, queue_in_database):
    WorkerHeartbeat.objects.create(worker_id=WORKER_ID, seen_at=timezone.now())
    database = connections["default"].settings_dict

    response, body = get_health(client)

    assert body["status"] == "ok"
    text = response.content.decode()
    for secret in (
        str(database["NAME"]),
        settings.SECRET_KEY,
        WORKER_ID,
        socket.gethostname(),
        str(settings.BASE_DIR),
    ):
        assert secret not in text
    if database["HOST"]:
        assert database["HOST"] not in text
    # Only statuses, counts, ages and timings: no text of its own.
    assert set(body["checks"]["database"]) == {"status", "ms"}
    assert set(body["checks"]["worker"]) == {"status", "live", "seconds_since_beat"}


def test_failures_are_told_to_the_log_not_to_the_caller(client, caplog):
    with mock.patch.object(caches["default"], "set", side_effect=ConnectionError("cache.interne refuse")):
        response, _ = get_health(client)
    assert "cache.interne" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "reperes.health"]
    assert record.exc_info[1].args == ("cache.interne refuse",)


def test_statements_are_bounded_then_the_connection_is_given_back_as_it_was(client):
    connection = connections["default"]
    if connection.vendor != "postgresql":
        # SQLite has no statement timeout: the check sets none, and leaves the connection alone.
        with CaptureQueriesContext(connection) as queries:
            get_health(client)
        assert not any("statement_timeout" in query["sql"] for query in queries.captured_queries)
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        [before] = cursor.fetchone()
    seen = []

    def spy(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            seen.append(cursor.fetchone()[0])
        return {"status": "ok"}

    with mock.patch("reperes.lib.health.check_worker", side_effect=spy):
        get_health(client)
    assert seen == [f"{STATEMENT_TIMEOUT_MS // 1000}s"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before
