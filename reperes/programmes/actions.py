"""What facilitators and organisations do in a programme: create a cohort, apply or join with a
code, decide, name participants, fix dates, take attendance, hand in work, ask the expert."""

import copy
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reperes.campaigns.actions import invite_respondents, open_network_campaign
from reperes.instruments.models import Questionnaire
from reperes.lib.actions import ActionRefused, refuse_when_drafts_pile_up
from reperes.lib.content import store_if_changed
from reperes.lib.limits import reserve_mails
from reperes.lib.mail import send_templated_mail
from reperes.lib.uploads import detect_type
from reperes.organisations.journal import record_event
from reperes.organisations.models import NetworkRole
from reperes.programmes import authoring
from reperes.programmes.calendar import publish_calendar, scheduling_message
from reperes.programmes.definition import ProgrammeError
from reperes.programmes.eligibility import reasons_not_eligible
from reperes.programmes.models import (
    Assignment,
    AssignmentFile,
    Attendance,
    Cohort,
    DateChoice,
    Enrolment,
    EventSession,
    ExpertQuestion,
    FaqEntry,
    NetworkEvent,
    Note,
    Participant,
    Programme,
    ProgrammeDraft,
    Registration,
    Workshop,
)

# How long a late hand-in or a question stays possible is the facilitator's call; how much text
# one person may send is not.
MAX_FILES_PER_ASSIGNMENT = 5
MAX_FILE_BYTES = 5 * 1024 * 1024
ACCEPTED_EXTENSIONS = (".pdf", ".docx")


def is_accepted_document(upload):
    """A PDF or DOCX by its declared type, its name's extension and its content
    (reperes.lib.uploads: the browser's word on the type is not enough)."""
    file_type = detect_type(upload, ACCEPTED_EXTENSIONS)
    return file_type is not None and upload.content_type == file_type.content_type


def _event(cohort, *, by, verb, description, organisation=None):
    record_event(
        by=by,
        verb=f"programmes.{verb}",
        target=cohort.name,
        description=description,
        network=cohort.network,
        organisation=organisation,
    )


# Cohorts, on the network's side


@transaction.atomic
def create_cohort(network, *, programme, name, places, by, location="", applications_close_on=None):
    """A cohort of the latest version of `programme`, with one workshop per session of it,
    dated as the template says dates are usually known (to be fixed by the facilitator)."""
    version = programme.latest_version()
    if version is None:
        raise ActionRefused("Ce parcours n'a pas encore de version chargée.")
    if not network.memberships.filter(
        user=by, role__in=[NetworkRole.ADMIN, NetworkRole.FACILITATOR]
    ).exists():
        raise ActionRefused(
            "Seul·es les accompagnateur·rices et l'administration du réseau créent des cohortes."
        )
    cohort = Cohort.objects.create(
        network=network,
        programme_version=version,
        name=name,
        places=places,
        location=location,
        applications_close_on=applications_close_on,
        created_by=by,
    )
    cohort.facilitators.add(by)
    for session in version.spec.sessions:
        Workshop.objects.create(
            cohort=cohort,
            number=session.number,
            title=session.title,
            duration_minutes=session.duration_minutes,
            format=session.format,
            precision=Workshop.Precision.MONTH,
            location=location if session.format != "remote" else "",
        )
    _event(
        cohort, by=by, verb="cohort_created", description=f"{by} a créé la cohorte « {name} » ({programme})."
    )
    return cohort


@transaction.atomic
def update_cohort(cohort, *, by, **fields):
    for name, value in fields.items():
        setattr(cohort, name, value)
    if cohort.places < cohort.accepted_enrolments().count():
        raise ActionRefused("Il y a déjà plus de structures inscrites que ce nombre de places.")
    cohort.save()
    _event(cohort, by=by, verb="cohort_updated", description=f"{by} a modifié la cohorte « {cohort.name} ».")


@transaction.atomic
def add_facilitator(cohort, *, user, by):
    if not cohort.network.memberships.filter(user=user).exists():
        raise ActionRefused("Seule une personne de l'équipe du réseau peut co-animer une cohorte.")
    cohort.facilitators.add(user)
    _event(
        cohort,
        by=by,
        verb="facilitator_added",
        description=f"{by} a ajouté {user} à l'animation de « {cohort.name} ».",
    )


@transaction.atomic
def add_speaker(cohort, *, name, organisation_name, role, by):
    speaker = cohort.speakers.create(name=name, organisation_name=organisation_name, role=role)
    _event(cohort, by=by, verb="speaker_added", description=f"{by} a ajouté l'intervenant·e {name}.")
    return speaker


@transaction.atomic
def set_state(cohort, *, state, by):
    cohort.state = state
    cohort.save(update_fields=["state"])
    _event(
        cohort,
        by=by,
        verb="cohort_state",
        description=f"{by} a passé « {cohort.name} » à l'état « {cohort.get_state_display().lower()} ».",
    )


# Workshops: dates as the seeds give them, and the calendar messages that follow a change


def _workshop_recipients(workshop):
    participants = (
        Participant.objects.filter(
            enrolment__cohort=workshop.cohort, enrolment__state=Enrolment.State.ACCEPTED
        )
        .select_related("membership__user")
        .order_by("pk")
    )
    return [participant.user for participant in participants]


def send_calendar_update(item, users, *, by, method, organizer_name, template, context):
    """Email each of `users` the new date (METHOD:REQUEST) or the cancellation (METHOD:CANCEL)
    of a workshop or an event's session, so that their calendar follows. One message per
    person: nobody learns anyone else's address. Counted in the sender's mail quota."""
    if not users:
        return 0
    reserve_mails(count=len(users), user=by)
    for user in users:
        message = scheduling_message(
            item,
            method=method,
            organizer_email=settings.DEFAULT_FROM_EMAIL,
            organizer_name=organizer_name,
            attendees=[(user.email, user.name)],
        ).decode()
        send_templated_mail(
            user.email, template, {**context, "user": user}, calendar=message, calendar_method=method
        )
    return len(users)


def _tell_participants(workshop, *, by, method):
    return send_calendar_update(
        workshop,
        _workshop_recipients(workshop),
        by=by,
        method=method,
        organizer_name=workshop.cohort.network.name,
        template="programmes/email/workshop_cancelled"
        if method == "CANCEL"
        else "programmes/email/workshop_dated",
        context={"workshop": workshop, "cohort": workshop.cohort},
    )


@transaction.atomic
def schedule_workshop(
    workshop,
    *,
    precision,
    by,
    starts_at=None,
    week_of=None,
    month=None,
    location="",
    remote_link="",
    poll_closes_on=None,
    task_due_on=None,
):
    """Set how much of a workshop's date is known. Fixing or moving an exact date raises the
    calendar SEQUENCE (same UID) and tells participants; a week opens a date poll."""
    if workshop.is_cancelled:
        raise ActionRefused("Cet atelier est annulé.")
    was_dated = workshop.is_dated
    before = (workshop.starts_at, workshop.location, workshop.remote_link)
    if precision == Workshop.Precision.EXACT and starts_at is None:
        raise ActionRefused("Indiquez la date et l'heure de l'atelier.")
    if precision == Workshop.Precision.WEEK:
        if week_of is None:
            raise ActionRefused("Indiquez la semaine de l'atelier.")
        week_of = week_of - timedelta(days=week_of.weekday())
        poll_closes_on = poll_closes_on or max(timezone.localdate(), week_of - timedelta(days=7))
    if precision == Workshop.Precision.MONTH:
        if month is None:
            raise ActionRefused("Indiquez le mois de l'atelier.")
        month = month.replace(day=1)
    workshop.precision = precision
    workshop.starts_at = starts_at if precision == Workshop.Precision.EXACT else None
    workshop.week_of = week_of if precision == Workshop.Precision.WEEK else None
    workshop.month = month if precision == Workshop.Precision.MONTH else None
    workshop.poll_closes_on = poll_closes_on if precision == Workshop.Precision.WEEK else None
    workshop.location = location
    workshop.remote_link = remote_link
    workshop.task_due_on = task_due_on
    changed = not was_dated or not workshop.is_dated or before != (starts_at, location, remote_link)
    if was_dated and changed:
        # The same event changes (or goes): calendars take the higher sequence.
        workshop.sequence = F("sequence") + 1
    workshop.save()
    workshop.refresh_from_db()
    if workshop.is_dated and changed:
        _tell_participants(workshop, by=by, method="REQUEST")
    elif was_dated and not workshop.is_dated:
        # A date withdrawn (back to a week or a month): calendars drop the event.
        _tell_participants(workshop, by=by, method="CANCEL")
    _event(
        workshop.cohort,
        by=by,
        verb="workshop_scheduled",
        description=f"{by} a fixé la date de l'atelier {workshop.number} "
        f"({workshop.get_precision_display().lower()}).",
    )
    return workshop


@transaction.atomic
def cancel_workshop(workshop, *, by):
    if workshop.is_cancelled:
        return workshop
    workshop.cancelled_at = timezone.now()
    workshop.sequence = F("sequence") + 1
    workshop.save(update_fields=["cancelled_at", "sequence"])
    workshop.refresh_from_db()
    if workshop.is_dated:
        _tell_participants(workshop, by=by, method="CANCEL")
    _event(
        workshop.cohort,
        by=by,
        verb="workshop_cancelled",
        description=f"{by} a annulé l'atelier {workshop.number}.",
    )
    return workshop


@transaction.atomic
def answer_date_poll(workshop, *, participant, days):
    """A participant says which days of the week being decided suit them."""
    if not workshop.poll_is_open:
        raise ActionRefused(
            "Le choix de la date de cet atelier est clos : l'équipe d'animation a fixé la date "
            "ou le délai est passé. "
            "Vos disponibilités n'ont pas été enregistrées."
        )
    allowed = set(workshop.poll_days())
    days = sorted(day for day in days if day in allowed)
    DateChoice.objects.update_or_create(
        workshop=workshop, participant=participant, defaults={"days": [day.isoformat() for day in days]}
    )


def poll_tally(workshop):
    """[(day, how many participants it suits)] for each day of the week being decided."""
    counts = dict.fromkeys((day.isoformat() for day in workshop.poll_days()), 0)
    for choice in workshop.date_choices.all():
        for day in choice.days:
            if day in counts:
                counts[day] += 1
    return [(day, counts[day.isoformat()]) for day in workshop.poll_days()]


# Enrolment: applications, codes, decisions, participants


def eligibility_reasons(cohort, organisation):
    return reasons_not_eligible(
        cohort.spec.eligibility,
        organisation,
        is_network_member=organisation.affiliations.filter(network=cohort.network).exists(),
    )


def _check_places(cohort):
    if cohort.places_left() <= 0:
        raise ActionRefused(
            f"La cohorte « {cohort.name} » est complète. Écrivez à l'équipe du réseau "
            "pour être prévenu·e d'une prochaine session."
        )


def _add_participants(enrolment, participants):
    """`participants`: (membership, pair role or "") pairs, members of the enrolled organisation."""
    spec = enrolment.cohort.spec
    if not participants:
        raise ActionRefused("Nommez au moins une personne qui participera aux ateliers.")
    if len(participants) > spec.max_participants:
        raise ActionRefused(
            f"Ce parcours accueille {spec.max_participants} personne(s) par structure au plus."
        )
    memberships = {membership.pk for membership, _ in participants}
    if len(memberships) != len(participants):
        raise ActionRefused("Une même personne ne peut pas occuper deux places.")
    if any(membership.organisation_id != enrolment.organisation_id for membership, _ in participants):
        raise ActionRefused("Les participant·es doivent être membres de la structure.")
    if spec.enrolment == "pair":
        roles = sorted(role for _, role in participants)
        if roles != sorted(spec.pair_roles):
            labels = " + ".join(Participant.PairRole(role).label.lower() for role in spec.pair_roles)
            raise ActionRefused(
                f"Ce parcours s'adresse à un binôme : {labels}. Nommez une personne pour chaque place."
            )
    leaving = enrolment.participants.exclude(membership__in=memberships)
    attended = [
        str(p)
        for p in leaving.filter(attendances__isnull=False).distinct().select_related("membership__user")
    ]
    if attended:
        # Their attendance is what the certificate and the training funds rely on: keep it.
        raise ActionRefused(
            f"{', '.join(attended)} a déjà des présences notées : cette place ne peut plus changer "
            "de personne, pour garder ses présences et son attestation. "
            "Écrivez à l'équipe d'animation si besoin."
        )
    leaving.delete()
    for membership, role in participants:
        Participant.objects.update_or_create(
            enrolment=enrolment, membership=membership, defaults={"pair_role": role or ""}
        )


@transaction.atomic
def apply(cohort, organisation, *, motivation, management_commitment, participants, by):
    """Apply for a place: eligibility from the profile, a motivation, the management's commitment."""
    if not cohort.is_recruiting:
        raise ActionRefused("Les candidatures à cette cohorte sont closes.")
    reasons = eligibility_reasons(cohort, organisation)
    if reasons:
        raise ActionRefused(" ".join(reasons))
    if cohort.spec.eligibility.management_commitment and not management_commitment:
        raise ActionRefused(
            "Ce parcours demande l'engagement de la direction : cochez la case pour le confirmer."
        )
    _check_places(cohort)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                cohort=cohort,
                organisation=organisation,
                motivation=motivation,
                management_commitment=management_commitment,
                applied_by=by,
            )
    except IntegrityError:
        raise ActionRefused(
            "Votre structure a déjà une candidature ou une place dans cette cohorte."
        ) from None
    _add_participants(enrolment, participants)
    _event(
        cohort,
        by=by,
        verb="application_sent",
        description=f"{by} a proposé la candidature de {organisation} à « {cohort.name} ».",
        organisation=organisation,
    )
    for facilitator in cohort.facilitators.all():
        send_templated_mail(
            facilitator.email,
            "programmes/email/application_received",
            {"enrolment": enrolment, "cohort": cohort},
        )
    return enrolment


def cohort_for_code(code):
    code = "".join((code or "").split()).upper()
    return Cohort.objects.filter(join_code=code).exclude(state=Cohort.State.FINISHED).first()


@transaction.atomic
def join_with_code(organisation, *, code, participants, by):
    """An organisation invited directly joins with the cohort's code: no application, no vote."""
    cohort = cohort_for_code(code)
    if cohort is None:
        raise ActionRefused(
            "Ce code ne correspond à aucune cohorte en cours. Vérifiez-le (8 caractères, sans espace) "
            "ou demandez-le à votre accompagnateur·rice."
        )
    _check_places(cohort)
    enrolment, created = Enrolment.objects.get_or_create(
        cohort=cohort, organisation=organisation, defaults={"applied_by": by, "joined_with_code": True}
    )
    if not created and enrolment.is_accepted:
        raise ActionRefused(f"Votre structure est déjà inscrite à « {cohort.name} ».")
    if not created and enrolment.state == Enrolment.State.DECLINED:
        raise ActionRefused(
            f"Votre candidature à « {cohort.name} » n'a pas été retenue : "
            "le code ne change pas cette décision. "
            "Écrivez à l'équipe d'animation si votre situation a changé."
        )
    enrolment.state = Enrolment.State.ACCEPTED
    enrolment.joined_with_code = True
    enrolment.decided_at = timezone.now()
    enrolment.save()
    _add_participants(enrolment, participants)
    _event(
        cohort,
        by=by,
        verb="joined_with_code",
        description=f"{by} a inscrit {organisation} à « {cohort.name} » avec le code.",
        organisation=organisation,
    )
    return enrolment


def _tell_pilots(enrolment, template):
    pilots = enrolment.organisation.pilots().select_related("user")
    for membership in pilots:
        send_templated_mail(
            membership.user.email, template, {"enrolment": enrolment, "cohort": enrolment.cohort}
        )


@transaction.atomic
def accept(enrolment, *, by):
    if enrolment.state != Enrolment.State.APPLIED:
        raise ActionRefused("Cette candidature a déjà reçu une réponse.")
    _check_places(enrolment.cohort)
    enrolment.state = Enrolment.State.ACCEPTED
    enrolment.decided_at = timezone.now()
    enrolment.save(update_fields=["state", "decided_at"])
    _tell_pilots(enrolment, "programmes/email/application_accepted")
    _event(
        enrolment.cohort,
        by=by,
        verb="application_accepted",
        description=f"{by} a accepté la candidature de {enrolment.organisation}.",
        organisation=enrolment.organisation,
    )


@transaction.atomic
def decline(enrolment, *, reason, by):
    if enrolment.state != Enrolment.State.APPLIED:
        raise ActionRefused("Cette candidature a déjà reçu une réponse.")
    if not reason.strip():
        raise ActionRefused("Donnez le motif : la structure le recevra.")
    enrolment.state = Enrolment.State.DECLINED
    enrolment.decline_reason = reason.strip()
    enrolment.decided_at = timezone.now()
    enrolment.save(update_fields=["state", "decline_reason", "decided_at"])
    _tell_pilots(enrolment, "programmes/email/application_declined")
    _event(
        enrolment.cohort,
        by=by,
        verb="application_declined",
        description=f"{by} n'a pas retenu la candidature de {enrolment.organisation}.",
        organisation=enrolment.organisation,
    )


@transaction.atomic
def set_participants(enrolment, *, participants, by):
    _add_participants(enrolment, participants)
    _event(
        enrolment.cohort,
        by=by,
        verb="participants_set",
        description=f"{by} a nommé les participant·es de {enrolment.organisation}.",
        organisation=enrolment.organisation,
    )


@transaction.atomic
def withdraw(enrolment, *, by):
    enrolment.state = Enrolment.State.WITHDRAWN
    enrolment.save(update_fields=["state"])
    _event(
        enrolment.cohort,
        by=by,
        verb="withdrawn",
        description=f"{by} a retiré {enrolment.organisation} de « {enrolment.cohort.name} ».",
        organisation=enrolment.organisation,
    )


# Attendance


SATISFACTION_QUESTIONNAIRE = "satisfaction-atelier"
# The last workshop (the programme's review) asks about the whole programme instead.
REVIEW_QUESTIONNAIRE = "bilan-parcours"
# The satisfaction questionnaire closes a week after the workshop (two days at least after the
# attendance is taken, when it is taken late).
SATISFACTION_DAYS = 7


def invite_to_satisfaction(workshop, *, by):
    """Invite each participant marked present, once, to the workshop's anonymous satisfaction
    questionnaire (opened on first call). Returns the number of new invitations."""
    present = sorted(
        {
            attendance.participant.user.email
            for attendance in workshop.attendances.filter(status__in=Attendance.PRESENT).select_related(
                "participant__membership__user"
            )
        }
    )
    if not present:
        return 0
    campaign = workshop.satisfaction
    if campaign is None:
        is_review = workshop.spec is not None and workshop.spec.is_review
        slug = REVIEW_QUESTIONNAIRE if is_review else SATISFACTION_QUESTIONNAIRE
        version = Questionnaire.objects.get(slug=slug).latest_version()
        held_on = timezone.localdate(workshop.starts_at)
        closes_on = max(held_on + timedelta(days=SATISFACTION_DAYS), timezone.localdate() + timedelta(days=2))
        campaign = open_network_campaign(
            workshop.cohort.network,
            questionnaire_version=version,
            title=f"Le bilan du parcours — {workshop.cohort.name}"
            if is_review
            else f"Votre avis sur l'atelier {workshop.number} — {workshop.cohort.name}",
            closes_on=closes_on,
            by=by,
        )
        workshop.satisfaction = campaign
        workshop.save(update_fields=["satisfaction"])
    if not campaign.is_open:
        return 0
    return invite_respondents(campaign, emails=present, by=by)


@transaction.atomic
def record_attendance(workshop, *, statuses, by):
    """`statuses`: {(participant, half): status}. Only for a workshop that has taken place.

    Returns (new satisfaction invitations, refusal): the attendance is saved even when the
    invitations cannot leave (the sender's mail quota), and the refusal says why."""
    if not workshop.has_taken_place:
        raise ActionRefused("Les présences se notent une fois l'atelier commencé.")
    halves = set(workshop.halves)
    accepted = set(
        Participant.objects.filter(
            enrolment__cohort=workshop.cohort, enrolment__state=Enrolment.State.ACCEPTED
        ).values_list("pk", flat=True)
    )
    for (participant, half), status in statuses.items():
        if participant.pk not in accepted or half not in halves:
            raise ActionRefused("Cette personne ne participe pas à cet atelier.")
        if status:
            Attendance.objects.update_or_create(
                workshop=workshop,
                participant=participant,
                half=half,
                defaults={"status": status, "recorded_by": by},
            )
        else:
            Attendance.objects.filter(workshop=workshop, participant=participant, half=half).delete()
    _event(
        workshop.cohort,
        by=by,
        verb="attendance_taken",
        description=f"{by} a noté les présences de l'atelier {workshop.number}.",
    )
    try:
        with transaction.atomic():
            return invite_to_satisfaction(workshop, by=by), None
    except ActionRefused as refusal:
        return 0, str(refusal)


# Intersession work, notes, questions and FAQ


@transaction.atomic
def hand_in(enrolment, *, workshop, text, files, by):
    """Hand in (or complete) the intersession work after `workshop`: accepted after the
    deadline too, marked late. `files`: uploaded PDF or DOCX copies the organisation chose."""
    if not enrolment.is_accepted or workshop.cohort_id != enrolment.cohort_id:
        raise ActionRefused("Votre structure ne participe pas à cette cohorte.")
    spec = workshop.spec
    if spec is None or spec.intersession is None or spec.intersession.kind != "work":
        raise ActionRefused("Il n'y a pas de travail à rendre après cet atelier.")
    existing = enrolment.assignments.filter(workshop=workshop).first()
    if len(files) + (existing.files.count() if existing else 0) > MAX_FILES_PER_ASSIGNMENT:
        raise ActionRefused(f"Joignez {MAX_FILES_PER_ASSIGNMENT} documents au plus.")
    for upload in files:
        if upload.size > MAX_FILE_BYTES:
            raise ActionRefused(f"« {upload.name} » dépasse 5 Mo : exportez-le de nouveau ou allégez-le.")
        if not is_accepted_document(upload):
            raise ActionRefused(f"« {upload.name} » n'est ni un PDF ni un document Word (DOCX).")
    late = workshop.task_due_on is not None and timezone.localdate() > workshop.task_due_on
    assignment, _ = Assignment.objects.update_or_create(
        enrolment=enrolment,
        workshop=workshop,
        defaults={"text": text, "handed_in_by": by, "handed_in_at": timezone.now(), "is_late": late},
    )
    for upload in files:
        data = upload.read()
        AssignmentFile.objects.create(
            assignment=assignment,
            name=upload.name[:200],
            content_type=upload.content_type,
            data=data,
            size=len(data),
        )
    _event(
        enrolment.cohort,
        by=by,
        verb="work_handed_in",
        description=f"{by} a rendu le travail d'intersession de l'atelier {workshop.number}"
        + (" (en retard)." if late else "."),
        organisation=enrolment.organisation,
    )
    return assignment


@transaction.atomic
def add_note(enrolment, *, text, by, is_private=False, assignment=None):
    text = text.strip()
    if not text:
        raise ActionRefused("La note est vide.")
    return Note.objects.create(
        enrolment=enrolment, assignment=assignment, text=text, author=by, is_private=is_private
    )


@transaction.atomic
def ask_question(enrolment, *, text, by):
    """A participant's question for the expert: only the facilitators read it."""
    text = text.strip()
    if not text:
        raise ActionRefused("Écrivez votre question.")
    cohort = enrolment.cohort
    if cohort.questions.filter(asked_by=by).count() >= 10:
        raise ActionRefused("Vous avez déjà posé 10 questions : l'équipe d'animation les regroupera.")
    return ExpertQuestion.objects.create(cohort=cohort, asked_by=by, text=text)


@transaction.atomic
def add_faq_entry(cohort, *, question, answer, question_ids, by):
    entry = FaqEntry.objects.create(
        cohort=cohort, question=question.strip(), answer=answer.strip(), position=cohort.faq.count() + 1
    )
    cohort.questions.filter(pk__in=question_ids).update(faq_entry=entry)
    return entry


@transaction.atomic
def publish_faq(cohort, *, for_network, by):
    cohort.faq.filter(published_at__isnull=True).exclude(answer="").update(published_at=timezone.now())
    cohort.faq_for_network = for_network
    cohort.save(update_fields=["faq_for_network"])
    _event(
        cohort,
        by=by,
        verb="faq_published",
        description=f"{by} a publié la foire aux questions de « {cohort.name} ».",
    )


@transaction.atomic
def record_outcome(enrolment, *, outcome, reason, by):
    enrolment.outcome = outcome
    enrolment.outcome_reason = reason.strip()
    enrolment.save(update_fields=["outcome", "outcome_reason"])
    _event(
        enrolment.cohort,
        by=by,
        verb="outcome_recorded",
        description=f"{by} a noté le bilan de {enrolment.organisation}.",
        organisation=enrolment.organisation,
    )


@transaction.atomic
def message_cohort(cohort, *, subject, body, by):
    """Write to every participant of the cohort, within the sender's daily mail quota."""
    users = {
        participant.user
        for participant in Participant.objects.filter(
            enrolment__cohort=cohort, enrolment__state=Enrolment.State.ACCEPTED
        ).select_related("membership__user")
    }
    if not users:
        raise ActionRefused("Aucune personne n'est encore inscrite à cette cohorte.")
    reserve_mails(count=len(users), user=by)
    for user in sorted(users, key=lambda u: u.email):
        send_templated_mail(
            user.email,
            "programmes/email/cohort_message",
            {"cohort": cohort, "subject": subject, "body": body, "by": by},
        )
    _event(
        cohort,
        by=by,
        verb="message_sent",
        description=f"{by} a écrit aux {len(users)} participant·es : « {subject} ».",
    )
    return len(users)


# Retention (the privacy page states these periods)

# Intersession work, facilitators' notes, questions for the expert and date poll answers: a year
# after the cohort's last workshop. The published FAQ names nobody and stays.
WORK_RETENTION_DAYS = 365
# Attendance (who attended, when) and the list of participants: three years after the last
# workshop, as long as training funds may ask for the attendance sheets.
ATTENDANCE_RETENTION_DAYS = 3 * 365


def cohort_ends(cohorts):
    """{cohort id: the date of its last workshop (or its creation when none is dated)}."""
    ends = {}
    for cohort in cohorts.prefetch_related("workshops"):
        dates = [w.starts_at for w in cohort.workshops.all() if w.starts_at] or [cohort.created_at]
        ends[cohort.pk] = timezone.localdate(max(dates))
    return ends


@transaction.atomic
def purge_past_cohorts(*, today=None):
    """Delete what the retention periods no longer allow. Returns how many cohorts were touched."""
    today = today or timezone.localdate()
    ends = cohort_ends(Cohort.objects.all())
    touched = 0
    for cohort_id, end in ends.items():
        age = (today - end).days
        if age < WORK_RETENTION_DAYS:
            continue
        ExpertQuestion.objects.filter(cohort_id=cohort_id).delete()
        Note.objects.filter(enrolment__cohort_id=cohort_id).delete()
        Assignment.objects.filter(enrolment__cohort_id=cohort_id).delete()
        DateChoice.objects.filter(workshop__cohort_id=cohort_id).delete()
        Enrolment.objects.filter(cohort_id=cohort_id).update(motivation="")
        if age >= ATTENDANCE_RETENTION_DAYS:
            Attendance.objects.filter(workshop__cohort_id=cohort_id).delete()
            Participant.objects.filter(enrolment__cohort_id=cohort_id).delete()
        touched += 1
    return touched


# Network events: webinars and conferences outside any cohort


@transaction.atomic
def create_event(network, *, by, sessions, **fields):
    """A network event with its sessions: `sessions` are (starts_at, duration_minutes, title)."""
    if not network.memberships.filter(
        user=by, role__in=[NetworkRole.ADMIN, NetworkRole.FACILITATOR]
    ).exists():
        raise ActionRefused(
            "Seul·es les accompagnateur·rices et l'administration du réseau organisent des événements."
        )
    if not sessions:
        raise ActionRefused("Indiquez au moins une séance.")
    cohort = fields.get("cohort")
    if cohort is not None and cohort.network_id != network.pk:
        raise ActionRefused("Cette cohorte n'est pas celle du réseau.")
    event = NetworkEvent.objects.create(network=network, created_by=by, **fields)
    for number, (starts_at, duration, title) in enumerate(sorted(sessions, key=lambda s: s[0]), start=1):
        EventSession.objects.create(
            event=event, number=number, starts_at=starts_at, duration_minutes=duration, title=title
        )
    record_event(
        by=by,
        verb="programmes.event_created",
        target=event.title,
        description=f"{by} a créé l'événement « {event.title} ».",
        network=network,
    )
    return event


@transaction.atomic
def update_event(event, *, by, **fields):
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    record_event(
        by=by,
        verb="programmes.event_updated",
        target=event.title,
        description=f"{by} a modifié l'événement « {event.title} ».",
        network=event.network,
    )


def _tell_registrants(session, *, by, method):
    return send_calendar_update(
        session,
        [r.user for r in session.event.registrations.select_related("user").order_by("pk")],
        by=by,
        method=method,
        organizer_name=session.event.network.name,
        template="programmes/email/event_session_changed",
        context={"session": session, "event": session.event, "cancelled": method == "CANCEL"},
    )


@transaction.atomic
def move_session(session, *, starts_at, duration_minutes, by):
    """Move a session: calendars that have it update the same event (same UID, higher SEQUENCE)."""
    if (session.starts_at, session.duration_minutes) == (starts_at, duration_minutes):
        return session
    session.starts_at, session.duration_minutes = starts_at, duration_minutes
    session.sequence = F("sequence") + 1
    session.save(update_fields=["starts_at", "duration_minutes", "sequence"])
    session.refresh_from_db()
    _tell_registrants(session, by=by, method="REQUEST")
    record_event(
        by=by,
        verb="programmes.event_session_moved",
        target=session.event.title,
        description=f"{by} a déplacé la séance {session.number} de « {session.event.title} ».",
        network=session.event.network,
    )
    return session


@transaction.atomic
def cancel_session(session, *, by):
    if session.is_cancelled:
        return session
    session.cancelled_at = timezone.now()
    session.sequence = F("sequence") + 1
    session.save(update_fields=["cancelled_at", "sequence"])
    session.refresh_from_db()
    _tell_registrants(session, by=by, method="CANCEL")
    record_event(
        by=by,
        verb="programmes.event_session_cancelled",
        target=session.event.title,
        description=f"{by} a annulé la séance {session.number} de « {session.event.title} ».",
        network=session.event.network,
    )
    return session


@transaction.atomic
def record_reach(event, *, live_attendance, host_views, by):
    """The figures the network types in after the event: people present or connected live at
    each session that has taken place ({session: n}), and the video host's view count."""
    for session, count in live_attendance.items():
        if session.event_id != event.pk:
            raise ActionRefused("Cette séance n'est pas celle de l'événement.")
        if count is not None and not session.has_taken_place:
            raise ActionRefused(f"La séance {session.number} n'a pas encore eu lieu.")
        session.live_attendance = count
        session.save(update_fields=["live_attendance"])
    event.host_views = host_views
    event.save(update_fields=["host_views"])
    record_event(
        by=by,
        verb="programmes.event_reach",
        target=event.title,
        description=f"{by} a noté la participation à « {event.title} ».",
        network=event.network,
    )


def events_open_to(organisation):
    """The events of the networks `organisation` belongs to, not yet over."""
    return (
        NetworkEvent.objects.filter(network__in=organisation.networks.all())
        .filter(sessions__starts_at__gte=timezone.now() - timedelta(days=1))
        .distinct()
    )


@transaction.atomic
def register(event, *, user, organisation):
    """Register a member of an organisation of the network; the confirmation mail carries the
    sessions as a calendar (counted in the member's daily mail quota)."""
    if not event.registrations_open:
        raise ActionRefused("Les inscriptions à cet événement sont closes.")
    if not organisation.affiliations.filter(network=event.network).exists():
        raise ActionRefused("Cet événement est réservé aux structures du réseau.")
    if not organisation.memberships.filter(user=user).exists():
        raise ActionRefused("Vous n'êtes pas membre de cette structure.")
    if not event.sessions.filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True).exists():
        raise ActionRefused("Cet événement est passé : il n'y a plus de séance à venir.")
    registration, created = Registration.objects.get_or_create(
        event=event, user=user, defaults={"organisation": organisation}
    )
    if not created:
        raise ActionRefused("Vous êtes déjà inscrit·e à cet événement.")
    reserve_mails(count=1, user=user)
    send_templated_mail(
        user.email,
        "programmes/email/event_registered",
        {"event": event, "user": user},
        calendar=publish_calendar(event.sessions.all(), name=event.title).decode(),
        calendar_method="PUBLISH",
    )
    return registration


@transaction.atomic
def unregister(event, *, user):
    Registration.objects.filter(event=event, user=user).delete()


def count_replay(event):
    """One more click on the replay link (counted without knowing who clicked)."""
    NetworkEvent.objects.filter(pk=event.pk).update(replay_clicks=F("replay_clicks") + 1)


# Registrations to network events (who, from which organisation): a year after the last session.
REGISTRATION_RETENTION_DAYS = 365


@transaction.atomic
def purge_past_events(*, today=None):
    """Delete the registrations of events whose last session is more than a year old; the
    counts the evaluation needs (live, replays) stay on the event and its sessions."""
    today = today or timezone.localdate()
    old = [
        event.pk
        for event in NetworkEvent.objects.prefetch_related("sessions")
        if event.sessions.all()
        and (today - timezone.localdate(max(s.starts_at for s in event.sessions.all()))).days
        >= REGISTRATION_RETENTION_DAYS
    ]
    deleted, _ = Registration.objects.filter(event_id__in=old).delete()
    return deleted


def accompaniment_summary(organisation):
    """What the dashboard says of programmes: the cohorts the organisation is in, the calls for
    applications of its networks it could answer, the events to come."""
    enrolments = list(
        organisation.enrolments.filter(
            state__in=[Enrolment.State.ACCEPTED, Enrolment.State.APPLIED]
        ).select_related("cohort")
    )
    calls = [
        cohort
        for cohort in Cohort.objects.filter(
            network__in=organisation.networks.all(), state=Cohort.State.RECRUITING
        ).exclude(enrolments__organisation=organisation)
        if cohort.is_recruiting
    ]
    return {"enrolments": enrolments, "calls": len(calls), "events": events_open_to(organisation).count()}


EVENT_SATISFACTION_QUESTIONNAIRE = "satisfaction-evenement"


@transaction.atomic
def send_event_satisfaction(event, *, by):
    """Invite everyone registered, once, to the event's anonymous satisfaction questionnaire,
    when its sessions are over; it closes a week later. Returns the number of invitations."""
    if event.satisfaction_id:
        raise ActionRefused("Le questionnaire de satisfaction de cet événement est déjà parti.")
    if not event.is_over:
        raise ActionRefused("Le questionnaire part une fois toutes les séances passées.")
    emails = sorted({registration.user.email for registration in event.registrations.select_related("user")})
    if not emails:
        raise ActionRefused("Personne n'était inscrit·e : il n'y a personne à interroger.")
    version = Questionnaire.objects.get(slug=EVENT_SATISFACTION_QUESTIONNAIRE).latest_version()
    campaign = open_network_campaign(
        event.network,
        questionnaire_version=version,
        title=f"Votre avis sur « {event.title} »",
        closes_on=timezone.localdate() + timedelta(days=SATISFACTION_DAYS),
        by=by,
    )
    event.satisfaction = campaign
    event.save(update_fields=["satisfaction"])
    return invite_respondents(campaign, emails=emails, by=by)


# Programme templates a network writes (drafts, then versions of its own programme)


class StaleDraft(ActionRefused):
    """The form was opened before someone else saved the draft: saving it would undo their work."""


def _template_event(draft, *, by, verb, description):
    record_event(
        by=by, verb=f"programmes.{verb}", target=draft.title, description=description, network=draft.network
    )


def _validated(content):
    try:
        return authoring.validate(content)
    except ProgrammeError as error:
        raise ActionRefused(authoring.problem(error)) from error


@transaction.atomic
def create_template_draft(network, *, title, aim, audience, by):
    """A new template of `network`, from scratch: one workshop and a review to fill in."""
    refuse_when_drafts_pile_up(network.programme_drafts.pending())
    content = _validated(authoring.new_content(network, title=title, aim=aim, audience=audience))
    draft = ProgrammeDraft.objects.create(
        network=network, title=content["title"], content=content, created_by=by, updated_by=by
    )
    _template_event(
        draft, by=by, verb="template_created", description=f"{by} a commencé un modèle de parcours."
    )
    return draft


@transaction.atomic
def copy_programme(network, *, programme, by):
    """A draft from the latest version of `programme`: a shipped one (which never changes: the
    copy gets an identifier of the network's) or the network's own (the draft becomes its next
    version; an unpublished draft of it already started is given back rather than doubled)."""
    if programme.network_id not in (None, network.pk):
        raise ActionRefused("Ce parcours n'est pas proposé à votre réseau.")
    version = programme.latest_version()
    if version is None:
        raise ActionRefused("Ce parcours n'a pas encore de version publiée.")
    own = programme.network_id == network.pk
    if own:
        pending = network.programme_drafts.pending().filter(programme=programme).first()
        if pending is not None:
            return pending
    refuse_when_drafts_pile_up(network.programme_drafts.pending())
    content = copy.deepcopy(version.content)
    if not own:
        content["slug"] = authoring.network_slug(content["slug"], network)
    draft = ProgrammeDraft.objects.create(
        network=network,
        title=content["title"],
        content=content,
        based_on=version,
        programme=programme if own else None,
        created_by=by,
        updated_by=by,
    )
    _template_event(
        draft,
        by=by,
        verb="template_copied",
        description=f"{by} a ouvert un brouillon à partir de « {programme.title} » "
        f"(version {version.number}).",
    )
    return draft


def _locked_draft(draft, revision):
    draft = ProgrammeDraft.objects.select_for_update(of=("self",)).select_related("network").get(pk=draft.pk)
    if draft.published_version_id:
        raise ActionRefused(
            "Ce modèle est déjà publié et ne change plus : ouvrez un nouveau brouillon depuis la liste des "
            "modèles pour préparer sa version suivante."
        )
    if revision != draft.revision:
        who = f" par {draft.updated_by}" if draft.updated_by else ""
        raise StaleDraft(
            f"Ce brouillon a été modifié{who} depuis que vous avez ouvert la page : rien n'est enregistré. "
            "Vos saisies sont gardées ci-dessous ; rechargez la page pour voir la version actuelle, puis "
            "reportez-les."
        )
    return draft


@transaction.atomic
def save_template_draft(draft, *, content, revision, by):
    """Store `content` in the draft if it validates and the author saw the latest revision."""
    draft = _locked_draft(draft, revision)
    content = _validated(content)
    draft.content = content
    draft.title = content["title"]
    draft.revision += 1
    draft.updated_by = by
    draft.save(update_fields=["content", "title", "revision", "updated_by", "updated_at"])
    return draft


def _free_slug(wanted):
    slug, number = wanted, 1
    while Programme.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{wanted[: authoring.SLUG_LENGTH - len(str(number)) - 1]}-{number}"
    return slug


@transaction.atomic
def publish_template_draft(draft, *, revision, by):
    """The draft becomes a new immutable version of the network's programme (created on the
    first publication): the network's facilitators may then create cohorts with it. Cohorts
    created earlier keep the version they were created from."""
    draft = _locked_draft(draft, revision)
    network = draft.network
    content = _validated(draft.content)
    programme = draft.programme
    if programme is None:
        programme = Programme.objects.create(
            slug=_free_slug(content["slug"]), title=content["title"], network=network
        )
    elif programme.network_id != network.pk:
        raise ActionRefused("Ce parcours n'appartient pas à votre réseau.")
    content["slug"] = programme.slug
    if programme.title != content["title"]:
        programme.title = content["title"]
        programme.save(update_fields=["title"])
    version, created = store_if_changed(
        programme.versions, content, content=content, source=f"réseau {network.slug}"[:200]
    )
    if not created:
        raise ActionRefused(
            f"Ce brouillon est identique à la version {version.number} déjà publiée : "
            "rien de nouveau à publier."
        )
    draft.content = content
    draft.programme = programme
    draft.published_version = version
    draft.published_at = timezone.now()
    draft.save(update_fields=["content", "programme", "published_version", "published_at"])
    _template_event(
        draft,
        by=by,
        verb="template_published",
        description=f"{by} a publié « {programme.title} » (version {version.number}) "
        "pour les cohortes du réseau.",
    )
    return version


@transaction.atomic
def delete_template_draft(draft, *, by):
    draft = ProgrammeDraft.objects.select_for_update(of=("self",)).select_related("network").get(pk=draft.pk)
    if draft.published_version_id:
        raise ActionRefused("Un brouillon publié reste, pour garder la trace de ce qui a été publié.")
    _template_event(
        draft, by=by, verb="template_deleted", description=f"{by} a supprimé un brouillon de parcours."
    )
    draft.delete()
