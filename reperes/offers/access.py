"""How the catalogue's pages reach a network's offers, and an organisation's matching ones."""

from django.http import Http404

from reperes.offers.matching import matching_offer
from reperes.offers.models import Offer
from reperes.organisations.access import get_network_for_user
from reperes.organisations.models import NetworkRole

# Who keeps the catalogue: the network's administrators and facilitators. Analysts read it.
MANAGERS = (NetworkRole.ADMIN, NetworkRole.FACILITATOR)


def get_network_for_catalogue(request, slug, *, manage=False):
    """The network `slug` for one of its staff (any role reads the catalogue), with
    `abilities.manage_offers`; 404 for anyone else, or for an analyst when `manage`."""
    network = get_network_for_user(request, slug)
    may_manage = network.abilities.get("manage_offers", network.membership.role in MANAGERS)
    network.abilities = {**network.abilities, "manage_offers": may_manage}
    if manage and not may_manage:
        raise Http404("Réseau introuvable")
    return network


def get_network_offer(network, offer_id):
    """An offer of `network`'s catalogue (archived and expired ones included), or 404."""
    try:
        return Offer.objects.for_network(network).select_related("created_by").get(pk=offer_id)
    except (Offer.DoesNotExist, ValueError, TypeError):
        raise Http404("Offre introuvable") from None


def get_matching_offer(organisation, offer_id):
    """An offer that matches `organisation` today, or 404: another network's, an expired, an
    archived or a non-matching offer are all « introuvable »."""
    offer = matching_offer(organisation, offer_id)
    if offer is None:
        raise Http404("Offre introuvable")
    return offer
