"""Point 12 of issue 9: accepting an invitation creates the account and the membership in one
transaction, and two acceptances at once give one membership and no 500 — for network and
organisation invitations alike."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client

from reperes.accounts.models import User
from reperes.lib.actions import ActionRefused
from reperes.organisations import actions
from reperes.organisations.models import Membership, NetworkInvitation, NetworkMembership
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.organisations.factories import (
    InvitationFactory,
    NetworkFactory,
    NetworkInvitationFactory,
    OrganisationFactory,
)

NEW_ACCOUNT = {"name": "Camille", "password": "un mot de passe solide"}


def network_link(invitation):
    return actions.network_invitation_url(invitation).removeprefix("http://testserver")


def organisation_link(invitation):
    return actions.invitation_url(invitation).removeprefix("http://testserver")


def as_if_still_pending(stale):
    """The view as the losing request ran it: the invitation read as pending and no account
    with its address yet, just before the winner committed."""
    no_account = mock.Mock()
    no_account.objects.filter.return_value.exists.return_value = False
    return mock.patch.multiple(
        "reperes.organisations.invitation_views",
        _resolve=mock.Mock(return_value=(stale, None)),
        User=no_account,
    )


def at_once(count, request):
    """Run `request(client)` from `count` threads released together; their status codes."""
    barrier = threading.Barrier(count)
    statuses, errors = [], []

    def run():
        try:
            client = Client(raise_request_exception=True)
            barrier.wait()
            statuses.append(request(client).status_code)
        except Exception as error:  # a 500 would land here
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return sorted(statuses)


# Network invitations


@pytest.mark.django_db
def test_newcomer_gets_account_and_network_role_together(client):
    invitation = NetworkInvitationFactory(email="camille@example.org", role="analyst")
    response = client.post(network_link(invitation), NEW_ACCOUNT)
    assert response.status_code == 302
    user = User.objects.get(email="camille@example.org")
    assert user.email_verified
    assert NetworkMembership.objects.get(user=user).role == "analyst"
    assert invitation.network.events.filter(verb="network.member_joined").exists()


@pytest.mark.django_db
def test_no_account_is_left_behind_when_the_membership_fails(client):
    invitation = NetworkInvitationFactory(email="camille@example.org")
    with (
        mock.patch.object(actions, "record_event", side_effect=RuntimeError("panne")),
        pytest.raises(RuntimeError),
    ):
        client.post(network_link(invitation), NEW_ACCOUNT)
    assert not User.objects.filter(email="camille@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.state == "pending"


@pytest.mark.django_db
def test_organisation_role_invitation_creates_no_account_without_an_organisation():
    invitation = NetworkInvitationFactory(role=NetworkInvitation.ORGANISATION)
    with pytest.raises(ActionRefused):
        actions.create_account_and_accept_network(invitation, **NEW_ACCOUNT)
    assert not User.objects.filter(email=invitation.email).exists()


@pytest.mark.django_db
def test_second_acceptance_that_lost_the_race_gets_a_page_not_a_500(client):
    invitation = NetworkInvitationFactory(email="camille@example.org")
    stale = NetworkInvitation.objects.get(pk=invitation.pk)
    actions.create_account_and_accept_network(invitation, **NEW_ACCOUNT)
    with as_if_still_pending(stale):
        response = client.post(network_link(invitation), NEW_ACCOUNT)
    assert response.status_code == 409
    assert "Cette invitation a déjà servi" in page_text(response)
    assert NetworkMembership.objects.filter(network=invitation.network).count() == 1


@pytest.mark.django_db
def test_account_created_meanwhile_is_asked_to_log_in(client):
    invitation = NetworkInvitationFactory(email="camille@example.org")
    stale = NetworkInvitation.objects.get(pk=invitation.pk)
    UserFactory(email="camille@example.org")  # signed up in another tab, just now
    with as_if_still_pending(stale):
        response = client.post(network_link(invitation), NEW_ACCOUNT)
    response = client.get(response["Location"])
    assert "Un compte existe déjà avec cette adresse" in page_text(response)
    assert not NetworkMembership.objects.exists()


@pytest.mark.django_db
def test_double_click_of_a_signed_in_member_lands_in_the_network(client):
    invitation = NetworkInvitationFactory(email="camille@example.org")
    user = UserFactory(email="camille@example.org")
    stale = NetworkInvitation.objects.get(pk=invitation.pk)
    actions.accept_network_invitation(invitation, user=user)
    client.force_login(user)
    with mock.patch("reperes.organisations.invitation_views._resolve", return_value=(stale, None)):
        response = client.post(network_link(invitation))
    assert response.status_code == 302
    assert response["Location"] == invitation.network.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_two_network_acceptances_at_once_give_one_account_and_one_membership():
    invitation = NetworkInvitationFactory(network=NetworkFactory(), email="camille@example.org")
    link = network_link(invitation)
    statuses = at_once(2, lambda client: client.post(link, NEW_ACCOUNT))
    # The first is welcomed; the second is told the link was used (or, if it arrived after the
    # commit, that it expired as used: 410), or, when it read the invitation just before the
    # winner committed and the new account just after, asked to log in (200), never a server
    # error and never a second account.
    assert statuses in ([302, 409], [302, 410], [200, 302])  # sorted
    assert User.objects.filter(email="camille@example.org").count() == 1
    assert NetworkMembership.objects.filter(network=invitation.network).count() == 1
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db(transaction=True)
def test_two_signed_in_network_acceptances_at_once_give_one_membership():
    invitation = NetworkInvitationFactory(email="camille@example.org")
    user = UserFactory(email="camille@example.org")
    link = network_link(invitation)

    def accept(client):
        client.force_login(user)
        return client.post(link)

    statuses = at_once(2, accept)
    assert set(statuses) <= {302, 409, 410} and 302 in statuses
    assert NetworkMembership.objects.filter(user=user).count() == 1


# Organisation invitations


@pytest.mark.django_db
def test_no_account_is_left_behind_when_joining_the_organisation_fails(client):
    invitation = InvitationFactory(email="camille@example.org")
    with (
        mock.patch.object(actions, "record_event", side_effect=RuntimeError("panne")),
        pytest.raises(RuntimeError),
    ):
        client.post(organisation_link(invitation), NEW_ACCOUNT)
    assert not User.objects.filter(email="camille@example.org").exists()


@pytest.mark.django_db
def test_second_organisation_acceptance_that_lost_the_race_gets_a_page(client):
    invitation = InvitationFactory(email="camille@example.org")
    stale = type(invitation).objects.get(pk=invitation.pk)
    actions.create_account_and_accept(invitation, **NEW_ACCOUNT)
    with as_if_still_pending(stale):
        response = client.post(organisation_link(invitation), NEW_ACCOUNT)
    assert response.status_code == 409
    assert "Cette invitation a déjà servi" in page_text(response)
    assert Membership.objects.filter(organisation=invitation.organisation).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_organisation_acceptances_at_once_give_one_account_and_one_membership():
    invitation = InvitationFactory(organisation=OrganisationFactory(), email="camille@example.org")
    link = organisation_link(invitation)
    statuses = at_once(2, lambda client: client.post(link, NEW_ACCOUNT))
    # As for networks: 200 is the « connectez-vous » page for a request that read the invitation
    # just before the winner committed and the new account just after.
    assert statuses in ([302, 409], [302, 410], [200, 302])  # sorted
    assert User.objects.filter(email="camille@example.org").count() == 1
    assert Membership.objects.filter(organisation=invitation.organisation).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_signed_in_organisation_acceptances_at_once_give_one_membership():
    invitation = InvitationFactory(email="camille@example.org")
    user = UserFactory(email="camille@example.org")
    link = organisation_link(invitation)

    def accept(client):
        client.force_login(user)
        return client.post(link)

    statuses = at_once(2, accept)
    assert set(statuses) <= {302, 409, 410} and 302 in statuses
    assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_stale_invitation_is_refused_by_the_action():
    invitation = NetworkInvitationFactory(email="camille@example.org")
    stale = NetworkInvitation.objects.get(pk=invitation.pk)
    actions.create_account_and_accept_network(invitation, **NEW_ACCOUNT)
    with pytest.raises(ActionRefused):
        actions.create_account_and_accept_network(stale, name="Autre", password="un autre mot de passe")
    assert User.objects.filter(email="camille@example.org").get().name == "Camille"
