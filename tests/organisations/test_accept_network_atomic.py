"""accept_network creates the account inside the action's transaction: a failure at any step
after the account was created leaves no account, no role and a pending invitation."""

from unittest import mock

import pytest

from reperes.accounts.models import User
from reperes.organisations import actions
from reperes.organisations.models import NetworkInvitation, NetworkMembership
from tests.organisations.factories import NetworkInvitationFactory
from tests.organisations.test_invitation_races import NEW_ACCOUNT, network_link

pytestmark = pytest.mark.django_db


def test_the_view_creates_the_account_through_the_action(client):
    invitation = NetworkInvitationFactory(email="camille@example.org", role="analyst")
    with mock.patch.object(
        actions, "create_account_and_accept_network", wraps=actions.create_account_and_accept_network
    ) as action:
        assert client.post(network_link(invitation), NEW_ACCOUNT).status_code == 302
    action.assert_called_once()
    assert User.objects.filter(email="camille@example.org").count() == 1


def test_nothing_is_left_behind_when_the_last_step_fails(client):
    invitation = NetworkInvitationFactory(email="camille@example.org", role="analyst")
    real_save = NetworkInvitation.save

    def failing_save(self, *args, **kwargs):
        if kwargs.get("update_fields") == ["accepted_at"]:
            raise RuntimeError("panne")
        return real_save(self, *args, **kwargs)

    with mock.patch.object(NetworkInvitation, "save", failing_save), pytest.raises(RuntimeError):
        client.post(network_link(invitation), NEW_ACCOUNT)
    assert not User.objects.filter(email="camille@example.org").exists()
    assert not NetworkMembership.objects.filter(network=invitation.network).exists()
    assert not invitation.network.events.exists()
    invitation.refresh_from_db()
    assert invitation.state == "pending"
