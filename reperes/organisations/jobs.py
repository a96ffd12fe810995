"""The organisations' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from reperes.accounts.models import User
from reperes.organisations.models import Invitation, Membership, NetworkInvitation, NetworkMembership

# An invitation (an address, a role, who invited) is of no use once its link has stopped working:
# it goes this many days after its validity ended, whether it was accepted, revoked or ignored.
# Its link (signed for INVITATION_MAX_AGE_DAYS, like the row's expiry) is dead by then, so that
# nobody meets « invitation inconnue » where « invitation expirée » was due.
INVITATIONS_KEPT_DAYS = 7
# An account whose address was never confirmed cannot log in: it holds a name and an address
# (perhaps typed by someone else) and keeps that address from signing up. It goes this many days
# after the sign-up, if it never logged in and belongs to no organisation or network.
UNVERIFIED_ACCOUNTS_DAYS = 30


def purge():
    """Delete the invitations to an organisation or a network whose validity ended more than
    INVITATIONS_KEPT_DAYS ago (pending ones are never touched), and the accounts never confirmed
    UNVERIFIED_ACCOUNTS_DAYS after their sign-up. Safe to run twice."""
    now = timezone.now()
    cutoff = now - timedelta(days=INVITATIONS_KEPT_DAYS)
    teams, _ = Invitation.objects.filter(expires_at__lt=cutoff).delete()
    networks, _ = NetworkInvitation.objects.filter(expires_at__lt=cutoff).delete()
    _, per_model = unconfirmed_accounts(now - timedelta(days=UNVERIFIED_ACCOUNTS_DAYS)).delete()
    accounts = per_model.get(User._meta.label, 0)
    return (
        f"Invitations échues depuis plus de {INVITATIONS_KEPT_DAYS} jours effacées : {teams} à des "
        f"structures, {networks} à des réseaux. Comptes jamais confirmés effacés : {accounts}."
    )


def unconfirmed_accounts(joined_before):
    """Accounts never confirmed, never logged in, in no organisation or network, not of the
    instance's administration, created before `joined_before`."""
    return User.objects.filter(
        ~Exists(Membership.objects.filter(user=OuterRef("pk"))),
        ~Exists(NetworkMembership.objects.filter(user=OuterRef("pk"))),
        email_verified=False,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        date_joined__lt=joined_before,
    )
