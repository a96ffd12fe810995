"""Sharing cases: the matchmaker's pages under /r/<network>/mises-en-lien/ (the list, a new
case, one case with a form for each step, its documents) and the organisations' read-only pages
under /s/<organisation>/mises-en-lien/, where their pilots agree to be put in touch."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.lib.http import DOCX, download
from reperes.listings.models import Contact, Listing
from reperes.matchmaking import actions, documents
from reperes.matchmaking.access import get_case_for_network, get_case_for_organisation
from reperes.matchmaking.forms import (
    CalibrationForm,
    CaseForm,
    CloseForm,
    DiagnosticForm,
    EmployeeForm,
    FollowUpForm,
    ItemForm,
    ListingForm,
    NoteForm,
    PartnerForm,
)
from reperes.matchmaking.models import Case
from reperes.organisations.access import get_network_for_user, get_org_for_user, space_context

Step = Case.Step

# The network's side


def _network_context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def cases(request, slug):
    """The network's cases, by step and category."""
    network = get_network_for_user(request, slug, ability="match")
    step = request.GET.get("etape", "ouverts")
    category = request.GET.get("categorie", "")
    rows = Case.objects.filter(network=network)
    counts = dict(rows.values_list("step").annotate(n=Count("pk")).order_by())
    if step in Step.values:
        rows = rows.filter(step=step)
    elif step != "tous":
        step = "ouverts"
        rows = rows.open()
    if category in Listing.Category.values:
        rows = rows.filter(category=category)
    else:
        category = ""
    waiting = (
        Contact.objects.filter(
            listing__network=network,
            state__in=[Contact.State.ASKED, Contact.State.FORWARDED, Contact.State.ACCEPTED],
        )
        .exclude(pk__in=Case.objects.filter(network=network, contact__isnull=False).values("contact_id"))
        .select_related("listing__organisation", "organisation")
        .order_by("created_at")
    )
    return render(
        request,
        "matchmaking/cases.html",
        _network_context(
            network,
            cases=rows.select_related("organisation", "partner", "matchmaker").order_by("-updated_at"),
            steps=[(value, label, counts.get(value, 0)) for value, label in Step.choices],
            open_count=sum(n for value, n in counts.items() if value != Step.CLOSED),
            step=step,
            category=category,
            categories=Listing.Category.choices,
            contacts=waiting,
        ),
    )


def case_create(request, slug):
    network = get_network_for_user(request, slug, ability="match")
    form = CaseForm(request.POST or None, network=network)
    if form.is_valid():
        try:
            case = actions.create_case(network, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Le dossier est ouvert. Commencez par le diagnostic du besoin.")
            return redirect(case.get_network_url())
    return render(request, "matchmaking/case_form.html", _network_context(network, form=form))


@require_POST
def case_from_contact(request, slug, contact_id):
    network = get_network_for_user(request, slug, ability="match")
    contact = Contact.objects.filter(listing__network=network, pk=contact_id).first()
    if contact is None:
        raise Http404("Demande introuvable")
    try:
        case = actions.create_case_from_contact(network, contact=contact, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("matchmaking:cases", network.slug)
    messages.success(request, "Le dossier est ouvert à partir de la demande de mise en lien.")
    return redirect(case.get_network_url())


def case_detail(request, slug, case_id):
    network = get_network_for_user(request, slug, ability="match")
    case = get_case_for_network(network, case_id)
    return _render_case(request, network, case)


def _render_case(request, network, case, **forms):
    """The case page, with the forms its step allows; `forms` are bound forms with errors."""
    is_open = case.is_open

    def form(name, factory, *steps):
        if name in forms:
            return forms[name]
        return factory() if is_open and case.step in steps else None

    context = _network_context(
        network,
        case=case,
        entries=case.entries.select_related("by"),
        checklist=case.checklist_items(),
        checklist_editable=case.step == Step.LEGAL,
        documents=documents.document_available(case),
        diagnostic_form=form(
            "diagnostic_form",
            lambda: DiagnosticForm(initial={"sought": case.sought, "notes": case.diagnostic_notes}),
            Step.DIAGNOSTIC,
            Step.CALIBRATION,
        ),
        calibration_form=form(
            "calibration_form",
            lambda: CalibrationForm(case=case),
            Step.CALIBRATION,
            Step.SEARCH,
            Step.INTRODUCTION,
            Step.LEGAL,
        ),
        listing_form=form(
            "listing_form", lambda: ListingForm(network=network), Step.SEARCH, Step.INTRODUCTION
        ),
        partner_form=form("partner_form", lambda: PartnerForm(case=case), Step.SEARCH, Step.INTRODUCTION),
        employee_form=form(
            "employee_form",
            lambda: EmployeeForm(
                initial={"name": case.employee_name, "qualification": case.employee_qualification}
            ),
            Step.LEGAL,
            Step.FOLLOW_UP,
        )
        if case.arrangement == Case.Arrangement.LENDING and case.employee_agreed
        else None,
        follow_up_form=form("follow_up_form", lambda: FollowUpForm(case=case), Step.FOLLOW_UP),
        close_form=form("close_form", CloseForm, *Step.values),
        note_form=form("note_form", NoteForm, *Step.values),
    )
    return render(request, "matchmaking/case.html", context, status=400 if forms else 200)


def _run(request, network, case, action, message, *, form=None, form_name=None):
    """Run `action` (which raises ActionRefused with a French reason); on a refusal, show the
    reason under the form if there is one, else as a message."""
    try:
        action()
    except ActionRefused as refusal:
        if form is None:
            messages.error(request, str(refusal))
            return redirect(case.get_network_url())
        form.add_error(None, str(refusal))
        return _render_case(request, network, case, **{form_name: form})
    messages.success(request, message)
    return redirect(case.get_network_url())


def _case_post(request, slug, case_id):
    network = get_network_for_user(request, slug, ability="match")
    return network, get_case_for_network(network, case_id)


@require_POST
def diagnostic(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = DiagnosticForm(request.POST)
    if not form.is_valid():
        return _render_case(request, network, case, diagnostic_form=form)
    data = form.cleaned_data
    return _run(
        request,
        network,
        case,
        lambda: actions.record_diagnostic(case, sought=data["sought"], notes=data["notes"], by=request.user),
        "Le diagnostic est noté.",
        form=form,
        form_name="diagnostic_form",
    )


@require_POST
def calibration(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = CalibrationForm(request.POST, case=case)
    if not form.is_valid():
        return _render_case(request, network, case, calibration_form=form)
    return _run(
        request,
        network,
        case,
        lambda: actions.calibrate(case, by=request.user, **form.cleaned_data),
        "Le calibrage du partage est noté.",
        form=form,
        form_name="calibration_form",
    )


@require_POST
def listing(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = ListingForm(request.POST, network=network)
    if not form.is_valid():
        return _render_case(request, network, case, listing_form=form)
    return _run(
        request,
        network,
        case,
        lambda: actions.link_listing(case, listing=form.cleaned_data["listing"], by=request.user),
        "L'annonce est liée au dossier.",
        form=form,
        form_name="listing_form",
    )


@require_POST
def partner(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = PartnerForm(request.POST, case=case)
    if not form.is_valid():
        return _render_case(request, network, case, partner_form=form)
    return _run(
        request,
        network,
        case,
        lambda: actions.choose_partner(case, partner=form.cleaned_data["partner"], by=request.user),
        "Le partenaire est choisi ; les structures qui n'ont pas encore donné leur accord sont "
        "invitées à le faire.",
        form=form,
        form_name="partner_form",
    )


@require_POST
def introduce(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    return _run(
        request,
        network,
        case,
        lambda: actions.introduce(case, by=request.user),
        "Les deux structures sont mises en lien : chacune a reçu le contact de l'autre.",
    )


@require_POST
def tick(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ce point ne fait pas partie de la liste : rechargez la page.")
        return redirect(case.get_network_url())
    data = form.cleaned_data
    return _run(
        request,
        network,
        case,
        lambda: actions.tick_item(case, item_id=data["item"], done=data["done"], by=request.user),
        "La liste de vérification est à jour.",
    )


@require_POST
def employee(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = EmployeeForm(request.POST)
    if not form.is_valid():
        return _render_case(request, network, case, employee_form=form)
    data = form.cleaned_data
    return _run(
        request,
        network,
        case,
        lambda: actions.set_employee(
            case, name=data["name"], qualification=data["qualification"], by=request.user
        ),
        "La personne salariée est inscrite dans le dossier.",
        form=form,
        form_name="employee_form",
    )


@require_POST
def complete_legal(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    return _run(
        request,
        network,
        case,
        lambda: actions.complete_legal(case, by=request.user),
        "L'accompagnement juridique est terminé ; place au suivi.",
    )


@require_POST
def follow_up(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = FollowUpForm(request.POST, case=case)
    if not form.is_valid():
        return _render_case(request, network, case, follow_up_form=form)
    return _run(
        request,
        network,
        case,
        lambda: actions.record_follow_up(case, by=request.user, **form.cleaned_data),
        "Le suivi est noté.",
        form=form,
        form_name="follow_up_form",
    )


@require_POST
def close(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _render_case(request, network, case, close_form=form)
    data = form.cleaned_data
    return _run(
        request,
        network,
        case,
        lambda: actions.close_case(case, outcome=data["outcome"], reason=data["reason"], by=request.user),
        "Le dossier est clos.",
        form=form,
        form_name="close_form",
    )


@require_POST
def note(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_case(request, network, case, note_form=form)
    return _run(
        request,
        network,
        case,
        lambda: actions.add_note(case, text=form.cleaned_data["text"], by=request.user),
        "La note est ajoutée au journal.",
        form=form,
        form_name="note_form",
    )


@require_POST
def follow(request, slug, case_id):
    network, case = _case_post(request, slug, case_id)
    return _run(
        request, network, case, lambda: actions.follow_case(case, by=request.user), "Vous suivez ce dossier."
    )


@never_cache
def document(request, slug, case_id, kind):
    network = get_network_for_user(request, slug, ability="match")
    case = get_case_for_network(network, case_id)
    return _document(case, kind)


def _document(case, kind):
    if kind not in documents.KINDS or not documents.document_available(case):
        raise Http404("Document introuvable")
    filename, content = documents.build(case, kind)
    return download(content, filename=filename, content_type=DOCX)


# The organisations' side


def org_cases(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    rows = (
        Case.objects.concerning(organisation)
        .select_related("organisation", "partner", "network", "matchmaker")
        .order_by("-updated_at")
    )
    return render(request, "matchmaking/org_cases.html", space_context(organisation, cases=rows))


def org_case(request, slug, case_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    case = get_case_for_organisation(organisation, case_id)
    has_need = case.organisation_id == organisation.pk
    return render(
        request,
        "matchmaking/org_case.html",
        space_context(
            organisation,
            case=case,
            has_need=has_need,
            agreed_at=case.need_agreed_at if has_need else case.partner_agreed_at,
            other=case.partner if has_need else case.organisation,
            checklist=case.checklist_items(),
            documents=documents.document_available(case),
        ),
    )


@require_POST
def org_agree(request, slug, case_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    case = get_case_for_organisation(organisation, case_id)
    try:
        actions.record_agreement(case, organisation=organisation, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            "Votre accord est noté. Le réseau vous mettra en lien dès que l'autre structure "
            "aura donné le sien.",
        )
    return redirect("matchmaking:org_case", organisation.slug, case.pk)


@never_cache
def org_document(request, slug, case_id, kind):
    organisation = get_org_for_user(request, slug, ability="pilot")
    case = get_case_for_organisation(organisation, case_id)
    return _document(case, kind)
