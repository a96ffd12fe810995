import pytest
from django.core.management import CommandError, call_command

from reperes.accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_production_configuration(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_code_refuses_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_code")
