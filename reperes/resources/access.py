"""How the library's pages reach a network's items, and an organisation's members the items of
its networks. Anything else is « introuvable » (404)."""

from django.http import Http404

from reperes.organisations.access import get_network_for_user
from reperes.resources.models import Resource


def get_network_for_library(request, slug, *, manage=False):
    """The network `slug` for one of its staff (every role reads the library); 404 for anyone
    else, or when `manage` for a role without `abilities.manage_resources`."""
    return get_network_for_user(request, slug, ability="manage_resources" if manage else "view")


def get_network_resource(network, resource_id):
    """An item of `network`'s library, archived ones included, or 404."""
    try:
        return Resource.objects.for_network(network).select_related("author").get(pk=resource_id)
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise Http404("Ressource introuvable") from None


def get_member_resource(organisation, resource_id):
    """An item of a network `organisation` belongs to (archived ones included: their address
    keeps working), or 404."""
    resource = (
        Resource.objects.filter(pk=resource_id, network__affiliations__organisation=organisation)
        .select_related("network")
        .first()
        if str(resource_id).isdigit()
        else None
    )
    if resource is None:
        raise Http404("Ressource introuvable")
    return resource


def get_public_news(network_slug, resource_id):
    """A news item its network made public (archived ones keep their address), or 404."""
    resource = (
        Resource.objects.filter(
            pk=resource_id, network__slug=network_slug, kind=Resource.Kind.NEWS, public=True
        )
        .select_related("network")
        .first()
        if str(resource_id).isdigit()
        else None
    )
    if resource is None:
        raise Http404("Actualité introuvable")
    return resource
