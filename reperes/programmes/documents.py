"""The cohort's attendance documents that training funds ask for: the attendance sheet to sign
at each workshop (« feuille d'émargement »), each participant's attendance certificate
(« attestation d'assiduité »), and the facilitator's XLSX export of the cohort.

Time attended is counted from the Attendance rows (`Attendance.minutes`: a half of a full day
counts half) on the workshops held: not cancelled, and past or with their attendance taken."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from reperes.lib.pdf import html_to_pdf
from reperes.lib.spreadsheet import to_xlsx
from reperes.organisations.models import Organisation
from reperes.programmes.models import Assignment, Attendance, Enrolment, Participant, Workshop


def hours_label(minutes):
    """« 3 h », « 10 h 30 », « 45 min »."""
    hours, rest = divmod(int(minutes), 60)
    if not hours and rest:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def day_label(day, *, weekday=True):
    """« mardi 14 septembre 2021 », « vendredi 1er octobre 2021 »; without `weekday`,
    « 14 septembre 2021 »."""
    label = f"{'1er' if day.day == 1 else day.day} {date_format(day, 'F Y')}"
    return f"{date_format(day, 'l')} {label}" if weekday else label


def time_label(moment):
    """« 9 h », « 12 h 30 »."""
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def workshop_when(workshop):
    """« mardi 14 septembre 2021, 9 h 30 – 12 h 30 » in Paris time, or « Date à fixer »."""
    if not workshop.is_dated:
        return "Date à fixer"
    starts, ends = timezone.localtime(workshop.starts_at), timezone.localtime(workshop.ends_at)
    return f"{day_label(starts.date())}, {time_label(starts)} – {time_label(ends)}"


def workshop_where(workshop):
    place = workshop.location or workshop.cohort.location
    if workshop.format == Workshop.Format.REMOTE:
        return "À distance"
    if workshop.format == Workshop.Format.HYBRID:
        return f"{place} et à distance" if place else "Sur place et à distance"
    return place or "Lieu à préciser"


def accepted_participants(cohort):
    """The participants of the cohort's accepted enrolments, organisation by organisation."""
    return list(
        Participant.objects.filter(enrolment__cohort=cohort, enrolment__state=Enrolment.State.ACCEPTED)
        .select_related("membership__user", "enrolment__organisation")
        .order_by("enrolment__organisation__name", "membership__user__name", "pk")
    )


def counted_workshops(cohort):
    """The cohort's workshops that are not cancelled, in order, each with `held`: it has
    taken place, or its attendance was taken. Only held workshops count towards hours."""
    workshops = list(
        cohort.workshops.filter(cancelled_at__isnull=True)
        .annotate(recorded=Exists(Attendance.objects.filter(workshop=OuterRef("pk"))))
        .order_by("number")
    )
    for workshop in workshops:
        workshop.cohort = cohort  # one cohort for all, without a query each
        workshop.held = workshop.has_taken_place or workshop.recorded
    return workshops


def _signature_columns(workshop):
    if workshop.is_full_day:
        return [Attendance.Half.MORNING.label, Attendance.Half.AFTERNOON.label]
    return ["Signature"]


def _facilitators(cohort):
    return [str(user) for user in cohort.facilitators.order_by("name")]


def attendance_sheet_pdf(workshop):
    """The A4 sheet that participants sign at a workshop: one signature column, or a morning
    and an afternoon column for a full day."""
    cohort = workshop.cohort
    context = {
        "cohort": cohort,
        "programme": cohort.programme_version.programme,
        "workshop": workshop,
        "when": workshop_when(workshop),
        "duration": hours_label(workshop.duration_minutes),
        "where": workshop_where(workshop),
        "columns": _signature_columns(workshop),
        "participants": accepted_participants(cohort),
        "facilitators": _facilitators(cohort),
        "speakers": list(workshop.speakers.all()),
        "is_remote": workshop.format != Workshop.Format.ONSITE,
    }
    return html_to_pdf(render_to_string("programmes/pdf/attendance_sheet.html", context))


@dataclass(frozen=True)
class CertificateLine:
    workshop: Workshop
    when: str
    presence: str
    minutes: int

    @property
    def duration(self):
        return hours_label(self.workshop.duration_minutes)

    @property
    def attended(self):
        return hours_label(self.minutes)


def _presence(workshop, records):
    """« Présent·e sur place », or per half for a full day; « non renseignée » when missing."""
    parts = []
    for half in workshop.halves:
        record = records.get((workshop.pk, half))
        status = record.get_status_display().lower() if record else "non renseignée"
        if half != Attendance.Half.WHOLE:
            status = f"{Attendance.Half(half).label.lower()} : {status}"
        parts.append(status)
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def _date(workshop):
    return day_label(timezone.localdate(workshop.starts_at), weekday=False) if workshop.is_dated else ""


def certificate_context(participant, *, cohort):
    if participant.enrolment.cohort_id != cohort.pk:
        raise ValueError("This participant is not in this cohort.")
    held = [workshop for workshop in counted_workshops(cohort) if workshop.held]
    by_pk = {workshop.pk: workshop for workshop in held}
    records = {}
    for record in participant.attendances.filter(workshop__in=by_pk):
        record.workshop = by_pk[record.workshop_id]
        records[(record.workshop_id, record.half)] = record
    lines = [
        CertificateLine(
            workshop=workshop,
            when=_date(workshop),
            presence=_presence(workshop, records),
            minutes=sum(r.minutes for (pk, _), r in records.items() if pk == workshop.pk),
        )
        for workshop in held
    ]
    attended = sum(line.minutes for line in lines)
    total = sum(workshop.duration_minutes for workshop in held)
    days = [timezone.localdate(workshop.starts_at) for workshop in held if workshop.is_dated]
    return {
        "cohort": cohort,
        "network": cohort.network,
        "programme": cohort.programme_version.programme,
        "participant": participant,
        "user": participant.membership.user,
        "organisation": participant.enrolment.organisation,
        "lines": lines,
        "attended": hours_label(attended),
        "total": hours_label(total),
        "first_day": day_label(min(days), weekday=False) if days else "",
        "last_day": day_label(max(days), weekday=False) if days else "",
        "place": cohort.location,
        "issued_on": day_label(timezone.localdate(), weekday=False),
        "facilitators": _facilitators(cohort),
    }


def attendance_certificate_pdf(participant, *, cohort):
    """« Attestation d'assiduité » of one participant: the held workshops, the time attended at
    each and in all. It names nobody else but the facilitators."""
    context = certificate_context(participant, cohort=cohort)
    return html_to_pdf(render_to_string("programmes/pdf/attendance_certificate.html", context))


@dataclass(frozen=True)
class AttendanceRow:
    participant: Participant
    organisation: Organisation
    # Per workshop of the matrix, in its order: [(half, status or "")] in workshop.halves order.
    statuses: list
    minutes: int

    @property
    def hours(self):
        return hours_label(self.minutes)


@dataclass(frozen=True)
class AttendanceMatrix:
    workshops: list  # not cancelled, in order, each with `held`
    rows: list
    held_minutes: int

    @property
    def held_hours(self):
        return hours_label(self.held_minutes)


def attendance_matrix(cohort):
    """Who attended what: a row per participant of an accepted enrolment, with the status of
    each half of each workshop and the minutes attended at the held ones. Three queries."""
    workshops = counted_workshops(cohort)
    by_pk = {workshop.pk: workshop for workshop in workshops}
    participants = accepted_participants(cohort)
    records = {}
    for record in Attendance.objects.filter(workshop__in=by_pk, participant__in=participants):
        record.workshop = by_pk[record.workshop_id]
        records[(record.participant_id, record.workshop_id, record.half)] = record
    rows = []
    for participant in participants:
        statuses, minutes = [], 0
        for workshop in workshops:
            halves = []
            for half in workshop.halves:
                record = records.get((participant.pk, workshop.pk, half))
                halves.append((half, record.status if record else ""))
                if record and workshop.held:
                    minutes += record.minutes
            statuses.append(halves)
        rows.append(
            AttendanceRow(
                participant=participant,
                organisation=participant.enrolment.organisation,
                statuses=statuses,
                minutes=minutes,
            )
        )
    held_minutes = sum(workshop.duration_minutes for workshop in workshops if workshop.held)
    return AttendanceMatrix(workshops=workshops, rows=rows, held_minutes=held_minutes)


def _hours(minutes):
    return round(minutes / 60, 2)


def _enrolment_rows(cohort):
    enrolments = cohort.enrolments.select_related("organisation").prefetch_related(
        "participants__membership__user"
    )
    return [
        [
            enrolment.organisation.name,
            enrolment.get_state_display(),
            ", ".join(str(participant.membership.user) for participant in enrolment.participants.all()),
            enrolment.get_outcome_display(),
            enrolment.outcome_reason,
        ]
        for enrolment in enrolments
    ]


def _attendance_rows(cohort):
    matrix = attendance_matrix(cohort)
    header = ["Participant·e", "Structure", "Place dans le binôme"]
    for workshop in matrix.workshops:
        for half in workshop.halves:
            suffix = "" if half == Attendance.Half.WHOLE else f" ({Attendance.Half(half).label.lower()})"
            header.append(f"Atelier {workshop.number}{suffix}")
    header += ["Heures de présence", "Heures des ateliers tenus"]
    rows = []
    for row in matrix.rows:
        cells = [
            str(row.participant.membership.user),
            row.organisation.name,
            row.participant.get_pair_role_display(),
        ]
        for halves in row.statuses:
            cells += [Attendance.Status(status).label if status else "" for _, status in halves]
        cells += [_hours(row.minutes), _hours(matrix.held_minutes)]
        rows.append(cells)
    return header, rows


def _assignment_rows(cohort):
    assignments = (
        Assignment.objects.filter(enrolment__cohort=cohort)
        .select_related("workshop", "enrolment__organisation")
        .order_by("workshop__number", "enrolment__organisation__name")
    )
    return [
        [
            str(assignment.workshop),
            assignment.enrolment.organisation.name,
            timezone.localdate(assignment.handed_in_at).isoformat(),
            assignment.is_late,
        ]
        for assignment in assignments
    ]


def cohort_xlsx(cohort):
    """The cohort for the facilitator's files and the funders' reports: organisations,
    attendance (with hours), intersession work. Every cell goes through safe_cell."""
    attendance_header, attendance_rows = _attendance_rows(cohort)
    return to_xlsx(
        [
            (
                "Structures",
                ["Structure", "État", "Participant·es", "Six mois après", "Pourquoi"],
                _enrolment_rows(cohort),
            ),
            ("Présences", attendance_header, attendance_rows),
            ("Travaux", ["Atelier", "Structure", "Rendu le", "En retard"], _assignment_rows(cohort)),
        ]
    )
