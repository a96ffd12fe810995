"""The one way views reach an organisation or a network: through the requesting user.

A missing object and an object the user may not see give the same 404, so that nobody can
learn that an organisation exists by guessing its address.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from reperes.accounts.two_factor import require_verified
from reperes.organisations.models import (
    Invitation,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
)


def get_org_for_user(request, slug, *, ability="view"):
    """The organisation `slug` if the user is a member and has `ability` there, else 404.

    The returned organisation carries `.membership` and `.abilities` for the view and template.
    """
    membership = (
        Membership.objects.select_related("organisation")
        .filter(organisation__slug=slug, user=request.user)
        .first()
        if request.user.is_authenticated
        else None
    )
    if membership is None:
        raise Http404("Structure introuvable")
    organisation = membership.organisation
    organisation.membership = membership
    organisation.abilities = organisation.get_abilities(membership)
    if not organisation.abilities[ability]:
        raise Http404("Structure introuvable")
    return organisation


def space_context(organisation, **extra):
    """The template context every page of an organisation's space starts from: the
    organisation reached by get_org_for_user and its abilities, plus the page's own values."""
    return {"organisation": organisation, "abilities": organisation.abilities, **extra}


def get_network_for_user(request, slug, *, ability="view"):
    """The network `slug` if the user holds a role in it with `ability`, else 404."""
    network_membership = (
        NetworkMembership.objects.select_related("network")
        .filter(network__slug=slug, user=request.user)
        .first()
        if request.user.is_authenticated
        else None
    )
    if network_membership is None:
        raise Http404("Réseau introuvable")
    network = network_membership.network
    # A network role sees many organisations: its pages need two-factor authentication.
    require_verified(
        request,
        reason=f"Votre rôle dans « {network.name} » donne accès à des informations sur de "
        "nombreuses structures : la double authentification est obligatoire. Activez-la pour continuer.",
    )
    network.membership = network_membership
    network.abilities = network.get_abilities(network_membership)
    if not network.abilities[ability]:
        raise Http404("Réseau introuvable")
    return network


def get_member(organisation, membership_id):
    """A membership of `organisation`, or 404."""
    try:
        return organisation.memberships.select_related("user").get(pk=membership_id)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404("Membre introuvable") from None


def get_pending_invitation(organisation, invitation_id):
    try:
        return organisation.invitations.pending().get(pk=invitation_id)
    except (Invitation.DoesNotExist, ValidationError):
        raise Http404("Invitation introuvable") from None


def organisations_for(user):
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def networks_for(user):
    return Network.objects.filter(memberships__user=user).order_by("name")
