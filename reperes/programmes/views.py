"""The facilitator's pages: cohorts of the network, one cohort, its workshops, its enrolments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.lib.http import download
from reperes.lib.limits import MailQuotaExceeded
from reperes.organisations.access import get_network_for_user
from reperes.programmes import actions
from reperes.programmes.access import get_cohort_for_facilitator
from reperes.programmes.forms import (
    ATTENDANCE_CHOICES,
    CoFacilitatorForm,
    CohortCreateForm,
    CohortForm,
    DecisionForm,
    FaqEntryForm,
    MessageForm,
    NoteForm,
    OutcomeForm,
    ScheduleForm,
    SpeakerForm,
    attendance_fields,
)
from reperes.programmes.models import Assignment, AssignmentFile, Enrolment, Participant, Programme
from reperes.programmes.satisfaction import cohort_satisfaction


def _context(cohort, **extra):
    return {"network": cohort.network, "abilities": cohort.network.abilities, "cohort": cohort, **extra}


def cohorts(request, slug):
    network = get_network_for_user(request, slug, ability="run_cohorts")
    network_cohorts = (
        network.cohorts.select_related("programme_version__programme")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__state=Enrolment.State.ACCEPTED)),
            applications=Count("enrolments", filter=Q(enrolments__state=Enrolment.State.APPLIED)),
        )
        .order_by("-created_at")
    )
    mine = set(network.cohorts.filter(facilitators=request.user).values_list("pk", flat=True))
    return render(
        request,
        "programmes/cohorts.html",
        {
            "network": network,
            "abilities": network.abilities,
            "cohorts": network_cohorts,
            "mine": mine,
            "programmes": Programme.objects.available_to(network).prefetch_related("versions"),
        },
    )


def cohort_create(request, slug):
    network = get_network_for_user(request, slug, ability="run_cohorts")
    form = CohortCreateForm(
        request.POST or None, initial={"programme": request.GET.get("parcours")}, network=network
    )
    if form.is_valid():
        try:
            cohort = actions.create_cohort(network, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "La cohorte est créée : fixez les dates des ateliers, puis ouvrez les candidatures."
            )
            return redirect("programmes:cohort", slug, cohort.pk)
    return render(
        request,
        "programmes/cohort_create.html",
        {
            "network": network,
            "abilities": network.abilities,
            "form": form,
        },
    )


def cohort(request, slug, cohort_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    enrolments = list(
        cohort.enrolments.select_related("organisation")
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("membership__user")),
            Prefetch("assignments", queryset=Assignment.objects.select_related("workshop")),
        )
        .order_by("state", "organisation__name")
    )
    workshops = list(cohort.workshops.prefetch_related("speakers"))
    from reperes.programmes.documents import attendance_matrix, hours_label

    return render(
        request,
        "programmes/cohort.html",
        _context(
            cohort,
            enrolments=enrolments,
            accepted=[e for e in enrolments if e.is_accepted],
            applications=[e for e in enrolments if e.state == Enrolment.State.APPLIED],
            workshops=workshops,
            matrix=attendance_matrix(cohort),
            satisfaction=cohort_satisfaction(cohort),
            hours_label=hours_label(cohort.spec.total_minutes),
            question_count=cohort.questions.count(),
            unanswered_questions=cohort.questions.filter(faq_entry__isnull=True).count(),
            facilitators=cohort.facilitators.order_by("name"),
            speakers=cohort.speakers.all(),
        ),
    )


def cohort_edit(request, slug, cohort_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    form = CohortForm(request.POST or None, instance=cohort)
    speaker_form = SpeakerForm(prefix="speaker")
    co_facilitator_form = CoFacilitatorForm(cohort=cohort, prefix="co")
    if form.is_valid():
        try:
            actions.update_cohort(cohort, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "La cohorte est enregistrée.")
            return redirect("programmes:cohort", slug, cohort.pk)
    return render(
        request,
        "programmes/cohort_edit.html",
        _context(
            cohort,
            form=form,
            speaker_form=speaker_form,
            co_facilitator_form=co_facilitator_form,
            facilitators=cohort.facilitators.order_by("name"),
        ),
    )


@require_POST
def facilitator_add(request, slug, cohort_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    form = CoFacilitatorForm(request.POST, cohort=cohort, prefix="co")
    if form.is_valid():
        try:
            actions.add_facilitator(cohort, user=form.cleaned_data["user"], by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"{form.cleaned_data['user']} co-anime la cohorte.")
    else:
        messages.error(request, "Choisissez une personne de l'équipe du réseau.")
    return redirect("programmes:cohort_edit", slug, cohort.pk)


@require_POST
def speaker_add(request, slug, cohort_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    form = SpeakerForm(request.POST, prefix="speaker")
    if form.is_valid():
        actions.add_speaker(cohort, by=request.user, **form.cleaned_data)
        messages.success(request, "L'intervenant·e est ajouté·e.")
    else:
        messages.error(request, "Indiquez au moins le nom de l'intervenant·e.")
    return redirect("programmes:cohort_edit", slug, cohort.pk)


def _workshop(cohort, number):
    workshop = cohort.workshops.filter(number=number).first()
    if workshop is None:
        raise Http404("Atelier introuvable")
    return workshop


def workshop(request, slug, cohort_id, number):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    workshop = _workshop(cohort, number)
    form = ScheduleForm.for_workshop(workshop, request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.schedule_workshop(
                workshop,
                by=request.user,
                precision=data["precision"],
                starts_at=data.get("starts_at"),
                week_of=data["week_of"],
                month=data["month"],
                location=data["location"],
                remote_link=data["remote_link"],
                poll_closes_on=data["poll_closes_on"],
                task_due_on=data["task_due_on"],
            )
        except (ActionRefused, MailQuotaExceeded) as refusal:
            form.add_error(None, getattr(refusal, "message", str(refusal)))
        else:
            messages.success(
                request, "L'atelier est enregistré ; les participant·es sont prévenu·es d'une date fixée."
            )
            return redirect("programmes:workshop", slug, cohort.pk, number)
    participants = list(
        Participant.objects.filter(enrolment__cohort=cohort, enrolment__state=Enrolment.State.ACCEPTED)
        .select_related("membership__user", "enrolment__organisation")
        .order_by("enrolment__organisation__name", "membership__user__name")
    )
    recorded = {(a.participant_id, a.half): a.status for a in workshop.attendances.all()}
    rows = [
        {
            "participant": participant,
            "cells": [
                {"half": half, "name": name, "value": recorded.get((participant.pk, half), "")}
                for p, half, name in attendance_fields(workshop, [participant])
            ],
        }
        for participant in participants
    ]
    return render(
        request,
        "programmes/workshop.html",
        _context(
            cohort,
            workshop=workshop,
            form=form,
            rows=rows,
            attendance_choices=ATTENDANCE_CHOICES,
            tally=actions.poll_tally(workshop) if workshop.week_of else [],
        ),
    )


@require_POST
def attendance(request, slug, cohort_id, number):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    workshop = _workshop(cohort, number)
    participants = Participant.objects.filter(
        enrolment__cohort=cohort, enrolment__state=Enrolment.State.ACCEPTED
    )
    valid = {value for value, _ in ATTENDANCE_CHOICES}
    statuses = {}
    for participant, half, name in attendance_fields(workshop, participants):
        value = request.POST.get(name, "")
        if value not in valid:
            messages.error(request, "Une présence n'a pas été comprise : rien n'a été enregistré. Réessayez.")
            return redirect("programmes:workshop", slug, cohort.pk, number)
        statuses[(participant, half)] = value
    try:
        invited, refused = actions.record_attendance(workshop, statuses=statuses, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Les présences sont enregistrées.")
        if invited:
            messages.success(
                request,
                f"{invited} personne{'s' if invited > 1 else ''} présente{'s' if invited > 1 else ''} "
                f"reçoi{'vent' if invited > 1 else 't'} le questionnaire de satisfaction anonyme.",
            )
        if refused:
            messages.error(request, f"Le questionnaire de satisfaction n'est pas parti : {refused}")
    return redirect("programmes:workshop", slug, cohort.pk, number)


@require_POST
def workshop_cancel(request, slug, cohort_id, number):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    workshop = _workshop(cohort, number)
    try:
        actions.cancel_workshop(workshop, by=request.user)
    except MailQuotaExceeded as exceeded:
        messages.error(request, exceeded.message)
    else:
        messages.success(request, "L'atelier est annulé ; les participant·es sont prévenu·es.")
    return redirect("programmes:workshop", slug, cohort.pk, number)


def _enrolment(cohort, enrolment_id):
    try:
        return cohort.enrolments.select_related("organisation").get(pk=enrolment_id)
    except (Enrolment.DoesNotExist, ValidationError):
        raise Http404("Inscription introuvable") from None


def enrolment(request, slug, cohort_id, enrolment_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    enrolment = _enrolment(cohort, enrolment_id)
    return render(
        request,
        "programmes/enrolment.html",
        _context(
            cohort,
            enrolment=enrolment,
            participants=enrolment.participants.select_related("membership__user"),
            assignments=enrolment.assignments.select_related("workshop").prefetch_related(
                "files", "comments"
            ),
            notes=enrolment.notes.filter(assignment__isnull=True).select_related("author"),
            decision_form=DecisionForm(),
            note_form=NoteForm(),
            outcome_form=OutcomeForm(
                initial={"outcome": enrolment.outcome, "reason": enrolment.outcome_reason}
            ),
        ),
    )


@require_POST
def decide(request, slug, cohort_id, enrolment_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    enrolment = _enrolment(cohort, enrolment_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez d'accepter ou non la candidature.")
        return redirect("programmes:enrolment", slug, cohort.pk, enrolment.pk)
    try:
        if form.cleaned_data["decision"] == "accept":
            actions.accept(enrolment, by=request.user)
            messages.success(
                request, f"{enrolment.organisation} est inscrite ; ses référent·es sont prévenu·es."
            )
        else:
            actions.decline(enrolment, reason=form.cleaned_data["reason"], by=request.user)
            messages.success(
                request,
                f"La candidature de {enrolment.organisation} n'est pas retenue ; le motif lui est envoyé.",
            )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("programmes:enrolment", slug, cohort.pk, enrolment.pk)


@require_POST
def note_add(request, slug, cohort_id, enrolment_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    enrolment = _enrolment(cohort, enrolment_id)
    form = NoteForm(request.POST)
    assignment = None
    if request.POST.get("assignment"):
        try:
            assignment = enrolment.assignments.filter(pk=int(request.POST["assignment"])).first()
        except ValueError:
            assignment = None
        if assignment is None:
            raise Http404("Travail introuvable")
    if form.is_valid():
        actions.add_note(enrolment, by=request.user, assignment=assignment, **form.cleaned_data)
        messages.success(request, "La note est enregistrée.")
    else:
        messages.error(request, "La note est vide ou trop longue (5 000 caractères au plus).")
    return redirect("programmes:enrolment", slug, cohort.pk, enrolment.pk)


@require_POST
def outcome(request, slug, cohort_id, enrolment_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    enrolment = _enrolment(cohort, enrolment_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        actions.record_outcome(enrolment, by=request.user, **form.cleaned_data)
        messages.success(request, "Le bilan est noté.")
    else:
        messages.error(request, "Ce bilan n'a pas été compris.")
    return redirect("programmes:enrolment", slug, cohort.pk, enrolment.pk)


def assignment_file(request, slug, cohort_id, file_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    attached = AssignmentFile.objects.filter(pk=file_id, assignment__enrolment__cohort=cohort).first()
    if attached is None:
        raise Http404("Document introuvable")
    return download(bytes(attached.data), filename=attached.name, content_type=attached.content_type)


def faq(request, slug, cohort_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    questions = list(cohort.questions.order_by("asked_at"))
    open_questions = [q for q in questions if q.faq_entry_id is None]
    form = FaqEntryForm(request.POST or None, questions=open_questions)
    if form.is_valid():
        actions.add_faq_entry(cohort, by=request.user, **form.cleaned_data)
        messages.success(request, "La question est ajoutée à la foire aux questions.")
        return redirect("programmes:faq", slug, cohort.pk)
    return render(
        request,
        "programmes/faq_edit.html",
        _context(cohort, questions=open_questions, entries=cohort.faq.all(), form=form),
    )


@require_POST
def faq_publish(request, slug, cohort_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    actions.publish_faq(cohort, for_network=request.POST.get("for_network") == "on", by=request.user)
    messages.success(request, "Les questions qui ont une réponse sont publiées.")
    return redirect("programmes:faq", slug, cohort.pk)


def message(request, slug, cohort_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    form = MessageForm(request.POST or None)
    if form.is_valid():
        try:
            count = actions.message_cohort(cohort, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        except MailQuotaExceeded as exceeded:
            form.add_error(None, exceeded.message)
        else:
            messages.success(request, f"Message envoyé à {count} participant·e{'s' if count > 1 else ''}.")
            return redirect("programmes:cohort", slug, cohort.pk)
    return render(request, "programmes/message.html", _context(cohort, form=form))
