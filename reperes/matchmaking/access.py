"""The only ways to reach a sharing case: through the network it belongs to, for its matchmakers
and administrators; or through one of the two organisations it concerns, for their pilots.
Anything else, including a malformed id, is a 404."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from reperes.matchmaking.models import Case


def get_case_for_network(network, case_id):
    try:
        return Case.objects.select_related("organisation", "partner", "matchmaker", "listing", "network").get(
            network=network, pk=case_id
        )
    except (Case.DoesNotExist, ValidationError):
        raise Http404("Dossier introuvable") from None


def get_case_for_organisation(organisation, case_id):
    try:
        return Case.objects.select_related("organisation", "partner", "matchmaker", "listing", "network").get(
            Q(organisation=organisation) | Q(partner=organisation), pk=case_id
        )
    except (Case.DoesNotExist, ValidationError):
        raise Http404("Dossier introuvable") from None
