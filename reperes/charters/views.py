"""The telework charter builder's pages: routes and drafts, the builder with its completeness
panel, clauses with their wordings and comments, parameters, status, exports."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reperes.action_plans.actions import document_to_action
from reperes.charters import actions, rules
from reperes.charters.forms import (
    CharterCreateForm,
    CharterParametersForm,
    ClauseCommentForm,
    ClauseWordingForm,
    DateForm,
    OpinionForm,
)
from reperes.charters.library import get_library
from reperes.charters.models import CharterClause, Instrument, TeleworkCharter
from reperes.lib.actions import ActionRefused
from reperes.organisations.access import get_org_for_user
from reperes.reports.actions import request_document
from reperes.reports.prepared import prepare_page, respond_with


def _charter(organisation, charter_id):
    try:
        return organisation.telework_charters.get(pk=charter_id)
    except (TeleworkCharter.DoesNotExist, ValueError):
        raise Http404("Texte introuvable") from None


def _chosen(charter, clause_id):
    try:
        return charter.clauses.get(clause_id=clause_id)
    except CharterClause.DoesNotExist:
        raise Http404("Clause introuvable") from None


def charter_list(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    form = CharterCreateForm(request.POST or None)
    if request.method == "POST":
        if not organisation.abilities["pilot"]:
            raise Http404("Page introuvable")
        if form.is_valid():
            charter = actions.create_charter(
                organisation,
                by=request.user,
                instrument=form.cleaned_data["instrument"],
                title=form.cleaned_data["title"],
                co_drafted=form.cleaned_data["co_drafted"],
                proposal=form.cleaned_data["proposal"],
            )
            messages.success(
                request, "Le brouillon est créé : relisez chaque rubrique et complétez le panneau."
            )
            return redirect(charter)
    return render(
        request,
        "charters/list.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "charters": organisation.telework_charters.all(),
            "routes": rules.routes(organisation),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _builder_context(organisation, charter):
    library = get_library()
    rows = {row.clause_id: row for row in charter.clauses.prefetch_related("comments")}
    content = rules.document(charter, chosen=list(rows.values()), library=library)
    slots = []
    by_slot = {section["slot"]: section["clauses"] for section in content["sections"]}
    for slot in library.slots.values():
        chosen_here = by_slot.get(slot.id, [])
        chosen_ids = {clause["clause_id"] for clause in chosen_here}
        slots.append(
            {
                "slot": slot,
                "chosen": [
                    {**clause, "comments": len(rows[clause["clause_id"]].comments.all())}
                    for clause in chosen_here
                ],
                "options": [
                    clause
                    for clause in library.clauses_for(slot.id)
                    if clause.id not in chosen_ids and clause.applies_to(organisation)
                ],
            }
        )
    return {
        "organisation": organisation,
        "abilities": organisation.abilities,
        "charter": charter,
        "content": content,
        "slots": slots,
        "blocks": rules.blocks_when_incomplete(charter.instrument),
        "covered_count": sum(point["covered"] for point in content["mandatory"]),
        "refusal": actions.adoption_refusal(charter),
        "parameters": [
            (parameter, rules.parameter_values(charter.parameters, library)[key])
            for key, parameter in library.parameters.items()
        ],
        "versions": charter.versions.all(),
        "signatures": charter.signatures.filter(version=charter.version),
        "is_ratified": charter.instrument == Instrument.RATIFIED,
        "today": timezone.localdate(),
    }


def charter_detail(request, slug, charter_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    charter = _charter(organisation, charter_id)
    return render(request, "charters/detail.html", _builder_context(organisation, charter))


def charter_parameters(request, slug, charter_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    charter = _charter(organisation, charter_id)
    library = get_library()
    form = CharterParametersForm(
        request.POST or None,
        library=library,
        initial_values=rules.parameter_values(charter.parameters, library),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_parameters(charter, form.cleaned_data, by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, "Les paramètres sont enregistrés ; le texte des clauses en tient compte."
            )
            return redirect(charter)
    return render(
        request,
        "charters/parameters.html",
        {"organisation": organisation, "charter": charter, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def charter_clause_add(request, slug, charter_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    charter = _charter(organisation, charter_id)
    try:
        row = actions.add_clause(charter, request.POST.get("clause", ""), by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(charter)
    messages.success(request, "La clause est ajoutée.")
    return redirect("charters:clause", slug, charter.pk, row.clause_id)


def charter_clause(request, slug, charter_id, clause_id):
    """One clause: its explanation, wordings and the team's comments."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    charter = _charter(organisation, charter_id)
    row = _chosen(charter, clause_id)
    library = get_library()
    clause = library.clauses.get(row.clause_id)
    if clause is None:
        raise Http404("Clause retirée de la bibliothèque")
    values = rules.parameter_values(charter.parameters, library)
    wording_form = ClauseWordingForm(
        initial={"wording": row.wording_id, "custom_text": row.custom_text}, clause=clause
    )
    comment_form = ClauseCommentForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "comment":
                comment_form = ClauseCommentForm(request.POST)
                if comment_form.is_valid():
                    actions.comment_clause(row, by=request.user, text=comment_form.cleaned_data["text"])
                    messages.success(request, "Votre commentaire est ajouté.")
                    return redirect("charters:clause", slug, charter.pk, clause_id)
            elif not organisation.abilities["pilot"]:
                raise Http404("Page introuvable")
            elif action == "remove":
                actions.remove_clause(row, by=request.user)
                messages.success(request, "La clause est retirée du texte.")
                return redirect(charter)
            else:
                wording_form = ClauseWordingForm(request.POST, clause=clause)
                if wording_form.is_valid():
                    actions.update_clause(
                        row,
                        wording_id=wording_form.cleaned_data["wording"],
                        custom_text=wording_form.cleaned_data["custom_text"],
                        by=request.user,
                    )
                    messages.success(request, "La clause est enregistrée.")
                    return redirect(f"{charter.get_absolute_url()}#slot-{clause.slot}")
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        status = 400
    return render(
        request,
        "charters/clause.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "charter": charter,
            "row": row,
            "clause": clause,
            "slot": library.slots[clause.slot],
            "wordings": [(wording, rules.fill(wording, values, library)) for wording in clause.wordings],
            "wording_form": wording_form,
            "comment_form": comment_form,
            "comments": row.comments.select_related("author"),
        },
        status=status,
    )


@require_POST
def charter_status(request, slug, charter_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    charter = _charter(organisation, charter_id)
    step = request.POST.get("step")
    form = OpinionForm(request.POST) if step == "opinion" else DateForm(request.POST)
    try:
        if step == "revise":
            actions.revise_charter(charter, by=request.user)
            messages.success(request, f"La version {charter.version} est ouverte en brouillon.")
        elif not form.is_valid():
            messages.error(request, "Indiquez une date valide (jour, mois, année).")
        elif step == "submit":
            actions.submit_charter(charter, by=request.user, on=form.cleaned_data["on"])
            messages.success(request, "Le texte est soumis ; consignez l'avis quand vous l'aurez reçu.")
        elif step == "opinion":
            actions.record_opinion(
                charter, on=form.cleaned_data["on"], summary=form.cleaned_data["summary"], by=request.user
            )
            messages.success(request, "L'avis est consigné.")
        elif step == "communicated":
            actions.set_communicated(charter, on=form.cleaned_data["on"])
            messages.success(request, "La date de communication du projet est enregistrée.")
        elif step == "adopt":
            actions.adopt_charter(charter, by=request.user, on=form.cleaned_data["on"])
            messages.success(request, "L'adoption est enregistrée ; la version est archivée.")
        else:
            messages.error(request, "Étape inconnue.")
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(f"{charter.get_absolute_url()}#etat")


@require_POST
def charter_sign(request, slug, charter_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    charter = _charter(organisation, charter_id)
    try:
        actions.sign_charter(charter, user=request.user, membership=organisation.membership)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Votre signature est enregistrée.")
    return redirect(f"{charter.get_absolute_url()}#etat")


def charter_version(request, slug, charter_id, version_id):
    """An archived version, as it read when it was submitted or adopted."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    charter = _charter(organisation, charter_id)
    version = charter.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404("Version introuvable")
    return render(
        request,
        "charters/document.html",
        {"organisation": organisation, "charter": charter, "content": version.content, "archived": version},
    )


EXPORT_FORMATS = {"docx": "DOCX", "pdf": "PDF"}


def charter_export(request, slug, charter_id, fmt):
    """The text as DOCX or PDF, built by a task: a GET shows the button, the POST asks for it."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    charter = _charter(organisation, charter_id)
    if fmt not in EXPORT_FORMATS:
        raise Http404("Format inconnu")
    title = f"{charter.title} — {EXPORT_FORMATS[fmt]}"
    if request.method != "POST":
        return prepare_page(
            request,
            organisation,
            title=title,
            button=f"Préparer le {EXPORT_FORMATS[fmt]}",
            back_url=charter.get_absolute_url(),
            back_label="Revenir au texte",
        )
    document = request_document(
        organisation,
        by=request.user,
        kind="charter_text",
        params={"charter_id": charter.pk, "fmt": fmt},
        title=title,
    )
    return respond_with(document)


def charter_kit(request, slug, charter_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    charter = _charter(organisation, charter_id)
    if charter.instrument != Instrument.RATIFIED:
        raise Http404("Ce kit ne concerne que le projet d'accord soumis au personnel")
    title = f"Kit d'approbation par le personnel — {charter.title}"
    if request.method != "POST":
        return prepare_page(
            request,
            organisation,
            title=title,
            button="Préparer le kit (DOCX)",
            back_url=charter.get_absolute_url(),
            back_label="Revenir au texte",
        )
    document = request_document(
        organisation, by=request.user, kind="ratification_kit", params={"charter_id": charter.pk}, title=title
    )
    return respond_with(document)


# Builders of the prepared documents (registered in apps.py), run by a task outside the request.


@require_POST
def charter_action(request, slug, charter_id):
    """Putting the charter into practice becomes an action of the plan, linked to the charter."""
    organisation = get_org_for_user(request, slug, ability="pilot")
    charter = _charter(organisation, charter_id)
    action = document_to_action(
        organisation,
        by=request.user,
        title=f"Mettre en place « {charter.title} »"[:200],
        description=(
            "Présenter le texte à l'équipe, recueillir les demandes de télétravail, puis en faire le bilan "
            "avec les indicateurs prévus."
        ),
        label=charter.title,
        url=charter.get_absolute_url(),
        fiche="teletravail-petites-structures",
    )
    messages.success(request, "Le texte est inscrit au plan d'action.")
    return redirect(action)


@require_POST
def charter_delete(request, slug, charter_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    charter = _charter(organisation, charter_id)
    try:
        actions.delete_charter(charter, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(charter)
    messages.success(request, f"Le brouillon « {charter.title} » est supprimé.")
    return redirect("charters:list", slug)
