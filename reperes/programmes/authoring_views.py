"""A network's programme templates (/r/<slug>/parcours/modeles/): its staff start a draft from
scratch or from a template they may use, edit it page by page (the general part, one page per
workshop, the review), look at it as an organisation will, and publish it for the network's
cohorts. Another network's draft is a 404; a published draft no longer changes."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.organisations.access import get_network_for_user
from reperes.programmes import actions, authoring
from reperes.programmes.authoring_forms import (
    GeneralForm,
    MoveForm,
    NewSessionForm,
    NewTemplateForm,
    ReviewForm,
    RevisionForm,
    SessionForm,
)
from reperes.programmes.models import Participant, Programme, ProgrammeDraft

ABILITY = "author_content"


def _context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def get_template_draft(network, draft_id):
    """A draft of `network`; another network's is a 404."""
    return get_object_or_404(
        ProgrammeDraft.objects.select_related("network", "based_on__programme", "programme", "updated_by"),
        network=network,
        pk=draft_id,
    )


def _editable(request, draft):
    """None when the draft may change, else the redirect to its page (a published draft)."""
    if draft.is_published:
        messages.info(
            request, "Ce modèle est publié et ne change plus : ouvrez un nouveau brouillon pour le modifier."
        )
        return redirect(draft)
    return None


def _session_number(draft, number):
    if not 1 <= number <= len(draft.content["sessions"]):
        raise Http404("Atelier introuvable")
    return number


def templates(request, slug):
    network = get_network_for_user(request, slug, ability=ABILITY)
    programmes = (
        Programme.objects.available_to(network)
        .annotate(version_count=Count("versions"))
        .filter(version_count__gt=0)
        .order_by("title")
    )
    shipped, own = [], []
    for programme in programmes:
        (own if programme.network_id else shipped).append(programme)
    return render(
        request,
        "programmes/authoring/templates.html",
        _context(
            network,
            drafts=network.programme_drafts.pending().select_related("updated_by", "based_on__programme"),
            shipped=shipped,
            own=own,
        ),
    )


def template_create(request, slug):
    network = get_network_for_user(request, slug, ability=ABILITY)
    form = NewTemplateForm(request.POST or None)
    if form.is_valid():
        try:
            draft = actions.create_template_draft(network, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Le modèle est commencé : complétez ses ateliers et son bilan.")
            return redirect(draft)
    return render(request, "programmes/authoring/create.html", _context(network, form=form))


@require_POST
def template_copy(request, slug, programme_id):
    network = get_network_for_user(request, slug, ability=ABILITY)
    programme = get_object_or_404(Programme.objects.available_to(network), pk=programme_id)
    try:
        draft = actions.copy_programme(network, programme=programme, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("programmes:templates", network.slug)
    messages.success(
        request, f"Brouillon ouvert à partir de « {programme.title} » : l'original ne change pas."
    )
    return redirect(draft)


def template_draft(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    return render(
        request,
        "programmes/authoring/draft.html",
        _context(
            network,
            draft=draft,
            spec=draft.spec,
            new_session_form=NewSessionForm(draft=draft),
            may_add=len(draft.content["sessions"]) < authoring.MAX_SESSIONS,
        ),
    )


def _save(request, draft, form, change):
    """Save the content `change(cleaned_data)` returns; the refusal, if any, on the form."""
    try:
        actions.save_template_draft(
            draft, content=change(form.cleaned_data), revision=form.cleaned_data["revision"], by=request.user
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return False
    messages.success(request, "Modifications enregistrées.")
    return True


def template_general(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    if response := _editable(request, draft):
        return response
    form = GeneralForm.for_draft(draft, request.POST or None)
    if form.is_valid() and _save(
        request, draft, form, lambda data: authoring.with_general(draft.content, data)
    ):
        return redirect(draft)
    return render(
        request,
        "programmes/authoring/edit.html",
        _context(network, draft=draft, form=form, heading="Présentation et candidatures"),
        status=400 if form.errors else 200,
    )


def template_session(request, slug, draft_id, number):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    number = _session_number(draft, number)
    if response := _editable(request, draft):
        return response
    form = SessionForm.for_session(draft, number, request.POST or None)
    if form.is_valid() and _save(
        request, draft, form, lambda data: authoring.with_session(draft.content, number, data)
    ):
        return redirect(f"{draft.get_absolute_url()}#atelier-{number}")
    session = draft.content["sessions"][number - 1]
    return render(
        request,
        "programmes/authoring/edit.html",
        _context(
            network,
            draft=draft,
            form=form,
            number=number,
            session_count=len(draft.content["sessions"]),
            heading=f"Atelier {number} : {session['title']}",
        ),
        status=400 if form.errors else 200,
    )


def template_review(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    if response := _editable(request, draft):
        return response
    form = ReviewForm.for_draft(draft, request.POST or None)
    if form.is_valid() and _save(
        request, draft, form, lambda data: authoring.with_review(draft.content, data)
    ):
        return redirect(draft)
    return render(
        request,
        "programmes/authoring/edit.html",
        _context(network, draft=draft, form=form, heading="Le bilan"),
        status=400 if form.errors else 200,
    )


def _refused(request, draft, form):
    """A structural change (add, move, remove) that was refused: back to the draft, saying why."""
    for error in form.non_field_errors() or [
        f"{form.fields[name].label or name} : {' '.join(errors)}" for name, errors in form.errors.items()
    ]:
        messages.error(request, error)
    return redirect(draft)


@require_POST
def template_session_add(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    form = NewSessionForm(request.POST, draft=draft)
    if len(draft.content["sessions"]) >= authoring.MAX_SESSIONS:
        form.add_error(None, f"Un parcours compte {authoring.MAX_SESSIONS} ateliers au plus.")
    elif form.is_valid():
        data = form.cleaned_data
        change = lambda _: authoring.with_new_session(  # noqa: E731
            draft.content,
            title=data["title"],
            duration_minutes=data["duration_minutes"],
            format=data["format"],
        )
        if _save(request, draft, form, change):
            return redirect(draft)
    # Refused: the draft again with the small form, its input kept and the reason above it.
    return render(
        request,
        "programmes/authoring/draft.html",
        _context(
            network,
            draft=draft,
            spec=draft.spec,
            new_session_form=form,
            may_add=len(draft.content["sessions"]) < authoring.MAX_SESSIONS,
        ),
        status=400,
    )


@require_POST
def template_session_move(request, slug, draft_id, number):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    number = _session_number(draft, number)
    form = MoveForm(request.POST, draft=draft)
    if form.is_valid():
        step = -1 if form.cleaned_data["direction"] == "up" else 1
        if _save(request, draft, form, lambda _: authoring.with_session_moved(draft.content, number, step)):
            moved_to = min(max(number + step, 1), len(draft.content["sessions"]))
            return redirect(f"{draft.get_absolute_url()}#atelier-{moved_to}")
    return _refused(request, draft, form)


@require_POST
def template_session_remove(request, slug, draft_id, number):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    number = _session_number(draft, number)
    form = RevisionForm(request.POST, draft=draft)
    if len(draft.content["sessions"]) == 1:
        form.add_error(
            None, "Un parcours a au moins un atelier : ajoutez-en un autre avant de retirer celui-ci."
        )
    elif form.is_valid() and _save(
        request, draft, form, lambda _: authoring.without_session(draft.content, number)
    ):
        return redirect(draft)
    return _refused(request, draft, form)


def template_preview(request, slug, draft_id):
    """The draft as an organisation reads a programme when it applies (the same presentation)."""
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    spec = draft.spec
    pair_slots = [(role, Participant.PairRole(role).label) for role in spec.pair_roles]
    return render(
        request,
        "programmes/authoring/preview.html",
        _context(network, draft=draft, spec=spec, pair_slots=pair_slots, network_name=network.name),
    )


@require_POST
def template_publish(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    form = RevisionForm(request.POST, draft=draft)
    if not form.is_valid():
        return _refused(request, draft, form)
    try:
        version = actions.publish_template_draft(
            draft, revision=form.cleaned_data["revision"], by=request.user
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(draft)
    messages.success(
        request,
        f"« {version.programme.title} » est publié (version {version.number}) : les accompagnateur·rices du "
        "réseau peuvent créer une cohorte avec.",
    )
    return redirect("programmes:templates", network.slug)


@require_POST
def template_delete(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability=ABILITY)
    draft = get_template_draft(network, draft_id)
    try:
        actions.delete_template_draft(draft, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(draft)
    messages.success(request, "Le brouillon est supprimé.")
    return redirect("programmes:templates", network.slug)
