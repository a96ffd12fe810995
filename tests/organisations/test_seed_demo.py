import pytest
from django.core.management import CommandError, call_command

from reperes.accounts.models import User
from reperes.organisations.models import Membership, Network, Organisation

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_production_configuration(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert counts == (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    )
    assert Organisation.objects.count() == 3
    assert Network.objects.get().organisations.count() == 3
    out = capsys.readouterr().out
    assert "alice@demo.reperes.fr" in out and "demo-reperes-2026" in out


def test_seed_demo_forced_in_production(settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True)
    assert set(Organisation.objects.values_list("legal_form", flat=True)) == {
        "association",
        "scop",
        "scic",
    }
