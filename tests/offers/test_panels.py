"""The panels the results pages collect from OffersConfig: up to three offers for the weakest
themes, or None when nothing matches (then the page draws no panel)."""

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.test import RequestFactory

from reperes.lib.panels import collect
from reperes.offers.panels import maturity_panel, results_panel
from tests.offers.factories import OfferFactory
from tests.organisations.factories import NetworkFactory

pytestmark = pytest.mark.django_db


def render(panel):
    return render_to_string(panel["template"], {"panel": panel}, request=RequestFactory().get("/"))


def test_the_results_panel_shows_up_to_three_offers_for_the_weak_themes(network, org_a):
    for n in range(4):
        OfferFactory(network=network, title=f"Déconnexion {n}", subjects=["temps-deconnexion"])
    OfferFactory(network=network, title="Hors sujet", subjects=["emploi-rh"])

    panel = results_panel(
        organisation=org_a, campaign=None, weak_themes=["qvt-numerique:temps"], heading_level=3
    )

    assert len(panel["offers"]) == 3 and panel["heading_level"] == 3
    html = render(panel)
    assert (
        '<h3 id="offres-fragiles">Des offres de votre réseau pour vos thèmes les plus fragiles</h3>' in html
    )
    assert "<h4>" in html and "Déconnexion 0" in html and "Hors sujet" not in html
    assert "/s/jardins/offres/" in html


def test_the_maturity_panel_reads_maturity_dimensions(network, org_a):
    OfferFactory(network=network, title="Sauvegardes", subjects=["securite-donnees"])

    panel = maturity_panel(organisation=org_a, weak_themes=["maturite-numerique:securite"], extra="ignoré")

    assert [offer.title for offer in panel["offers"]] == ["Sauvegardes"]
    assert '<h2 id="offres-maturite">' in render(panel)


@pytest.mark.parametrize(
    "weak_themes", [[], ["qvt-numerique:temps"], ["inconnu:theme"]], ids=["no theme", "no offer", "unknown"]
)
def test_panels_are_none_when_nothing_matches(network, org_a, weak_themes):
    OfferFactory(network=network, subjects=["emploi-rh"])
    OfferFactory(network=NetworkFactory(), subjects=["temps-deconnexion"])
    assert results_panel(organisation=org_a, campaign=None, weak_themes=weak_themes) is None
    assert maturity_panel(organisation=org_a, weak_themes=weak_themes) is None


def test_lower_pages_collect_the_panels_without_importing_offers(network, org_a):
    """The hooks are named on OffersConfig; other apps may add their own panels beside ours."""
    config = apps.get_app_config("offers")
    assert config.results_panel == "reperes.offers.panels.results_panel"
    assert config.maturity_panel == "reperes.offers.panels.maturity_panel"
    OfferFactory(network=network, subjects=["securite-donnees"])
    org_a.membership, org_a.abilities = None, org_a.get_abilities(None)
    panels = collect("maturity_panel", organisation=org_a, weak_themes=["maturite-numerique:securite"])
    assert [panel["template"] for panel in panels if panel["template"].startswith("offers/")] == [
        "offers/_maturity_panel.html"
    ]
