"""Listings suggested beside a team's results: offers of the organisation's networks in the
categories that serve its weakest themes, never its own, never another network's."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from reperes.listings.models import Listing
from reperes.listings.panels import results_panel
from tests.listings.conftest import make_listing
from tests.organisations.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def render(panel):
    return render_to_string(panel["template"], {"panel": panel}, request=RequestFactory().get("/"))


@pytest.fixture
def offers(org_a, org_b, network, alice, dave, mia):
    premises = make_listing(org_b, network, dave, title="Bureau libre le lundi")
    skills = make_listing(
        org_b,
        network,
        dave,
        category=Listing.Category.SKILLS,
        title="Une juriste en droit social, deux jours",
    )
    make_listing(org_a, network, alice, title="Notre propre salle")  # never suggested to A
    make_listing(org_b, network, dave, kind=Listing.Kind.NEED, title="Nous cherchons un local")  # a need
    elsewhere = NetworkFactory()
    stranger = OrganisationFactory()
    elsewhere.affiliations.create(organisation=stranger)
    make_listing(stranger, elsewhere, dave, title="Salle d'un autre réseau")
    return {"premises": premises, "skills": skills}


def test_a_team_weak_on_workspaces_sees_premises(offers, org_a):
    panel = results_panel(organisation=org_a, weak_themes=["qvt-numerique:espaces"], heading_level=2)
    assert [listing.title for listing in panel["listings"]] == ["Bureau libre le lundi"]
    html = render(panel)
    assert "Ce que d'autres structures de votre réseau proposent" in html
    assert f"/s/jardins/annonces/{offers['premises'].pk}/" in html


def test_a_team_weak_on_skills_sees_skills(offers, org_a):
    panel = results_panel(organisation=org_a, weak_themes=["qvt-numerique:competences"])
    assert [listing.title for listing in panel["listings"]] == ["Une juriste en droit social, deux jours"]


@pytest.mark.parametrize("weak_themes", [[], ["inconnu:theme"], ["qvt-numerique:temps"]])
def test_nothing_to_suggest_draws_no_panel(offers, org_a, weak_themes):
    assert results_panel(organisation=org_a, weak_themes=weak_themes) is None


def test_the_results_page_shows_the_suggestions(org_a, org_b, network, alice, dave, mia, client_of):
    """Assembled through reperes.lib.panels: the results app imports nothing from listings."""
    from reperes.instruments.loading import load_definitions
    from reperes.instruments.models import Questionnaire
    from tests.results.test_stored import closed_campaign_with

    load_definitions()
    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    campaign = closed_campaign_with(org_a, alice, version, 12)
    for category in Listing.Category.values:  # whichever themes are weakest, something serves them
        make_listing(org_b, network, dave, category=category, title=f"Proposé : {category}")
    page = client_of(alice).get(reverse("results:panels", args=["jardins", campaign.pk]))
    html = page.content.decode()
    assert "Ce que d'autres structures de votre réseau proposent" in html
    assert "Proposé : " in html
    assert "/s/jardins/annonces/" in html
