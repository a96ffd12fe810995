"""The library's pages: the network's staff keep it (/r/<slug>/ressources/), an organisation's
members read the items of its networks (/s/<slug>/ressources/), and the network's public HR news
are a feed and a page each, readable without an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.lib.uploads import FILE_TYPES
from reperes.offers.matching import select_offers
from reperes.offers.subjects import subject_label
from reperes.organisations.access import get_org_for_user, space_context
from reperes.resources import actions
from reperes.resources.access import (
    get_member_resource,
    get_network_for_library,
    get_network_resource,
    get_public_news,
)
from reperes.resources.forms import STATUS_FILTERS, LibraryFilterForm, ResourceForm
from reperes.resources.models import Resource

ALLOWED_CONTENT_TYPES = {file_type.content_type for file_type in FILE_TYPES.values()}


def _network_context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def _filtered(resources, kind, subject):
    if kind:
        resources = resources.filter(kind=kind)
    resources = list(resources)
    if subject:  # a JSON list: filtered here, as SQLite has no containment lookup
        resources = [resource for resource in resources if subject in resource.subjects]
    return resources


def _download(resource):
    """The item's file, as an attachment of its whitelisted type, never shown inline."""
    if not resource.file:
        raise Http404("Fichier introuvable")
    try:
        handle = resource.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("Fichier introuvable") from None
    content_type = (
        resource.file_type if resource.file_type in ALLOWED_CONTENT_TYPES else "application/octet-stream"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=resource.file_name or "document", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The network's side


def library(request, slug):
    network = get_network_for_library(request, slug)
    filters = LibraryFilterForm(request.GET or None)
    kind, subject = filters.value("kind"), filters.value("subject")
    status = filters.value("status", "live")
    resources = Resource.objects.for_network(network)
    counts = resources.aggregate(
        live=Count("pk", filter=Q(archived_at__isnull=True)),
        archived=Count("pk", filter=Q(archived_at__isnull=False)),
        all=Count("pk"),
    )
    shown = {"live": resources.live(), "archived": resources.archived(), "all": resources}[status]
    return render(
        request,
        "resources/library.html",
        _network_context(
            network,
            resources=_filtered(shown, kind, subject),
            filters=filters,
            status=status,
            status_counts=[(code, label, counts[code]) for code, label in STATUS_FILTERS],
            filtered=bool(kind or subject),
            subject_label=subject_label(subject) if subject else "",
        ),
    )


def resource_create(request, slug):
    network = get_network_for_library(request, slug, manage=True)
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        network=network,
        initial={"kind": request.GET.get("type") or None, "author_name": str(request.user)},
    )
    if form.is_valid():
        try:
            resource = actions.create_resource(network, by=request.user, **form.action_fields())
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "La ressource est ajoutée à la bibliothèque.")
            return redirect("resources:resource", slug, resource.pk)
    return render(
        request, "resources/resource_form.html", _network_context(network, form=form, resource=None)
    )


def resource(request, slug, resource_id):
    network = get_network_for_library(request, slug)
    resource = get_network_resource(network, resource_id)
    return render(
        request,
        "resources/resource.html",
        _network_context(network, resource=resource, offers=list(resource.offers.all())),
    )


def resource_edit(request, slug, resource_id):
    network = get_network_for_library(request, slug, manage=True)
    resource = get_network_resource(network, resource_id)
    # The form writes what it reads on its instance: its own copy, so that the action compares
    # the stored item with the new values.
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        instance=get_network_resource(network, resource_id),
        network=network,
    )
    if form.is_valid():
        try:
            actions.update_resource(resource, by=request.user, **form.action_fields())
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "La ressource est enregistrée.")
            return redirect("resources:resource", slug, resource.pk)
    return render(
        request, "resources/resource_form.html", _network_context(network, form=form, resource=resource)
    )


@require_POST
def resource_archive(request, slug, resource_id):
    network = get_network_for_library(request, slug, manage=True)
    resource = get_network_resource(network, resource_id)
    actions.archive_resource(resource, by=request.user)
    messages.success(
        request, "La ressource est archivée : elle quitte les listes et le fil, son adresse reste valable."
    )
    return redirect("resources:resource", slug, resource.pk)


@require_POST
def resource_restore(request, slug, resource_id):
    network = get_network_for_library(request, slug, manage=True)
    resource = get_network_resource(network, resource_id)
    actions.restore_resource(resource, by=request.user)
    messages.success(request, "La ressource est de nouveau en ligne.")
    return redirect("resources:resource", slug, resource.pk)


def resource_file(request, slug, resource_id):
    network = get_network_for_library(request, slug)
    return _download(get_network_resource(network, resource_id))


# The organisation's side


def space_library(request, slug):
    organisation = get_org_for_user(request, slug)
    filters = LibraryFilterForm(request.GET or None, with_status=False)
    kind, subject = filters.value("kind"), filters.value("subject")
    resources = [
        resource
        for resource in _filtered(Resource.objects.for_organisation(organisation), kind, subject)
        if resource.reaches(organisation)
    ]
    return render(
        request,
        "resources/space_library.html",
        space_context(
            organisation,
            resources=resources,
            filters=filters,
            filtered=bool(kind or subject),
            subject_label=subject_label(subject) if subject else "",
        ),
    )


def space_resource(request, slug, resource_id):
    organisation = get_org_for_user(request, slug)
    resource = get_member_resource(organisation, resource_id)
    # Only the linked offers this organisation may take up: the others' pages are 404 to it.
    offers = select_offers(resource.offers.current().select_related("network"), organisation)
    return render(
        request,
        "resources/space_resource.html",
        space_context(organisation, resource=resource, offers=offers),
    )


def space_file(request, slug, resource_id):
    organisation = get_org_for_user(request, slug)
    return _download(get_member_resource(organisation, resource_id))


# Public: the network's HR news that its staff made public


@login_not_required
def public_news(request, slug, resource_id):
    resource = get_public_news(slug, resource_id)
    return render(request, "resources/public_news.html", {"resource": resource, "network": resource.network})
