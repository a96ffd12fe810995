"""A network's questionnaires (/r/<slug>/questionnaires/): the staff export any questionnaire
they may use as an XLSForm workbook, import a workbook as a draft, look at the draft as a
respondent will (campaigns:draft_preview), and publish it for the member organisations."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from reperes.instruments import actions
from reperes.instruments.forms import WorkbookForm
from reperes.instruments.models import Questionnaire, QuestionnaireDraft, Use
from reperes.instruments.xlsform import WorkbookError, export_workbook
from reperes.lib.actions import ActionRefused
from reperes.organisations.access import get_network_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def get_draft(network, draft_id):
    """A draft of `network`; another network's is a 404."""
    return get_object_or_404(
        QuestionnaireDraft.objects.select_related("network", "based_on__questionnaire"),
        network=network,
        pk=draft_id,
    )


def library(request, slug, form=None, problems=None):
    network = get_network_for_user(request, slug, ability="author_content")
    questionnaires = (
        Questionnaire.objects.filter(Q(network__isnull=True) | Q(network=network))
        .filter(versions__isnull=False)
        .distinct()
        .order_by("title")
    )
    shipped, own = [], []
    for questionnaire in questionnaires:
        (own if questionnaire.network_id else shipped).append(questionnaire)
    return render(
        request,
        "instruments/library.html",
        _context(
            network,
            form=form or WorkbookForm(),
            problems=problems,
            drafts=network.questionnaire_drafts.pending().select_related("created_by"),
            own=own,
            shipped=shipped,
        ),
        status=400 if problems or (form and form.errors) else 200,
    )


@require_POST
def import_workbook(request, slug):
    network = get_network_for_user(request, slug, ability="author_content")
    form = WorkbookForm(request.POST, request.FILES)
    if not form.is_valid():
        return library(request, slug, form=form)
    upload = form.cleaned_data["workbook"]
    try:
        draft = actions.import_draft(network, data=upload.read(), file_name=upload.name, by=request.user)
    except WorkbookError as refused:
        return library(request, slug, form=form, problems=refused.problems)
    messages.success(request, "Le classeur est importé en brouillon. Relisez-le, puis publiez-le.")
    return redirect(draft)


def export(request, slug, questionnaire_slug):
    """The latest version of a shipped questionnaire or of one of the network's, as XLSForm."""
    network = get_network_for_user(request, slug, ability="author_content")
    questionnaire = Questionnaire.objects.filter(slug=questionnaire_slug).first()
    if questionnaire is None or questionnaire.network_id not in (None, network.pk):
        raise Http404("Questionnaire introuvable")
    version = questionnaire.latest_version()
    if version is None:
        raise Http404("Questionnaire introuvable")
    return _workbook_response(
        version.definition,
        f"{questionnaire.slug}-v{version.number}.xlsx",
        origin=f"{questionnaire.slug}@{version.number}",
    )


def _workbook_response(definition, file_name, origin=""):
    response = HttpResponse(export_workbook(definition, origin=origin), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def draft(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    use_label = Use(draft.definition.get("use", Use.TEAM)).label
    return render(
        request,
        "instruments/draft.html",
        _context(network, draft=draft, spec=draft.spec, use_label=use_label),
    )


def draft_export(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    origin = f"{draft.based_on.questionnaire.slug}@{draft.based_on.number}" if draft.based_on else ""
    return _workbook_response(draft.definition, f"{draft.slug}-brouillon.xlsx", origin=origin)


@require_POST
def publish(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    try:
        version = actions.publish_draft(draft, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(draft)
    messages.success(
        request,
        f"« {draft.title} » est publié (version {version.number}) : les structures du réseau peuvent "
        "lancer un diagnostic avec.",
    )
    return redirect("instruments:library", network.slug)


@require_POST
def delete(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    try:
        actions.delete_draft(draft, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(draft)
    messages.success(request, "Le brouillon est supprimé.")
    return redirect("instruments:library", network.slug)
