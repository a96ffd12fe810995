"""Who reaches a case: the network's matchmakers and administrators, the two organisations'
pilots read-only; everyone else, a foreign case and a malformed id get a 404."""

import uuid

import pytest
from django.urls import reverse

from reperes.matchmaking.models import Case
from reperes.organisations.models import Affiliation, Role
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.matchmaking.conftest import new_case
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db
Step = Case.Step


@pytest.fixture
def zoe():
    """A matchmaker of another network."""
    return NetworkMembershipFactory(
        network=NetworkFactory(slug="ailleurs"), user=UserFactory(email="zoe@example.org"), role="matchmaker"
    ).user


@pytest.fixture
def carl(network):
    """The lead of a third organisation of the same network."""
    org_c = OrganisationFactory(name="Troisième", slug="troisieme")
    Affiliation.objects.create(network=network, organisation=org_c)
    return MembershipFactory(
        organisation=org_c, user=UserFactory(email="carl@example.org"), role=Role.LEAD
    ).user


def network_urls(case, slug=None):
    slug = slug or case.network.slug
    return [reverse("matchmaking:case", args=[slug, case.pk])] + [
        reverse("matchmaking:document", args=[slug, case.pk, kind]) for kind in ("convention", "avenant")
    ]


def test_matchmakers_and_administrators_only_on_the_network_side(
    at_step, client_of, mia, hugo, fiona, nina, alice, zoe, network
):
    case = at_step(Step.LEGAL)
    for user in (mia, hugo):
        client = client_of(user)
        assert client.get(reverse("matchmaking:cases", args=[network.slug])).status_code == 200
        assert all(client.get(url).status_code == 200 for url in network_urls(case))
    for user in (fiona, nina, alice, zoe):
        client = client_of(user)
        assert client.get(reverse("matchmaking:cases", args=[network.slug])).status_code == 404
        assert all(client.get(url).status_code == 404 for url in network_urls(case))
        assert client.post(reverse("matchmaking:introduce", args=[network.slug, case.pk])).status_code == 404


def test_a_case_of_another_network_is_a_404_for_its_own_matchmaker(at_step, client_of, zoe):
    """Zoe's network slug with this network's case: not found, as a missing case."""
    case = at_step(Step.SEARCH)
    client = client_of(zoe)
    assert all(client.get(url).status_code == 404 for url in network_urls(case, slug="ailleurs"))
    for name in ("diagnostic", "calibration", "partner", "introduce", "tick", "close", "note", "follow"):
        assert client.post(reverse(f"matchmaking:{name}", args=["ailleurs", case.pk])).status_code == 404
    assert client.get(reverse("matchmaking:case", args=["ailleurs", uuid.uuid4()])).status_code == 404


def test_a_contact_of_another_network_is_a_404(contact, client_of, zoe):
    response = client_of(zoe).post(reverse("matchmaking:from_contact", args=["ailleurs", contact.pk]))
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_the_two_organisations_pilots_read_their_case(
    at_step, client_of, org_a, org_b, alice, carol, dave, bob, carl
):
    case = at_step(Step.LEGAL)
    for user, org in ((alice, org_a), (carol, org_a), (dave, org_b)):
        client = client_of(user)
        page = page_text(client.get(reverse("matchmaking:org_cases", args=[org.slug])))
        assert case.title in page
        page = page_text(client.get(reverse("matchmaking:org_case", args=[org.slug, case.pk])))
        assert "Points juridiques" in page and "Calibrage du partage" in page
        assert "Cocher comme vérifié" not in page  # read-only
        assert "Notes du diagnostic" not in page
        assert (
            client.get(
                reverse("matchmaking:org_document", args=[org.slug, case.pk, "convention"])
            ).status_code
            == 200
        )
    # A member who is not a pilot, another organisation, and a case through the wrong slug.
    assert client_of(bob).get(reverse("matchmaking:org_cases", args=[org_a.slug])).status_code == 404
    assert client_of(bob).get(reverse("matchmaking:org_case", args=[org_a.slug, case.pk])).status_code == 404
    org_c = carl.memberships.get().organisation
    client = client_of(carl)
    assert case.title not in page_text(client.get(reverse("matchmaking:org_cases", args=[org_c.slug])))
    for name in ("org_case", "org_agree"):
        method = client.get if name == "org_case" else client.post
        assert method(reverse(f"matchmaking:{name}", args=[org_c.slug, case.pk])).status_code == 404
    assert (
        client.get(reverse("matchmaking:org_document", args=[org_c.slug, case.pk, "avenant"])).status_code
        == 404
    )
    assert (
        client_of(alice).get(reverse("matchmaking:org_case", args=[org_b.slug, case.pk])).status_code == 404
    )


def test_the_partner_sees_the_case_only_once_chosen(at_step, client_of, org_b, dave):
    case = at_step(Step.SEARCH)
    client = client_of(dave)
    assert client.get(reverse("matchmaking:org_case", args=[org_b.slug, case.pk])).status_code == 404
    assert case.title not in page_text(client.get(reverse("matchmaking:org_cases", args=[org_b.slug])))


def test_documents_exist_only_for_a_staff_lending(network, org_a, mia, client_of):
    case = new_case(network, org_a, mia, category="premises")
    client = client_of(mia)
    for kind in ("convention", "avenant", "autre"):
        assert (
            client.get(reverse("matchmaking:document", args=[network.slug, case.pk, kind])).status_code == 404
        )
