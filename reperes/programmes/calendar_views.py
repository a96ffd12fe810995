"""Calendar files of the workshops: one per session for participants and facilitators, and
each participant's private feed, which calendar applications fetch without a session."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from reperes.lib.http import download
from reperes.programmes import calendar
from reperes.programmes.access import get_cohort_for_facilitator, get_enrolment_for_participant
from reperes.programmes.models import Participant


@login_not_required
def participant_feed(request, token):
    """The feed a participant subscribes to: its address is the secret (`feed_token`)."""
    participant = get_object_or_404(Participant.objects.select_related("enrolment__cohort"), feed_token=token)
    content = calendar.participant_feed(participant)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ateliers.ics"'
    # The address is a secret: no shared cache keeps the feed, nor the browser its copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def workshop_ics(request, slug, cohort_id, number):
    enrolment = get_enrolment_for_participant(request, slug, cohort_id)
    return _workshop_download(enrolment.cohort, number)


def facilitator_workshop_ics(request, slug, cohort_id, number):
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    return _workshop_download(cohort, number)


def _workshop_download(cohort, number):
    workshop = cohort.workshops.filter(number=number).first()
    if workshop is None or not workshop.is_dated:
        raise Http404("Atelier introuvable")
    content = calendar.publish_calendar([workshop], name=f"Ateliers — {cohort.name}")
    filename = f"atelier-{workshop.number}.ics"
    return download(content, filename=filename, content_type="text/calendar; charset=utf-8")
