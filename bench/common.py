"""What the benchmarks share: a clean environment for config/settings.py, Django configured on a
throwaway SQLite database, the demo data, and the baseline page the ratios divide by.

Standard library only at import time: the load generator of http_bench.py imports this file and
never loads Django.
"""

import contextlib
import io
import logging
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables read by config/settings.py that would take a bench away from a local, plain-HTTP
# instance on a throwaway database (PostgreSQL, Redis, SMTP, HTTPS redirects, collected static
# files, another anonymity threshold…). They are removed, with their *_FILE variants, before
# Django reads its settings; each bench sets again the ones it needs.
SETTINGS_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "ADMIN_URL",
    "DATABASE_URL",
    "CONN_MAX_AGE",
    "REDIS_URL",
    "EMAIL_HOST",
    "BEHIND_TLS_PROXY",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "STATIC_MANIFEST",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "LOG_LEVEL",
    "ANONYMITY_THRESHOLD",
    "REPERES_VAR_DIR",
]

# The baseline of the in-process benches: the French 404 page for an anonymous visitor goes
# through every middleware, URL resolution and one small template, and runs no SQL query.
BASELINE_PATH = "/page-inexistante/"


def clean_environment(environ):
    """A copy of `environ` without the settings variables (nor their *_FILE variants)."""
    return {
        key: value for key, value in environ.items() if key.removesuffix("_FILE") not in SETTINGS_VARIABLES
    }


def send_mail_to_memory():
    """The mail sent while building the data goes to memory, not to the console nor a server."""
    from django.conf import settings

    locmem = {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    settings.MAILERS = {"default": locmem, "admins": locmem}


def configure_django(var_dir, *, database_url=None):
    """Django in this process, for django.test.Client, on a SQLite file in `var_dir` (or on the
    throwaway database at `database_url`)."""
    for name in set(os.environ) - set(clean_environment(os.environ)):
        del os.environ[name]
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["REPERES_VAR_DIR"] = str(var_dir)
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the host name django.test.Client sends
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()
    send_mail_to_memory()
    # Otherwise every request of the baseline prints "Not Found: …".
    logging.getLogger("django.request").setLevel(logging.ERROR)


def create_tables():
    """The tables, and the cache table that login throttling and the limits use."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)


def build_demo():
    """The tables, the content and the demo (seed_demo loads the content first)."""
    from django.core.management import call_command

    create_tables()
    # load_content prints its report on sys.stdout whatever stdout seed_demo is given.
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("seed_demo", force=True, stdout=io.StringIO())
