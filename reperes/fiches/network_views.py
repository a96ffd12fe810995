"""A network's fiches (/r/<slug>/fiches/): its staff start a fiche or copy a shipped one, write it
in a draft, look at it as a reader will, and publish it for the member organisations. Editing a
published fiche starts a new draft; a published version never changes."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from reperes.fiches import actions
from reperes.fiches.forms import FicheDraftForm, NewFicheForm
from reperes.fiches.models import Fiche, FicheDraft
from reperes.fiches.views import body_context
from reperes.lib.actions import ActionRefused
from reperes.organisations.access import get_network_for_user


def _context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def get_draft(network, draft_id):
    """A draft of `network`; another network's is a 404."""
    return get_object_or_404(
        FicheDraft.objects.select_related(
            "network", "fiche", "based_on__fiche", "published_version", "updated_by"
        ),
        network=network,
        pk=draft_id,
    )


def get_fiche(network, fiche_slug):
    """A shipped fiche or one of `network`'s; another network's is a 404."""
    return get_object_or_404(
        Fiche.objects.filter(Q(network__isnull=True) | Q(network=network)), slug=fiche_slug
    )


def network_library(request, slug, form=None):
    network = get_network_for_user(request, slug, ability="author_content")
    fiches = Fiche.objects.filter(Q(network__isnull=True) | Q(network=network)).filter(versions__isnull=False)
    shipped, own = [], []
    for fiche in fiches.distinct().select_related("network"):
        (own if fiche.network_id else shipped).append(fiche)
    return render(
        request,
        "fiches/network_library.html",
        _context(
            network,
            form=form or NewFicheForm(),
            drafts=network.fiche_drafts.pending().select_related("updated_by", "fiche"),
            own=own,
            shipped=shipped,
        ),
        status=400 if form and form.errors else 200,
    )


@require_POST
def draft_create(request, slug):
    network = get_network_for_user(request, slug, ability="author_content")
    form = NewFicheForm(request.POST)
    if not form.is_valid():
        return network_library(request, slug, form=form)
    try:
        draft = actions.create_draft(network, title=form.cleaned_data["title"], by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("fiches:network_library", network.slug)
    messages.success(request, "La fiche est commencée : écrivez ses sections, puis publiez-la.")
    return redirect(draft)


@require_POST
def draft_copy(request, slug, fiche_slug):
    """A draft from a fiche: a copy of a shipped one, or the next version of the network's own."""
    network = get_network_for_user(request, slug, ability="author_content")
    fiche = get_fiche(network, fiche_slug)
    try:
        draft = actions.copy_fiche(network, fiche, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("fiches:network_library", network.slug)
    messages.success(
        request,
        "Un brouillon est prêt : la fiche publiée ne change pas tant que vous ne le publiez pas."
        if fiche.network_id
        else "La copie est prête en brouillon : la fiche d'origine ne change pas.",
    )
    return redirect(draft)


def draft(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    if request.method == "POST" and not draft.published_version_id:
        form = FicheDraftForm(request.POST)
        if form.is_valid():
            try:
                actions.update_draft(
                    draft,
                    content=form.content(draft.content),
                    revision=form.cleaned_data["revision"],
                    by=request.user,
                )
            except ActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "Le brouillon est enregistré.")
                return redirect(draft)
    else:
        form = FicheDraftForm(initial=FicheDraftForm.initial_for(draft))
    return render(
        request,
        "fiches/draft.html",
        _context(network, draft=draft, form=form, missing=actions.missing_sections(draft.content)),
        status=400 if form.errors else 200,
    )


def draft_preview(request, slug, draft_id):
    """The draft as a reader will see it: the fiche page's own body."""
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    return render(
        request,
        "fiches/preview.html",
        _context(
            network,
            draft=draft,
            **body_context(
                draft.content,
                label=f"Fiche proposée par {network.name}",
                legal=draft.is_legal_guidance,
                network=network,
            ),
        ),
    )


@require_POST
def draft_publish(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    try:
        version = actions.publish_draft(draft, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(draft)
    messages.success(
        request,
        f"« {draft.title} » est publiée (version {version.number}) : "
        "les structures du réseau peuvent la lire.",
    )
    return redirect("fiches:network_library", network.slug)


@require_POST
def draft_delete(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    try:
        actions.delete_draft(draft, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(draft)
    messages.success(request, "Le brouillon est supprimé.")
    return redirect("fiches:network_library", network.slug)
