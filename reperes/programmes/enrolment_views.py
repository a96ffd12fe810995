"""The organisation's side of a programme: calls for applications, joining, and the cohort's
pages for its participants (their own work, notes and questions, never another organisation's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.lib.errors import too_many_requests
from reperes.lib.http import download
from reperes.lib.limits import Throttled, count_join_code_attempt
from reperes.organisations.access import get_org_for_user, space_context
from reperes.programmes import actions
from reperes.programmes.access import get_enrolment_for_participant
from reperes.programmes.forms import (
    ApplicationForm,
    HandInForm,
    JoinForm,
    ParticipantsForm,
    PollForm,
    QuestionForm,
)
from reperes.programmes.models import AssignmentFile, Cohort, DateChoice


def programmes(request, slug):
    """What the organisation takes part in, and the calls for applications of its networks."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    enrolments = list(
        organisation.enrolments.select_related(
            "cohort__network", "cohort__programme_version__programme"
        ).order_by("-applied_at")
    )
    enrolled = {enrolment.cohort_id for enrolment in enrolments}
    calls = [
        cohort
        for cohort in Cohort.objects.filter(
            network__in=organisation.networks.all(), state=Cohort.State.RECRUITING
        )
        .select_related("network", "programme_version__programme")
        .order_by("applications_close_on", "name")
        if cohort.is_recruiting and cohort.pk not in enrolled
    ]
    join_form = None
    if organisation.abilities["pilot"]:
        join_form = JoinForm(organisation=organisation, spec=_join_spec())
    return render(
        request,
        "programmes/space_list.html",
        space_context(organisation, enrolments=enrolments, calls=calls, join_form=join_form),
    )


class _AnyProgramme:
    """The participant slots of the join form before the code says which programme: up to two
    people; a programme that asks for a pair checks the roles when the code is known."""

    enrolment = "organisation"
    pair_roles = ()
    max_participants = 2


def _join_spec():
    return _AnyProgramme


def _call(organisation, cohort_id):
    try:
        cohort = Cohort.objects.select_related("network", "programme_version__programme").get(
            pk=cohort_id, network__in=organisation.networks.all()
        )
    except (Cohort.DoesNotExist, ValidationError):
        raise Http404("Appel à candidatures introuvable") from None
    return cohort


def apply(request, slug, cohort_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    cohort = _call(organisation, cohort_id)
    existing = organisation.enrolments.filter(cohort=cohort).first()
    form = ApplicationForm(request.POST or None, organisation=organisation, spec=cohort.spec)
    reasons = actions.eligibility_reasons(cohort, organisation)
    if form.is_valid():
        try:
            actions.apply(
                cohort,
                organisation,
                motivation=form.cleaned_data["motivation"],
                management_commitment=form.cleaned_data["management_commitment"],
                participants=form.cleaned_data["participants"],
                by=request.user,
            )
        except ActionRefused as refusal:
            # Everything typed stays in the form.
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "Votre candidature est envoyée : l'équipe d'animation vous répondra par e-mail."
            )
            return redirect("programmes:space_list", slug)
    return render(
        request,
        "programmes/apply.html",
        space_context(
            organisation, cohort=cohort, form=form, reasons=reasons, spec=cohort.spec, existing=existing
        ),
    )


@require_POST
def join(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    try:
        count_join_code_attempt(request)
    except Throttled as throttled:
        return too_many_requests(request, throttled)
    cohort = actions.cohort_for_code(request.POST.get("code"))
    spec = cohort.spec if cohort else _join_spec()
    form = JoinForm(request.POST, organisation=organisation, spec=spec)
    if form.is_valid():
        try:
            enrolment = actions.join_with_code(
                organisation,
                code=form.cleaned_data["code"],
                participants=form.cleaned_data["participants"],
                by=request.user,
            )
        except ActionRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            messages.success(request, f"Votre structure est inscrite à « {enrolment.cohort.name} ».")
            return redirect("programmes:space_cohort", slug, enrolment.cohort_id)
    return render(
        request,
        "programmes/join.html",
        space_context(organisation, form=form, cohort=cohort),
    )


def space_cohort(request, slug, cohort_id):
    enrolment = get_enrolment_for_participant(request, slug, cohort_id)
    organisation, cohort = enrolment.organisation, enrolment.cohort
    workshops = list(cohort.workshops.prefetch_related("speakers"))
    is_pilot = organisation.abilities["pilot"]
    assignments = {a.workshop_id: a for a in enrolment.assignments.prefetch_related("files", "comments")}
    own_choices = {}
    if enrolment.participant:
        own_choices = {
            c.workshop_id: c.days for c in DateChoice.objects.filter(participant=enrolment.participant)
        }
    for workshop in workshops:
        workshop.assignment = assignments.get(workshop.pk)
        workshop.poll_form = (
            PollForm(workshop=workshop, initial={"days": own_choices.get(workshop.pk, [])})
            if workshop.poll_is_open and enrolment.participant
            else None
        )
        for_comments = workshop.assignment.comments.filter(is_private=False) if workshop.assignment else []
        workshop.public_comments = list(for_comments)
    notes = (
        enrolment.notes.filter(assignment__isnull=True, is_private=False).select_related("author")
        if is_pilot
        else []
    )
    faq = cohort.faq.filter(published_at__isnull=False)
    draft = request.session.pop("programmes_draft", None) or {}
    return render(
        request,
        "programmes/space_cohort.html",
        space_context(
            organisation,
            enrolment=enrolment,
            cohort=cohort,
            spec=cohort.spec,
            workshops=workshops,
            notes=notes,
            faq=faq,
            hand_in_form=HandInForm(initial={"text": draft.get("text", "")}),
            draft_number=draft.get("number"),
            question_form=QuestionForm(),
            my_questions=cohort.questions.filter(asked_by=request.user).count(),
            participants=enrolment.participants.select_related("membership__user"),
            participants_form=ParticipantsForm(
                organisation=organisation, spec=cohort.spec, current=enrolment.participants.all()
            )
            if is_pilot
            else None,
        ),
    )


def _workshop(enrolment, number):
    workshop = enrolment.cohort.workshops.filter(number=number).first()
    if workshop is None:
        raise Http404("Atelier introuvable")
    return workshop


@require_POST
def poll(request, slug, cohort_id, number):
    enrolment = get_enrolment_for_participant(request, slug, cohort_id)
    workshop = _workshop(enrolment, number)
    if enrolment.participant is None:
        raise Http404("Vous ne participez pas à cette cohorte")
    form = PollForm(request.POST, workshop=workshop)
    if not form.is_valid():
        messages.error(
            request, "Ces jours ne font pas partie de la semaine proposée : rien n'a été enregistré."
        )
    else:
        try:
            actions.answer_date_poll(
                workshop, participant=enrolment.participant, days=form.cleaned_data["days"]
            )
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Vos disponibilités sont enregistrées.")
    return redirect("programmes:space_cohort", slug, cohort_id)


@require_POST
def hand_in(request, slug, cohort_id, number):
    enrolment = get_enrolment_for_participant(request, slug, cohort_id)
    workshop = _workshop(enrolment, number)
    form = HandInForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            assignment = actions.hand_in(
                enrolment,
                workshop=workshop,
                text=form.cleaned_data["text"],
                files=request.FILES.getlist("files"),
                by=request.user,
            )
        except ActionRefused as refusal:
            messages.error(request, f"{refusal} Votre texte est resté dans le formulaire.")
            # Nothing typed is lost: the page gives the text back in the form.
            request.session["programmes_draft"] = {"number": number, "text": form.cleaned_data["text"]}
        else:
            note = " Le délai était passé : il est marqué « en retard »." if assignment.is_late else ""
            messages.success(request, "Votre travail est transmis à l'équipe d'animation." + note)
            return redirect("programmes:space_cohort", slug, cohort_id)
    else:
        messages.error(
            request, "Écrivez quelques lignes sur ce que vous avez fait (5 000 caractères au plus)."
        )
    return redirect("programmes:space_cohort", slug, cohort_id)


@require_POST
def ask(request, slug, cohort_id):
    enrolment = get_enrolment_for_participant(request, slug, cohort_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            actions.ask_question(enrolment, text=form.cleaned_data["text"], by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Votre question est transmise à l'équipe d'animation, et à elle seule.")
    else:
        messages.error(request, "Écrivez votre question (2 000 caractères au plus).")
    return redirect("programmes:space_cohort", slug, cohort_id)


@require_POST
def participants(request, slug, cohort_id):
    enrolment = get_enrolment_for_participant(request, slug, cohort_id)
    if not enrolment.organisation.abilities["pilot"]:
        raise Http404("Cohorte introuvable")
    form = ParticipantsForm(request.POST, organisation=enrolment.organisation, spec=enrolment.cohort.spec)
    if form.is_valid():
        try:
            actions.set_participants(
                enrolment, participants=form.cleaned_data["participants"], by=request.user
            )
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Les participant·es sont enregistré·es.")
    else:
        messages.error(request, "Choisissez au moins une personne.")
    return redirect("programmes:space_cohort", slug, cohort_id)


def own_file(request, slug, cohort_id, file_id):
    enrolment = get_enrolment_for_participant(request, slug, cohort_id)
    attached = AssignmentFile.objects.filter(pk=file_id, assignment__enrolment=enrolment).first()
    if attached is None:
        raise Http404("Document introuvable")
    return download(bytes(attached.data), filename=attached.name, content_type=attached.content_type)


def faq_public(request, slug, cohort_id):
    """The FAQ of a cohort that its facilitators opened to the network's members."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    try:
        cohort = Cohort.objects.select_related("network").get(
            pk=cohort_id, network__in=organisation.networks.all(), faq_for_network=True
        )
    except (Cohort.DoesNotExist, ValidationError):
        raise Http404("Foire aux questions introuvable") from None
    return render(
        request,
        "programmes/faq.html",
        space_context(organisation, cohort=cohort, faq=cohort.faq.filter(published_at__isnull=False)),
    )
