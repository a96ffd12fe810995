"""The demo, seeded once for the package rather than once per test (seed_demo takes seconds).

The seeding is committed, so each test reads it inside its own transaction and leaves it as it
found it; the database is emptied when the package's last test is done, as after a
transactional test, so that the tests of other packages find it empty."""

import io

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from reperes.organisations.models import Network


@pytest.fixture(scope="package")
def _demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    quick = override_settings(
        DEBUG=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
    )
    with django_db_blocker.unblock(), quick:
        call_command("seed_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_demo_seeded, db, settings, tmp_path):
    """The demo network. Running seed_demo again in a test needs DEBUG, hence set here."""
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return Network.objects.get(slug="reseau-ess-demo")
