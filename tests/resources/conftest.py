import pytest

from reperes.organisations.models import Affiliation, Role
from tests.accounts.factories import UserFactory
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def zoe(db):
    """A facilitator of another network."""
    return NetworkMembershipFactory(
        network=NetworkFactory(name="Un autre réseau", slug="autre-reseau"),
        user=UserFactory(email="zoe@example.org", name="Zoé"),
        role="facilitator",
    ).user


@pytest.fixture
def olga(db):
    """The lead of an organisation of another network."""
    outside = OrganisationFactory(name="Hors réseau", slug="dehors")
    Affiliation.objects.create(
        network=NetworkFactory(name="Réseau voisin", slug="voisin"), organisation=outside
    )
    return MembershipFactory(
        organisation=outside, user=UserFactory(email="olga@example.org", name="Olga"), role=Role.LEAD
    ).user
