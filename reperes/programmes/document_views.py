"""The attendance documents as downloads: the sheet to sign, the certificates and the cohort's
export for its facilitators; a participant's own certificate. Built during the request: a
cohort's documents are small (a few dozen rows), and a GET writes nothing."""

from django.http import Http404
from django.utils.text import slugify

from reperes.lib.http import PDF, XLSX, download
from reperes.programmes.access import get_cohort_for_facilitator, get_enrolment_for_participant
from reperes.programmes.documents import attendance_certificate_pdf, attendance_sheet_pdf, cohort_xlsx
from reperes.programmes.models import Enrolment, Participant, Workshop


def _name(cohort):
    return slugify(cohort.name)[:60]


def attendance_sheet(request, slug, cohort_id, number):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    try:
        workshop = cohort.workshops.get(number=number)
    except Workshop.DoesNotExist:
        raise Http404("Atelier introuvable") from None
    return download(
        attendance_sheet_pdf(workshop),
        filename=f"emargement-{_name(cohort)}-atelier-{workshop.number}.pdf",
        content_type=PDF,
    )


def attendance_certificate(request, slug, cohort_id, participant_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    try:
        participant = Participant.objects.select_related("membership__user", "enrolment__organisation").get(
            pk=participant_id, enrolment__cohort=cohort, enrolment__state=Enrolment.State.ACCEPTED
        )
    except Participant.DoesNotExist:
        raise Http404("Participant·e introuvable") from None
    return _certificate(participant, cohort)


def my_certificate(request, slug, cohort_id):
    enrolment = get_enrolment_for_participant(request, slug, cohort_id)
    if enrolment.participant is None:
        raise Http404("Vous ne participez pas à cette cohorte")
    return _certificate(enrolment.participant, enrolment.cohort)


def _certificate(participant, cohort):
    name = slugify(str(participant.membership.user))[:60]
    return download(
        attendance_certificate_pdf(participant, cohort=cohort),
        filename=f"attestation-{_name(cohort)}-{name}.pdf",
        content_type=PDF,
    )


def cohort_export(request, slug, cohort_id):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    return download(cohort_xlsx(cohort), filename=f"{_name(cohort)}.xlsx", content_type=XLSX)
