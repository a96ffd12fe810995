"""Settings of the `manage.py worker` that tests/lib/test_worker.py starts as a process of its
own: the project's settings, on the test database that the test process names in
REPERES_TEST_DATABASE_NAME (a file for SQLite, a database for PostgreSQL). Everything else,
the engine and its options included, comes from the same environment as in production."""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["REPERES_TEST_DATABASE_NAME"]
