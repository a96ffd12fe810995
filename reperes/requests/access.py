"""The only ways to reach a request: through the organisation that made it, for its pilots; or
through the network it was sent to, for that network's facilitators and administrators. Anything
else, including a malformed id, is a 404."""

from django.core.exceptions import ValidationError
from django.http import Http404

from reperes.requests.models import Request


def get_request_for_pilot(organisation, request_id):
    try:
        return Request.objects.select_related("network", "facilitator").get(
            organisation=organisation, pk=request_id
        )
    except (Request.DoesNotExist, ValidationError):
        raise Http404("Demande introuvable") from None


def get_request_for_network(network, request_id):
    try:
        return Request.objects.select_related("organisation", "facilitator", "created_by").get(
            network=network, pk=request_id
        )
    except (Request.DoesNotExist, ValidationError):
        raise Http404("Demande introuvable") from None
