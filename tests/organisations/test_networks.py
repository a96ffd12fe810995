import pytest
from django.core import mail
from django.urls import reverse

from reperes.organisations import actions
from reperes.organisations.models import Affiliation, NetworkMembership
from tests.accounts.factories import UserFactory
from tests.helpers import force_login_verified, page_text
from tests.organisations.factories import (
    NetworkFactory,
    NetworkInvitationFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def test_lead_joins_a_network_with_its_code(client, alice, org_a):
    network = NetworkFactory(join_code="ABCD2345")
    client.force_login(alice)
    response = client.post(reverse("organisations:networks", args=[org_a.slug]), {"code": "abcd-2345"})
    assert response.status_code == 302
    assert Affiliation.objects.filter(network=network, organisation=org_a).exists()
    assert network.events.filter(verb="network.organisation_joined").exists()


def test_wrong_code_is_explained(client, alice, org_a):
    client.force_login(alice)
    response = client.post(reverse("organisations:networks", args=[org_a.slug]), {"code": "ZZZZ9999"})
    assert "Aucun réseau ne correspond à ce code" in page_text(response)
    assert not Affiliation.objects.exists()


def test_member_cannot_join_a_network(client, bob, org_a):
    NetworkFactory(join_code="ABCD2345")
    client.force_login(bob)
    client.post(reverse("organisations:networks", args=[org_a.slug]), {"code": "ABCD2345"})
    assert not Affiliation.objects.exists()


def test_lead_leaves_a_network(client, alice, org_a, network):
    client.force_login(alice)
    client.post(reverse("organisations:network_leave", args=[org_a.slug, network.slug]))
    assert not Affiliation.objects.filter(organisation=org_a).exists()


def test_network_roles_see_nothing_inside_an_organisation(client, fiona, nina, hugo, org_a, alice):
    for user in (fiona, nina, hugo):
        client.force_login(user)
        for name in (
            "spaces:dashboard",
            "organisations:members",
            "organisations:events",
            "organisations:networks",
        ):
            assert client.get(reverse(name, args=[org_a.slug])).status_code == 404


def test_analyst_sees_counts_not_names(client, nina, fiona, network, org_a):
    force_login_verified(client, nina)
    page = page_text(client.get(network.get_absolute_url()))
    assert "Pays de la Loire" in page
    assert org_a.name not in page
    force_login_verified(client, fiona)
    assert org_a.name in page_text(client.get(network.get_absolute_url()))


def test_network_admin_invites_a_facilitator(client, hugo, network, django_capture_on_commit_callbacks):
    force_login_verified(client, hugo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("networks:staff", args=[network.slug]),
            {"email": "nouvelle@example.org", "role": "facilitator"},
        )
    assert "nouvelle@example.org" in mail.outbox[0].to
    invitation = network.invitations.get()
    client.logout()
    link = actions.network_invitation_url(invitation).removeprefix("http://testserver")
    response = client.post(link, {"name": "Nouvelle", "password": "un-secret-bien-long"})
    assert response["Location"] == network.get_absolute_url()
    assert NetworkMembership.objects.get(user__email="nouvelle@example.org").role == "facilitator"


def test_organisation_invitation_lets_a_lead_pick_the_organisation(client, network, hugo):
    lead = UserFactory(email="lead@example.org")
    organisation = OrganisationFactory()
    organisation.memberships.create(user=lead, role="lead")
    invitation = NetworkInvitationFactory(network=network, email=lead.email, role="organisation")
    link = actions.network_invitation_url(invitation).removeprefix("http://testserver")
    client.force_login(lead)
    response = client.post(link, {"organisation": organisation.pk})
    assert response.status_code == 302
    assert Affiliation.objects.filter(network=network, organisation=organisation).exists()


def test_organisation_invitation_refuses_an_organisation_the_user_does_not_lead(client, network, org_b, dave):
    lead = UserFactory(email="lead@example.org")
    organisation = OrganisationFactory()
    organisation.memberships.create(user=lead, role="lead")
    invitation = NetworkInvitationFactory(network=network, email=lead.email, role="organisation")
    link = actions.network_invitation_url(invitation).removeprefix("http://testserver")
    client.force_login(lead)
    response = client.post(link, {"organisation": org_b.pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not Affiliation.objects.filter(network=network, organisation=organisation).exists()


def test_last_network_admin_cannot_be_removed(hugo, network):
    with pytest.raises(actions.ActionRefused):
        actions.remove_network_member(network.memberships.get(user=hugo), by=hugo)
