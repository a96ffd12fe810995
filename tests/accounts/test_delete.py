import pytest
from django.urls import reverse

from reperes.accounts.models import User
from reperes.organisations.models import Event
from tests.accounts.factories import PASSWORD
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

DELETE = reverse("account_delete")


def test_sole_lead_must_hand_over_first(client, alice, org_a):
    client.force_login(alice)
    page = page_text(client.get(DELETE))
    assert "seule personne référente" in page
    client.post(DELETE, {"password": PASSWORD})
    assert User.objects.filter(pk=alice.pk).exists()


def test_wrong_password_keeps_the_account(client, bob):
    client.force_login(bob)
    response = client.post(DELETE, {"password": "faux"})
    assert "ne correspond pas" in page_text(response)
    assert User.objects.filter(pk=bob.pk).exists()


def test_member_deletes_their_account_and_the_trail_stays(client, alice, bob, org_a):
    from reperes.organisations import actions

    actions.record_event(by=bob, verb="test", description="Bob a fait quelque chose.", organisation=org_a)
    client.force_login(bob)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=bob.pk).exists()
    assert not org_a.memberships.filter(user_id=bob.pk).exists()
    kept = Event.objects.get(verb="test")
    assert kept.actor is None
    assert org_a.events.filter(verb="member.account_deleted").exists()
    assert "_auth_user_id" not in client.session
