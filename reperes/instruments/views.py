"""A network's questionnaires (/r/<slug>/questionnaires/): the staff export any questionnaire
they may use as an XLSForm workbook, import a workbook as a draft or start one from a shipped or
published questionnaire, edit the draft (its settings, its themes one page each with their
statements, its open questions), look at it as a respondent will (campaigns:draft_preview), and
publish it for the member organisations."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from reperes.instruments import actions, authoring
from reperes.instruments.forms import (
    FreeTextForm,
    NewOpenQuestionForm,
    NewStatementForm,
    NewThemeForm,
    OpenQuestionFormSet,
    RevisionForm,
    SettingsForm,
    StatementFormSet,
    ThemeForm,
    WorkbookForm,
)
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
        QuestionnaireDraft.objects.select_related(
            "network", "based_on__questionnaire", "published_version", "created_by", "updated_by"
        ),
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
            drafts=network.questionnaire_drafts.pending().select_related("created_by", "updated_by"),
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
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("instruments:library", network.slug)
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
    return _draft_page(request, network, get_draft(network, draft_id))


def _draft_page(request, network, draft, new_theme_form=None):
    use_label = Use(draft.definition.get("use", Use.TEAM)).label
    return render(
        request,
        "instruments/draft.html",
        _context(
            network,
            draft=draft,
            spec=draft.spec,
            use_label=use_label,
            editable=not draft.published_version_id,
            new_theme_form=new_theme_form or NewThemeForm(initial={"revision": draft.revision}),
        ),
        status=400 if new_theme_form and new_theme_form.errors else 200,
    )


def _questionnaire(network, questionnaire_slug, *, own=False):
    """A questionnaire with a version, shipped (unless `own`) or the network's; else a 404."""
    questionnaire = Questionnaire.objects.filter(slug=questionnaire_slug).first()
    allowed = (network.pk,) if own else (None, network.pk)
    if (
        questionnaire is None
        or questionnaire.network_id not in allowed
        or not questionnaire.versions.exists()
    ):
        raise Http404("Questionnaire introuvable")
    return questionnaire


@require_POST
def copy(request, slug, questionnaire_slug):
    """« Partir de ce questionnaire »: a draft copy; the original never changes."""
    network = get_network_for_user(request, slug, ability="author_content")
    questionnaire = _questionnaire(network, questionnaire_slug)
    try:
        draft = actions.copy_questionnaire(network, questionnaire, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("instruments:library", network.slug)
    messages.success(
        request,
        f"« {draft.title} » est un brouillon copié de « {questionnaire.title} », qui ne change pas. "
        "Modifiez-le, puis publiez-le.",
    )
    return redirect(draft)


@require_POST
def edit(request, slug, questionnaire_slug):
    """« Modifier » one of the network's questionnaires: the draft of its next version (a
    published version never changes)."""
    network = get_network_for_user(request, slug, ability="author_content")
    questionnaire = _questionnaire(network, questionnaire_slug, own=True)
    try:
        draft, created = actions.start_next_version(network, questionnaire, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("instruments:library", network.slug)
    if created:
        messages.success(request, "Voici le brouillon de la version suivante : publié, il la deviendra.")
    else:
        messages.info(request, "Un brouillon de la version suivante est déjà en cours : le voici.")
    return redirect(draft)


def _published(request, draft):
    messages.error(request, actions.PUBLISHED)
    return redirect(draft)


def _saved(request, form, draft, definition, message="Modifications enregistrées."):
    """Store `definition` through the action; a refusal (invalid, stale, published) becomes the
    form's error, and the page shows again with what the author typed. Returns the status."""
    try:
        actions.update_draft(draft, definition, revision=form.cleaned_data["revision"], by=request.user)
    except actions.StaleDraft as stale:
        form.add_error(None, str(stale))
        return 409
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return 400
    messages.success(request, message)
    return 302


def _button(request, count):
    """The (verb, index) of the move or remove button pressed (« up-2 »), or ("save", None)."""
    verb, _, index = request.POST.get("action", "save").partition("-")
    if verb in ("up", "down", "remove") and index.isdigit() and int(index) < count:
        return verb, int(index)
    return "save", None


def _rearranged(entries, verb, index):
    if verb == "remove":
        return authoring.removed(entries, index)
    if verb in ("up", "down"):
        return authoring.moved(entries, index, -1 if verb == "up" else 1)
    return entries


STALE_FORM = (
    "Ce brouillon a changé depuis que vous avez ouvert cette page : rien n'est enregistré. "
    "Rechargez la page, puis refaites vos changements."
)


def draft_settings(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    if draft.published_version_id:
        return _published(request, draft)
    definition = draft.definition
    initial = {
        "revision": draft.revision,
        "title": definition["title"],
        "summary": definition.get("summary", ""),
        "duration_minutes": definition.get("duration_minutes", 5),
        "scale": definition["scale"]["code"],
    }
    form = SettingsForm(request.POST or None, initial=initial, current_scale=definition["scale"])
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            changed = {
                **definition,
                "title": data["title"],
                "summary": data["summary"],
                "duration_minutes": data["duration_minutes"],
                "scale": form.scales[data["scale"]],
            }
            status = _saved(request, form, draft, changed)
            if status == 302:
                return redirect(draft)
    return render(
        request, "instruments/draft_settings.html", _context(network, draft=draft, form=form), status=status
    )


def draft_theme(request, slug, draft_id, theme_id):
    """One theme of a draft: its texts and its statements (each with its tags), to edit, add,
    remove and reorder."""
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    theme = draft.spec.theme(theme_id)
    if theme is None:
        raise Http404("Thème introuvable")
    if draft.published_version_id:
        return _published(request, draft)
    items = theme["items"]
    author_tags = authoring.author_tags()
    kept = [[tag for tag in item.get("determinants", []) if tag not in author_tags] for item in items]
    data = request.POST or None
    form = ThemeForm(data, prefix="theme", initial=ThemeForm.initial_of(theme, draft.revision))
    statements = StatementFormSet(
        data,
        prefix="items",
        kept_tags=kept,
        initial=[
            {
                "text": item["text"],
                "determinants": [t for t in item.get("determinants", []) if t in author_tags],
            }
            for item in items
        ],
    )
    new = NewStatementForm(data, prefix="new")
    status = 200
    if request.method == "POST":
        status = 400
        valid = form.is_valid() & statements.is_valid() & new.is_valid()
        if valid and statements.total_form_count() != len(items):
            form.add_error(None, STALE_FORM)
            status = 409
        elif valid:
            changed_items = [
                authoring.with_tags(
                    {**item, "text": entry.cleaned_data["text"]}, entry.cleaned_data["determinants"]
                )
                for item, entry in zip(items, statements, strict=True)
            ]
            if new.cleaned_data["text"]:
                taken = authoring.names_of(draft.based_on.definition if draft.based_on else None)
                item_id = authoring.new_item_id(draft.definition, theme_id, also_taken=taken)
                changed_items.append(
                    authoring.with_tags(
                        {"id": item_id, "text": new.cleaned_data["text"]}, new.cleaned_data["determinants"]
                    )
                )
            verb, index = _button(request, len(items))
            changed_items = _rearranged(changed_items, verb, index)
            changed = authoring.replace_theme(
                draft.definition, theme_id, {**form.applied_to(theme), "items": changed_items}
            )
            status = _saved(
                request,
                form,
                draft,
                changed,
                message={
                    "remove": "Affirmation retirée.",
                    "up": "Affirmation déplacée.",
                    "down": "Affirmation déplacée.",
                }.get(verb, "Thème enregistré."),
            )
            if status == 302:
                return redirect(reverse("instruments:draft_theme", args=[network.slug, draft.pk, theme_id]))
    return render(
        request,
        "instruments/draft_theme.html",
        _context(
            network,
            draft=draft,
            theme=theme,
            position=draft.spec.themes.index(theme) + 1,
            form=form,
            statements=statements,
            new=new,
        ),
        status=status,
    )


@require_POST
def theme_add(request, slug, draft_id):
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    if draft.published_version_id:
        return _published(request, draft)
    form = NewThemeForm(request.POST)
    if form.is_valid() and draft.definition.get("use") == "organisation":
        # A self-diagnostic's theme says, for each level, what the next one would take: that is
        # written in the workbook, not here.
        form.add_error(
            None,
            "Un thème d'autodiagnostic dit, pour chaque niveau, ce que demanderait le suivant : "
            "ajoutez-le dans le classeur (feuille « reperes_etapes »), puis importez-le.",
        )
    if not form.is_valid():
        return _draft_page(request, network, draft, new_theme_form=form)
    definition = draft.definition
    taken = authoring.names_of(draft.based_on.definition if draft.based_on else None)
    theme_id = authoring.new_theme_id(definition, form.cleaned_data["title"], also_taken=taken)
    item_id = authoring.new_item_id(definition, theme_id, also_taken=taken | {theme_id})
    theme = {
        "id": theme_id,
        "title": form.cleaned_data["title"],
        "items": [{"id": item_id, "text": form.cleaned_data["statement"]}],
    }
    status = _saved(
        request, form, draft, {**definition, "themes": [*definition["themes"], theme]}, "Thème ajouté."
    )
    if status != 302:
        return _draft_page(request, network, draft, new_theme_form=form)
    return redirect(reverse("instruments:draft_theme", args=[network.slug, draft.pk, theme_id]))


@require_POST
def themes_arrange(request, slug, draft_id):
    """Move a theme up or down, or remove it: small forms of the draft's page, nothing typed."""
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    if draft.published_version_id:
        return _published(request, draft)
    form = RevisionForm(request.POST)
    definition = draft.definition
    verb, index = _button(request, len(definition["themes"]))
    if not form.is_valid() or verb == "save":
        messages.error(request, "Rien n'a changé : cette demande est incomplète.")
        return redirect(draft)
    changed = {**definition, "themes": _rearranged(definition["themes"], verb, index)}
    done = "Thème retiré." if verb == "remove" else "Thème déplacé."
    if _saved(request, form, draft, changed, done) != 302:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect(f"{draft.get_absolute_url()}#themes-titre")


def draft_free_text(request, slug, draft_id):
    """The open questions of a draft, on the last page: to edit, add, remove and reorder."""
    network = get_network_for_user(request, slug, ability="author_content")
    draft = get_draft(network, draft_id)
    if draft.published_version_id:
        return _published(request, draft)
    section = draft.spec.free_text
    items = section.get("items", [])
    data = request.POST or None
    form = FreeTextForm(
        data,
        initial={
            "revision": draft.revision,
            "title": section.get("title", ""),
            "description": section.get("description", ""),
        },
    )
    questions = OpenQuestionFormSet(
        data,
        prefix="items",
        initial=[
            {"text": i["text"], "help": i.get("help", ""), "max_length": i["max_length"]} for i in items
        ],
    )
    new = NewOpenQuestionForm(data, prefix="new")
    status = 200
    if request.method == "POST":
        status = 400
        valid = form.is_valid() & questions.is_valid() & new.is_valid()
        if valid and questions.total_form_count() != len(items):
            form.add_error(None, STALE_FORM)
            status = 409
        elif valid:
            changed_items = [
                {**item, "text": entry.cleaned_data["text"], "help": entry.cleaned_data["help"],
                 "max_length": entry.cleaned_data["max_length"]}
                for item, entry in zip(items, questions, strict=True)
            ]  # fmt: skip
            if new.cleaned_data["text"]:
                taken = authoring.names_of(draft.based_on.definition if draft.based_on else None)
                changed_items.append(
                    {
                        "id": authoring.new_item_id(draft.definition, "question", also_taken=taken),
                        "type": "text",
                        "text": new.cleaned_data["text"],
                        "help": new.cleaned_data["help"],
                        "max_length": new.cleaned_data["max_length"] or 1000,
                    }
                )
            verb, index = _button(request, len(items))
            changed_items = _rearranged(changed_items, verb, index)
            changed = {key: value for key, value in draft.definition.items() if key != "free_text"}
            if changed_items:
                changed["free_text"] = {
                    "title": form.cleaned_data["title"],
                    "description": form.cleaned_data["description"],
                    "items": changed_items,
                }
            if changed_items and not form.cleaned_data["title"]:
                form.add_error("title", "Donnez un titre à la page des questions ouvertes.")
            else:
                status = _saved(request, form, draft, changed, "Questions ouvertes enregistrées.")
                if status == 302:
                    return redirect(reverse("instruments:draft_free_text", args=[network.slug, draft.pk]))
    return render(
        request,
        "instruments/draft_free_text.html",
        _context(network, draft=draft, form=form, questions=questions, new=new),
        status=status,
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
