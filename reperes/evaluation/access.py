"""How views reach a project: through the network the user holds a role in. A project of another
network, or none, is the same 404."""

from django.core.exceptions import ValidationError
from django.http import Http404

from reperes.evaluation.models import Project
from reperes.organisations.access import get_network_for_user


def get_project_for_user(request, slug, project_id, *, ability="view"):
    """The project `project_id` of network `slug`, reached through the user's role there (with
    `ability`), or 404. It carries `.network` with `.membership` and `.abilities`."""
    network = get_network_for_user(request, slug, ability=ability)
    try:
        project = Project.objects.get(pk=project_id, network=network)
    except (Project.DoesNotExist, ValidationError, ValueError):
        raise Http404("Projet introuvable") from None
    project.network = network
    return project
