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

# The closed campaign whose results page run.py and http_bench.py time.
RESULTS_RESPONSES = 250


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


def open_campaign(organisation, lead, title):
    """An open diagnostic of the qvt-numerique questionnaire with the default groups, closing in
    three weeks, that any number of people may answer: what the HTTP benches answer."""
    from datetime import timedelta

    from django.utils import timezone

    from reperes.campaigns import actions
    from reperes.instruments.models import Questionnaire

    campaign = actions.create_campaign(
        organisation,
        by=lead,
        groups=actions.DEFAULT_GROUPS,
        questionnaire_version=Questionnaire.objects.get(slug="qvt-numerique").latest_version(),
        title=title,
        closes_on=timezone.localdate() + timedelta(days=21),
    )
    return actions.open_campaign(campaign, by=lead, expected_respondents=100_000)


def build_closed_campaign():
    """The demo Scop's campaign of RESULTS_RESPONSES responses in four groups and none, closed
    (closing stores its figures): the results page that run.py and http_bench.py time."""
    import random
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from reperes.accounts.models import User
    from reperes.campaigns import actions
    from reperes.campaigns.models import Answer, Response, new_token
    from reperes.demo.management.commands.seed_demo import DEMO_DOMAIN
    from reperes.instruments.models import Questionnaire
    from reperes.organisations.models import Organisation

    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    spec = version.spec
    values = sorted(spec.values)
    today = timezone.localdate()
    rng = random.Random(2026)
    dave = User.objects.get(email=f"dave@{DEMO_DOMAIN}")
    scop = Organisation.objects.get(slug="bois-et-compagnie")
    campaign = actions.create_campaign(
        scop,
        by=dave,
        groups=actions.DEFAULT_GROUPS,
        questionnaire_version=version,
        title="Diagnostic à 250 réponses (bench)",
        closes_on=today + timedelta(days=1),
    )
    campaign = actions.open_campaign(campaign, by=dave, expected_respondents=RESULTS_RESPONSES)
    groups = list(campaign.groups.all())
    sizes = [(groups[0], 18), (groups[1], 150), (groups[2], 52), (groups[3], 12)]
    sizes.append((None, RESULTS_RESPONSES - sum(n for _, n in sizes)))
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            Response(campaign=campaign, group=group, submitted_on=today, submission_key=new_token())
            for group, count in sizes
            for _ in range(count)
        )
        Answer.objects.bulk_create(
            (
                Answer(response=response, item_id=item_id, value=rng.choice(values))
                for response in responses
                for item_id in spec.item_ids
            ),
            batch_size=2000,
        )
    actions.close_campaign(campaign, by=dave)
    return campaign, dave
