"""The demo library: a dozen items through the actions, run twice without doubling."""

import pytest

from reperes.demo.offers import seed_offers
from reperes.demo.resources import seed_resources
from reperes.resources.models import Resource

pytestmark = pytest.mark.django_db


def test_the_demo_library_is_built_once(network, hugo):
    seed_offers(network, by=hugo)

    created = seed_resources(network, author=hugo)

    assert 10 <= len(created) <= 15
    kinds = {resource.kind for resource in created}
    assert kinds >= {"news", "guide", "synthesis", "replay", "tool"}
    assert Resource.objects.public_news(network).count() >= 2
    assert Resource.objects.archived().count() == 1
    with_files = [resource for resource in created if resource.file]
    assert with_files
    for resource in with_files:
        with resource.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    tools = Resource.objects.get(title="Inventaire des outils RH pour organiser le travail à distance")
    assert [offer.title for offer in tools.offers.all()] == ["Parcours « Pour un télétravail de qualité »"]
    assert seed_resources(network, author=hugo) == []
