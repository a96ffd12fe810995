import io

import pytest
from django.core.management import CommandError, call_command

from reperes.accounts.models import User
from reperes.demo import observatory as demo_observatory
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
    # The six named organisations, and those generated for the observatory's tables.
    named = Organisation.objects.exclude(slug__startswith=demo_observatory.PREFIX)
    assert named.count() == 6
    assert Organisation.objects.count() == 6 + demo_observatory.COUNT
    assert Network.objects.get().organisations.count() == 6 + demo_observatory.COUNT
    out = capsys.readouterr().out
    assert "alice@demo.reperes.fr" in out and "demo-reperes-2026" in out
    # The network's surveys: one closed, postponed once, with results; one open that the named
    # organisations have still to answer (Bois & Compagnie has a draft).
    from reperes.surveys.models import Recipient, Survey

    closed, current = Survey.objects.get(state="closed"), Survey.objects.get(state="open")
    assert closed.was_postponed and closed.closes_on.month == 10 and closed.closes_on.day == 23
    assert closed.recipients.filter(state=Recipient.State.SUBMITTED).count() >= 40
    assert closed.recipients.filter(quote_consent=True).exists()
    assert Recipient.objects.get(survey=current, organisation__slug="bois-et-compagnie").state == "draft"
    assert not Recipient.objects.get(survey=current, organisation__slug="jardins-du-lien").has_answered


def test_seed_demo_forced_in_production(settings):
    settings.DEBUG = False
    call_command("seed_demo", force=True)
    assert set(Organisation.objects.values_list("legal_form", flat=True)) >= {
        "association",
        "scop",
        "scic",
        "mutuelle",
    }


def test_demo_network_roles_log_in_with_the_printed_two_factor_code(settings, client):
    import re

    from django.urls import reverse

    settings.DEBUG = True
    call_command("seed_demo")
    nina = User.objects.get(email="nina@demo.reperes.fr")
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    code = re.search(r"\d{6}", out.getvalue()).group(0)
    client.post(reverse("accounts:login"), {"username": nina.email, "password": "demo-reperes-2026"})
    response = client.post(reverse("accounts:login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("networks:home", args=["reseau-ess-demo"])).status_code == 200


def test_demo_code_refuses_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_code")
