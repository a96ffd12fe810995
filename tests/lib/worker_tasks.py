"""A task for tests/lib/test_worker.py, importable by the `manage.py worker` that the test starts
as a process of its own (with the settings of tests/lib/worker_settings.py)."""

import os
import time
from pathlib import Path

from django.tasks import task

from reperes.lib.models import SentMail

WAIT_AT_MOST = 20  # seconds: a test that never lets the task go does not leave a worker behind


@task
def record_then_wait(key, folder):
    """Note this run in folder/runs (every run, with its process id), do the task's effect once
    under the idempotency key `key` (a SentMail row, as the mail task records its mail), then
    wait until folder/go exists, so that the test can kill the worker while the task runs."""
    folder = Path(folder)
    with (folder / "runs").open("a") as runs:
        runs.write(f"{os.getpid()}\n")
    SentMail.objects.get_or_create(key=key)
    deadline = time.monotonic() + WAIT_AT_MOST
    while not (folder / "go").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{folder / 'go'} never appeared")
        time.sleep(0.05)
    return key


@task
def lose_the_database_once(key):
    """Fails as a lost connection does the first time (no SentMail row for `key` yet), then
    records `key`: for the worker's handling of a database that went away under a task."""
    from django.db import OperationalError

    if not SentMail.objects.filter(key=f"{key}-tried").exists():
        SentMail.objects.create(key=f"{key}-tried")
        raise OperationalError("server closed the connection unexpectedly")
    SentMail.objects.get_or_create(key=key)
    return key


@task
def always_lose_the_database(key):
    from django.db import OperationalError

    raise OperationalError("server closed the connection unexpectedly")
