"""State changes of organisations, networks and memberships.

Each function is one transaction, takes the acting user as `by`, and writes an audit Event.
Rules that protect the organisation (it always keeps a lead) raise ActionRefused with a French
message the view shows as it is.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reperes.accounts.models import User
from reperes.lib.actions import ActionRefused
from reperes.lib.limits import reserve_mails
from reperes.lib.mail import send_templated_mail
from reperes.lib.signing import make_link_token
from reperes.organisations.journal import record_event
from reperes.organisations.models import (
    Affiliation,
    Invitation,
    Membership,
    Network,
    NetworkInvitation,
    NetworkMembership,
    Organisation,
    Role,
)

INVITATION_SALT = "reperes.organisations.invitation"
NETWORK_INVITATION_SALT = "reperes.organisations.network-invitation"


# Organisations


@transaction.atomic
def create_organisation(*, by, shares_statistics=False, **fields):
    organisation = Organisation(**fields)
    organisation.full_clean(exclude=["slug"])
    organisation.save()
    Membership.objects.create(organisation=organisation, user=by, role=Role.LEAD)
    record_event(
        by=by,
        verb="organisation.created",
        target=organisation.name,
        description=f"{by} a créé la structure « {organisation.name} ».",
        organisation=organisation,
    )
    if shares_statistics:
        set_statistics_consent(organisation, agree=True, by=by)
    return organisation


@transaction.atomic
def update_organisation(organisation, *, by, changed):
    # The profile form carries the statistics agreement too: its change is its own action.
    stored = (
        Organisation.objects.filter(pk=organisation.pk).values_list("shares_statistics", flat=True).first()
    )
    agree = organisation.shares_statistics
    if stored is not None and stored != agree:
        organisation.shares_statistics = stored
        organisation.save()
        set_statistics_consent(organisation, agree=agree, by=by)
        changed = [label for label in changed if "statistiques" not in label]
    organisation.save()
    if changed:
        record_event(
            by=by,
            verb="organisation.updated",
            target=organisation.name,
            description=f"{by} a modifié le profil de la structure ({', '.join(changed)}).",
            organisation=organisation,
        )
    return organisation


@transaction.atomic
def set_statistics_consent(organisation, *, agree, by):
    """Give or withdraw the organisation's agreement to contribute its anonymous aggregates to
    the statistics of its networks (reperes.observatory). It takes effect at the next release:
    the releases already published keep their figures."""
    agree = bool(agree)
    if organisation.shares_statistics == agree and organisation.statistics_consent_on:
        return organisation
    organisation.shares_statistics = agree
    organisation.statistics_consent_on = timezone.localdate()
    organisation.save(update_fields=["shares_statistics", "statistics_consent_on"])
    record_event(
        by=by,
        verb="organisation.statistics_consent",
        target=organisation.name,
        description=(
            f"{by} a accepté que la structure contribue aux statistiques anonymes de ses réseaux."
            if agree
            else f"{by} a retiré l'accord de la structure aux statistiques anonymes de ses réseaux "
            "(effectif à la prochaine publication)."
        ),
        organisation=organisation,
    )
    return organisation


# Members and invitations


def invitation_url(invitation):
    token = make_link_token(str(invitation.id), salt=INVITATION_SALT)
    return settings.SITE_URL + reverse("invitations:accept", args=[token])


@transaction.atomic
def invite_member(organisation, *, email, role, by):
    """Raises MailQuotaExceeded (nothing saved) when the organisation, the account or the
    address has had its emails for the day."""
    email = email.lower()
    reserve_mails(count=1, organisation=organisation, user=by, address=email)
    # A new invitation replaces a pending one to the same address.
    organisation.invitations.pending().filter(email=email).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=by)
    send_templated_mail(
        email,
        "organisations/email/invitation",
        {"invitation": invitation, "url": invitation_url(invitation)},
    )
    record_event(
        by=by,
        verb="invitation.sent",
        target=email,
        description=f"{by} a invité {email} ({invitation.get_role_display().lower()}).",
        organisation=organisation,
    )
    return invitation


@transaction.atomic
def revoke_invitation(invitation, *, by):
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_event(
        by=by,
        verb="invitation.revoked",
        target=invitation.email,
        description=f"{by} a annulé l'invitation de {invitation.email}.",
        organisation=invitation.organisation,
    )


def _lock_pending(invitation):
    """Lock the invitation's row and check it can still be used: of two acceptances at the same
    moment, the second waits here and is refused."""
    invitation = type(invitation).objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "pending":
        raise ActionRefused("Cette invitation n'est plus valable.")
    return invitation


def _create_invited_account(invitation, *, name, password):
    """The account of someone who accepts an invitation without having one. Opening the link
    sent to the address proves it."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=invitation.email, name=name, password=password, email_verified=True
            )
    except IntegrityError:
        raise ActionRefused(
            "Un compte existe déjà avec cette adresse. Connectez-vous pour accepter l'invitation."
        ) from None


@transaction.atomic
def accept_invitation(invitation, *, user):
    invitation = _lock_pending(invitation)
    membership, created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if not user.email_verified:
        # Opening the link sent to this address proves the address.
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    if created:
        record_event(
            by=user,
            verb="member.joined",
            target=str(user),
            description=f"{user} a rejoint la structure ({membership.get_role_display().lower()}).",
            organisation=invitation.organisation,
        )
    return membership


@transaction.atomic
def create_account_and_accept(invitation, *, name, password):
    invitation = _lock_pending(invitation)
    user = _create_invited_account(invitation, name=name, password=password)
    return accept_invitation(invitation, user=user)


def _lock_leads(organisation):
    """Lock the organisation's lead memberships so that two concurrent changes cannot both
    remove the last lead."""
    return list(Membership.objects.select_for_update().filter(organisation=organisation, role=Role.LEAD))


@transaction.atomic
def change_role(membership, *, role, by):
    leads = _lock_leads(membership.organisation)
    if membership.role == Role.LEAD and role != Role.LEAD and len(leads) <= 1:
        raise ActionRefused(
            "La structure doit garder au moins une personne référente. Nommez d'abord "
            "quelqu'un d'autre référent·e."
        )
    old = membership.get_role_display().lower()
    membership.role = role
    membership.save(update_fields=["role"])
    record_event(
        by=by,
        verb="member.role_changed",
        target=str(membership.user),
        description=(
            f"{by} a changé le rôle de {membership.user} : {old} → {membership.get_role_display().lower()}."
        ),
        organisation=membership.organisation,
    )
    return membership


@transaction.atomic
def remove_member(membership, *, by):
    leads = _lock_leads(membership.organisation)
    if membership.role == Role.LEAD and len(leads) <= 1:
        if membership.user_id == by.pk:
            raise ActionRefused(
                "Vous êtes la seule personne référente : nommez quelqu'un d'autre référent·e "
                "avant de quitter la structure."
            )
        raise ActionRefused("La structure doit garder au moins une personne référente.")
    membership.delete()
    if membership.user_id == by.pk:
        description = f"{by} a quitté la structure."
    else:
        description = f"{by} a retiré {membership.user} de la structure."
    record_event(
        by=by,
        verb="member.removed",
        target=str(membership.user),
        description=description,
        organisation=membership.organisation,
    )


# Networks


@transaction.atomic
def join_network(organisation, network, *, by):
    affiliation, created = Affiliation.objects.get_or_create(network=network, organisation=organisation)
    if created:
        record_event(
            by=by,
            verb="network.joined",
            target=network.name,
            description=f"{by} a fait adhérer la structure au réseau « {network.name} ».",
            organisation=organisation,
        )
        record_event(
            by=by,
            verb="network.organisation_joined",
            target=organisation.name,
            description=f"La structure « {organisation.name} » a rejoint le réseau.",
            network=network,
        )
    return affiliation


@transaction.atomic
def leave_network(organisation, network, *, by):
    deleted, _ = Affiliation.objects.filter(network=network, organisation=organisation).delete()
    if deleted:
        record_event(
            by=by,
            verb="network.left",
            target=network.name,
            description=f"{by} a retiré la structure du réseau « {network.name} ».",
            organisation=organisation,
        )
        record_event(
            by=by,
            verb="network.organisation_left",
            target=organisation.name,
            description=f"La structure « {organisation.name} » a quitté le réseau.",
            network=network,
        )


def network_invitation_url(invitation):
    token = make_link_token(str(invitation.id), salt=NETWORK_INVITATION_SALT)
    return settings.SITE_URL + reverse("invitations:accept_network", args=[token])


@transaction.atomic
def invite_to_network(network, *, email, role, by):
    """Raises MailQuotaExceeded (nothing saved) when the account or the address has had its
    emails for the day."""
    email = email.lower()
    reserve_mails(count=1, user=by, address=email)
    network.invitations.pending().filter(email=email, role=role).update(revoked_at=timezone.now())
    invitation = NetworkInvitation.objects.create(network=network, email=email, role=role, invited_by=by)
    send_templated_mail(
        email,
        "organisations/email/network_invitation",
        {"invitation": invitation, "url": network_invitation_url(invitation)},
    )
    record_event(
        by=by,
        verb="network.invitation_sent",
        target=email,
        description=f"{by} a invité {email} ({invitation.get_role_display().lower()}).",
        network=network,
    )
    return invitation


@transaction.atomic
def accept_network_invitation(invitation, *, user, organisation=None):
    invitation = _lock_pending(invitation)
    network = invitation.network
    if invitation.role == NetworkInvitation.ORGANISATION:
        if organisation is None:
            raise ActionRefused("Choisissez la structure qui rejoint le réseau.")
        join_network(organisation, network, by=user)
    else:
        network_membership, created = NetworkMembership.objects.get_or_create(
            network=network, user=user, defaults={"role": invitation.role}
        )
        if not created and network_membership.role != invitation.role:
            network_membership.role = invitation.role
            network_membership.save(update_fields=["role"])
        record_event(
            by=user,
            verb="network.member_joined",
            target=str(user),
            description=(f"{user} a rejoint l'équipe du réseau ({invitation.get_role_display().lower()})."),
            network=network,
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])


@transaction.atomic
def create_account_and_accept_network(invitation, *, name, password):
    """Create the account of the invited person and give them their network role, together:
    if either fails, neither exists. Returns the new user."""
    invitation = _lock_pending(invitation)
    user = _create_invited_account(invitation, name=name, password=password)
    accept_network_invitation(invitation, user=user)
    return user


@transaction.atomic
def remove_network_member(network_membership, *, by):
    network = network_membership.network
    admins = NetworkMembership.objects.select_for_update().filter(network=network, role="admin")
    if network_membership.role == "admin" and admins.count() <= 1:
        raise ActionRefused("Le réseau doit garder au moins une personne qui l'administre.")
    network_membership.delete()
    record_event(
        by=by,
        verb="network.member_removed",
        target=str(network_membership.user),
        description=f"{by} a retiré {network_membership.user} de l'équipe du réseau.",
        network=network,
    )


# Accounts


def organisations_blocking_deletion(user):
    """Organisations where `user` is the only lead: the account cannot go before a successor."""
    blocking = []
    for membership in user.memberships.filter(role=Role.LEAD).select_related("organisation"):
        if membership.organisation.memberships.filter(role=Role.LEAD).count() == 1:
            blocking.append(membership.organisation)
    return blocking


@transaction.atomic
def delete_account(user):
    """Delete an account. What the person did stays with the organisation (events keep their
    description; later content they own passes to the organisation), but not their identity."""
    if blocking := organisations_blocking_deletion(user):
        names = ", ".join(o.name for o in blocking)
        raise ActionRefused(
            f"Vous êtes la seule personne référente de : {names}. Nommez quelqu'un d'autre "
            "référent·e avant de supprimer votre compte."
        )
    for membership in user.memberships.select_related("organisation"):
        record_event(
            by=None,
            verb="member.account_deleted",
            description="Un·e membre a supprimé son compte et a quitté la structure.",
            organisation=membership.organisation,
        )
    user.delete()


@transaction.atomic
def create_network(*, name, scope, region="", description="", admin=None):
    """A new network and, when given, its first administrator, together. Networks are created
    by the instance's operators (the demo uses this), not from a page: no `by`, no event."""
    network = Network(name=name, scope=scope, region=region, description=description)
    network.full_clean(exclude=["slug", "join_code"])
    network.save()
    if admin is not None:
        NetworkMembership.objects.create(network=network, user=admin, role="admin")
    return network
