"""seed_demo as a whole: what it prints, who logs in, and that running it again doubles nothing
(the demo of tests/demo/conftest.py is seeded once; the refusals are in
tests/organisations/test_seed_demo.py)."""

import io
import re

from django.core.management import call_command
from django.urls import reverse

from reperes.accounts.models import User
from reperes.campaigns.models import Campaign
from reperes.demo import observatory as demo_observatory
from reperes.listings.models import Listing
from reperes.matchmaking.models import Case
from reperes.organisations.models import Membership, Network, Organisation
from reperes.programmes.models import (
    Assignment,
    Attendance,
    Cohort,
    DateChoice,
    Enrolment,
    ExpertQuestion,
    FaqEntry,
    Note,
    Participant,
    Speaker,
    Workshop,
)
from reperes.requests.models import Request
from reperes.resources.models import Resource
from reperes.sharing.models import ResultShare
from reperes.surveys.models import Recipient, Survey

MODELS = [
    User,
    Organisation,
    Membership,
    Campaign,
    Cohort,
    Speaker,
    Workshop,
    Enrolment,
    Participant,
    DateChoice,
    Attendance,
    Assignment,
    Note,
    ExpertQuestion,
    FaqEntry,
    ResultShare,
    Request,
    Survey,
    Listing,
    Case,
    Resource,
]


def test_running_it_again_forced_in_production_doubles_nothing(demo, settings):
    counts = {model.__name__: model.objects.count() for model in MODELS}
    assert counts["Cohort"] == 2
    settings.DEBUG = False  # refused without --force (tests/organisations/test_seed_demo.py)
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    assert {model.__name__: model.objects.count() for model in MODELS} == counts
    assert "alice@demo.reperes.fr" in out.getvalue() and "demo-reperes-2026" in out.getvalue()


def test_six_named_organisations_and_those_of_the_observatory(demo):
    named = Organisation.objects.exclude(slug__startswith=demo_observatory.PREFIX)
    assert named.count() == 6
    assert {"association", "scop", "scic", "mutuelle"} <= set(named.values_list("legal_form", flat=True))
    assert Organisation.objects.count() == 6 + demo_observatory.COUNT
    assert Network.objects.get().organisations.count() == 6 + demo_observatory.COUNT


def test_the_network_surveys_one_closed_and_one_open(demo):
    # One closed, postponed once, with results; one open that the named organisations have still
    # to answer (Bois & Compagnie has a draft).
    closed, current = Survey.objects.get(state="closed"), Survey.objects.get(state="open")
    assert closed.was_postponed and closed.closes_on.month == 10 and closed.closes_on.day == 23
    assert closed.recipients.filter(state=Recipient.State.SUBMITTED).count() >= 40
    assert closed.recipients.filter(quote_consent=True).exists()
    assert Recipient.objects.get(survey=current, organisation__slug="bois-et-compagnie").state == "draft"
    assert not Recipient.objects.get(survey=current, organisation__slug="jardins-du-lien").has_answered


def test_network_roles_log_in_with_the_printed_two_factor_code(demo, client):
    nina = User.objects.get(email="nina@demo.reperes.fr")
    out = io.StringIO()
    call_command("demo_code", stdout=out)
    code = re.search(r"\d{6}", out.getvalue()).group(0)
    client.post(reverse("accounts:login"), {"username": nina.email, "password": "demo-reperes-2026"})
    response = client.post(reverse("accounts:login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("networks:home", args=["reseau-ess-demo"])).status_code == 200
