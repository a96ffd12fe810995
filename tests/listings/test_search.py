"""Search that forgives accents, case and plurals, on both databases; odd characters are only
text; filters by category, region and offer/need; only published, current listings of the
organisation's networks."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reperes.listings.models import Listing
from reperes.listings.search import search, words
from tests.listings.conftest import TODAY, make_listing
from tests.organisations.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(org_a, org_b, network, alice, dave, mia):
    return {
        "salle": make_listing(org_a, network, alice),
        "camion": make_listing(
            org_b,
            network,
            dave,
            category=Listing.Category.EQUIPMENT,
            title="Camion frigorifique à partager",
            description="Un utilitaire réfrigéré pour les livraisons de l'épicerie solidaire.",
            region="84",
            town="Lyon",
        ),
        "comptable": make_listing(
            org_b,
            network,
            dave,
            kind=Listing.Kind.NEED,
            category=Listing.Category.SHARED_JOB,
            title="Comptable à temps partagé",
            description="Une ou un comptable deux jours par mois, à partager avec d'autres structures.",
            town="Villeurbanne",
            region="84",
        ),
        "brouillon": make_listing(
            org_a, network, alice, state="draft", title="Salles de réunion (brouillon)"
        ),
    }


def found(text, queryset=None):
    queryset = queryset if queryset is not None else Listing.objects.published()
    return sorted(listing.title for listing in search(queryset, text))


@pytest.mark.parametrize(
    "text",
    ["salle reunion", "SALLE RÉUNION", "Salles de réunions", "réunion", "salle", "equipee ecran"],
)
def test_accents_case_and_plurals(listings, text):
    assert found(text) == ["Salle de réunion le vendredi"]


def test_every_word_must_be_found(listings):
    assert found("salle camion") == []
    assert found("camion frigorifique") == ["Camion frigorifique à partager"]
    assert found("refrigere") == ["Camion frigorifique à partager"]  # « réfrigéré »
    assert found("villeurbanne") == ["Comptable à temps partagé"]  # the town too


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "salle*",
        "salle OR camion",
        "NEAR(salle)",
        "'; DROP TABLE listings_listing; --",
        "%_",
        "& | ! :*",
        "(",
        "é",
    ],
)
def test_odd_characters_are_only_text(listings, text):
    # No error; what is not a word is dropped.
    result = found(text)
    assert isinstance(result, list)
    assert Listing.objects.count() == 4


def test_words_are_bounded():
    assert words("a " * 500) == ["a"] * 8
    assert words("") == []
    assert words(None) == []


def test_the_board_searches_and_filters(listings, client_of, bob):
    client = client_of(bob)
    url = reverse("listings:board", args=["jardins"])
    page = client.get(url, {"q": "salle reunion"})
    assert page.status_code == 200
    assert page.context["count"] == 1
    assert "1 annonce" in page.content.decode()
    assert client.get(url, {"category": "equipment"}).context["count"] == 1
    assert client.get(url, {"kind": "need"}).context["count"] == 1
    assert client.get(url, {"region": "84"}).context["count"] == 2
    assert client.get(url).context["count"] == 3  # the draft is nobody's business
    # An unknown filter value falls back to « all », a long query is cut, not an error.
    assert client.get(url, {"category": "yacht", "q": "x" * 5000}).status_code == 200


def test_the_board_shows_only_the_organisations_networks(listings, client_of, bob, alice):
    other_network = NetworkFactory(slug="ailleurs")
    stranger = OrganisationFactory()
    other_network.affiliations.create(organisation=stranger)
    make_listing(stranger, other_network, alice, title="Salle ailleurs")
    page = client_of(bob).get(reverse("listings:board", args=["jardins"]), {"q": "salle"})
    assert [listing.title for listing in page.context["listings"]] == ["Salle de réunion le vendredi"]


def test_expired_listings_leave_the_board(listings, client_of, bob):
    Listing.objects.filter(pk=listings["camion"].pk).update(ends_on=TODAY - timedelta(days=1))
    page = client_of(bob).get(reverse("listings:board", args=["jardins"]))
    assert "Camion" not in page.content.decode()
