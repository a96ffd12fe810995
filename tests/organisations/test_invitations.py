"""Invitations: every way a link can fail gives a clear French page and changes nothing."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reperes.accounts.models import User
from reperes.lib.signing import make_link_token
from reperes.organisations import actions
from reperes.organisations.models import Invitation, Membership, Role
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.organisations.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def link_for(invitation):
    return actions.invitation_url(invitation).removeprefix("http://testserver")


def invite(client, org, email="recrue@example.org", role=Role.MEMBER):
    return client.post(reverse("organisations:members", args=[org.slug]), {"email": email, "role": role})


def test_lead_invites_by_email(client, alice, org_a, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, org_a, email="Recrue@Example.org", role=Role.STAFF_REP)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "recrue@example.org"
    assert invitation.role == Role.STAFF_REP
    assert mail.outbox[0].to == ["recrue@example.org"]
    assert "Les Jardins du Lien" in mail.outbox[0].subject
    assert re.search(r"http://testserver/invitations/\S+/", mail.outbox[0].body)
    assert org_a.events.filter(verb="invitation.sent").exists()


def test_inviting_again_replaces_the_pending_invitation(client, alice, org_a):
    client.force_login(alice)
    invite(client, org_a)
    invite(client, org_a)
    assert Invitation.objects.pending().count() == 1
    assert Invitation.objects.count() == 2


def test_inviting_a_member_is_refused(client, alice, bob, org_a):
    client.force_login(alice)
    response = invite(client, org_a, email=bob.email)
    assert "fait déjà partie" in page_text(response)
    assert not Invitation.objects.exists()


def test_member_cannot_invite(client, bob, org_a):
    client.force_login(bob)
    invite(client, org_a)
    assert not Invitation.objects.exists()


def test_newcomer_creates_account_and_joins(client, org_a, alice):
    invitation = InvitationFactory(organisation=org_a, email="recrue@example.org", invited_by=alice)
    link = link_for(invitation)
    page = client.get(link)
    assert "Créer votre compte" in page_text(page)
    response = client.post(link, {"name": "Recrue", "password": "un-secret-bien-long"})
    assert response["Location"] == org_a.get_absolute_url()
    user = User.objects.get(email="recrue@example.org")
    assert user.email_verified
    assert Membership.objects.get(user=user, organisation=org_a).role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(org_a.get_absolute_url()).status_code == 200


def test_existing_account_is_asked_to_log_in_then_accepts(client, org_a):
    user = UserFactory(email="recrue@example.org")
    invitation = InvitationFactory(organisation=org_a, email="recrue@example.org", role=Role.STAFF_REP)
    link = link_for(invitation)
    page = page_text(client.get(link))
    assert "Un compte existe déjà" in page
    assert client.post(link, {"name": "x", "password": "y"}).status_code == 200
    assert not Membership.objects.filter(user=user).exists()
    client.force_login(user)
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(user=user).role == Role.STAFF_REP


def assert_nothing_changed(org, invitation, memberships_before):
    assert org.memberships.count() == memberships_before
    refreshed = Invitation.objects.get(pk=invitation.pk)
    assert refreshed.accepted_at == invitation.accepted_at


def test_expired_invitation(client, org_a, alice):
    invitation = InvitationFactory(
        organisation=org_a, expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    before = org_a.memberships.count()
    for method in (client.get, client.post):
        response = method(link_for(invitation), {"name": "X", "password": "un-secret-bien-long"})
        assert response.status_code == 410
        assert "Cette invitation a expiré" in page_text(response)
    assert_nothing_changed(org_a, invitation, before)
    assert not User.objects.filter(email=invitation.email).exists()


def test_expired_signature(client, org_a, alice, settings):
    invitation = InvitationFactory(organisation=org_a)
    link = link_for(invitation)
    settings.INVITATION_MAX_AGE_DAYS = -1
    response = client.get(link)
    assert response.status_code == 410
    assert "a expiré" in page_text(response)


def test_reused_invitation(client, org_a, alice):
    invitation = InvitationFactory(organisation=org_a)
    link = link_for(invitation)
    client.post(link, {"name": "Première", "password": "un-secret-bien-long"})
    client.logout()
    before = org_a.memberships.count()
    response = client.post(link, {"name": "Seconde", "password": "un-secret-bien-long"})
    assert response.status_code == 410
    assert "déjà servi" in page_text(response)
    assert org_a.memberships.count() == before
    assert User.objects.filter(email=invitation.email).count() == 1


def test_revoked_invitation(client, org_a, alice):
    invitation = InvitationFactory(organisation=org_a, revoked_at=timezone.now())
    response = client.get(link_for(invitation))
    assert response.status_code == 410
    assert "annulée" in page_text(response)


def test_invitation_for_another_email(client, org_a, alice, dave):
    invitation = InvitationFactory(organisation=org_a, email="recrue@example.org")
    client.force_login(dave)
    before = org_a.memberships.count()
    for method in (client.get, client.post):
        response = method(link_for(invitation))
        assert response.status_code == 403
        page = page_text(response)
        assert "destinée à quelqu'un d'autre" in page
        assert "recrue@example.org" not in page  # the address is masked
    assert_nothing_changed(org_a, invitation, before)


def test_invitation_when_already_a_member(client, org_a, bob):
    invitation = InvitationFactory(organisation=org_a, email=bob.email)
    client.force_login(bob)
    response = client.post(link_for(invitation))
    assert response.status_code == 409
    assert "déjà partie de cette structure" in page_text(response)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.split(":")[0],
        lambda token: "n-importe-quoi",
    ],
)
def test_forged_signature(client, org_a, alice, tamper):
    invitation = InvitationFactory(organisation=org_a)
    token = link_for(invitation).split("/")[-2]
    before = org_a.memberships.count()
    response = client.post(
        reverse("invitations:accept", args=[tamper(token)]),
        {"name": "Pirate", "password": "un-secret-bien-long"},
    )
    assert response.status_code == 400
    assert "ne fonctionne pas" in page_text(response)
    assert_nothing_changed(org_a, invitation, before)


def test_token_signed_for_another_purpose_is_refused(client, org_a, alice):
    invitation = InvitationFactory(organisation=org_a)
    token = make_link_token(str(invitation.pk), salt="another-purpose")
    assert client.get(reverse("invitations:accept", args=[token])).status_code == 400


def test_weak_password_on_acceptance_is_explained(client, org_a, alice):
    invitation = InvitationFactory(organisation=org_a)
    response = client.post(link_for(invitation), {"name": "Recrue", "password": "123"})
    assert response.status_code == 200
    assert "trop court" in page_text(response)
    assert not User.objects.filter(email=invitation.email).exists()


def test_lead_revokes_an_invitation(client, alice, org_a):
    invitation = InvitationFactory(organisation=org_a)
    client.force_login(alice)
    client.post(reverse("organisations:invitation_revoke", args=[org_a.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(link_for(invitation)).status_code == 410


def test_revoking_another_organisations_invitation_is_a_404(client, dave, org_b, alice, org_a):
    invitation = InvitationFactory(organisation=org_a)
    client.force_login(dave)
    url = reverse("organisations:invitation_revoke", args=[org_b.slug, invitation.pk])
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
