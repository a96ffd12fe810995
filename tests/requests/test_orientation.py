"""While a request waits: each theme leads to the Repères tools that work on it, and to the
network's current offers that serve it and admit the organisation."""

from datetime import timedelta

import pytest
from django.urls import resolve
from django.utils import timezone

from reperes.requests.models import Theme
from reperes.requests.orientation import THEMES_FROM_RESULTS, TOOLS, orientation, request_themes_for
from tests.campaigns.factories import questionnaire_version
from tests.offers.factories import OfferFactory

pytestmark = pytest.mark.django_db

EXPECTED_TOOLS = {
    Theme.ACTIVITES: {"telework:inventory"},
    Theme.PRATIQUES: {"campaigns:create", "fiches:detail"},
    Theme.HYBRIDE: {"fiches:detail"},
    Theme.COLLECTIF: {"fiches:detail"},
    Theme.CHARTE: {"charters:list", "fiches:detail"},
}


@pytest.mark.parametrize("theme", Theme.values)
def test_each_theme_leads_to_tools_that_exist(eligible, theme):
    (item,) = orientation(eligible, [theme])
    names = set()
    for _label, _text, url in item["tools"]:
        match = resolve(url.split("?")[0])
        names.add(f"{match.namespace}:{match.url_name}")
    assert names == EXPECTED_TOOLS[theme]


def test_the_readiness_diagnostic_is_chosen_in_advance(client_of, alice, eligible):
    questionnaire_version("teletravail-preparation")
    (item,) = orientation(eligible, [Theme.PRATIQUES])
    url = item["tools"][0][2]
    form = client_of(alice).get(url).context["form"]
    assert form.initial["questionnaire"].slug == "teletravail-preparation"


def test_fiches_named_by_the_orientation_exist(client):
    from reperes.fiches.loading import load_fiches

    load_fiches()
    for tools in TOOLS.values():
        for tool in tools:
            if tool.fiche:
                assert client.get(f"/fiches/{tool.fiche}/").status_code == 200, tool.fiche


def test_each_theme_finds_the_matching_offers_only(eligible, network):
    today = timezone.localdate()
    charter = OfferFactory(network=network, title="Atelier charte", subjects=["charte"])
    OfferFactory(network=network, title="Atelier collectif", subjects=["collectif"])
    OfferFactory(
        network=network, title="Charte expirée", subjects=["charte"], ends_on=today - timedelta(days=1)
    )
    OfferFactory(network=network, title="Charte archivée", subjects=["charte"], archived=True)
    OfferFactory(network=network, title="Charte pour les grands", subjects=["charte"], max_employees=5)
    OfferFactory(network=network, title="Charte en Corse", subjects=["charte"], regions=["94"])
    OfferFactory(title="Charte d'un autre réseau", subjects=["charte"])
    (item,) = orientation(eligible, [Theme.CHARTE])
    assert [offer.title for offer in item["offers"]] == [charter.title]


def test_themes_come_out_in_a_fixed_order():
    assert [
        item
        for item in request_themes_for(
            ["qvt-numerique:espaces", "teletravail-preparation:tt-cadre", "qvt-numerique:temps"]
        )
    ] == [
        Theme.HYBRIDE,
        Theme.CHARTE,
    ]
    assert request_themes_for(["qvt-numerique:competences"]) == []


def test_every_results_theme_named_exists():
    for key in THEMES_FROM_RESULTS:
        slug, theme_id = key.split(":")
        spec = questionnaire_version(slug).spec
        assert theme_id in {theme["id"] for theme in spec.themes}, key
