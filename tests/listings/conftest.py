from datetime import timedelta

import pytest
from django.utils import timezone

from reperes.listings import actions
from reperes.listings.models import Listing
from reperes.organisations.models import NetworkRole
from tests.accounts.factories import UserFactory
from tests.organisations.factories import NetworkMembershipFactory

TODAY = timezone.localdate()


@pytest.fixture
def mia(network):
    """The network's matchmaker (« chargée de mise en lien »)."""
    return NetworkMembershipFactory(
        network=network, user=UserFactory(email="mia@example.org", name="Mia"), role=NetworkRole.MATCHMAKER
    ).user


def listing_values(**overrides):
    return {
        "kind": Listing.Kind.OFFER,
        "category": Listing.Category.PREMISES,
        "title": "Salle de réunion le vendredi",
        "description": "Une salle de réunion équipée (écran, douze places), libre le vendredi.",
        "region": "44",
        "town": "Nancy",
        "starts_on": None,
        "ends_on": TODAY + timedelta(days=90),
        "availability": "le vendredi",
        "frequency": Listing.Frequency.REGULAR,
        "conditions": Listing.Conditions.FREE,
        "conditions_detail": "",
        **overrides,
    }


def make_listing(organisation, network, by, *, state="published", **overrides):
    """A listing of `organisation` taken through the actions to `state`."""
    listing = actions.create_listing(organisation, network=network, by=by, **listing_values(**overrides))
    if state == "draft":
        return listing
    listing = actions.submit_listing(listing, by=by)
    if state == "submitted":
        return listing
    reviewer = UserFactory()
    decision = {"published": "publish", "sent_back": "send_back", "refused": "refuse"}[state]
    return actions.review_listing(listing, decision=decision, comment="Précisez les horaires.", by=reviewer)


@pytest.fixture
def premises(org_a, network, alice, mia):
    return make_listing(org_a, network, alice)
