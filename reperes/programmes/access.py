"""How views reach cohorts: from the network's side through the facilitator, from the
organisation's side through the membership. Anything else is a 404.

- A cohort's facilitators (its `facilitators`, who hold a network role) run it.
- A network's other staff see that the cohort exists (its list), nothing inside.
- An enrolled organisation's participants see the cohort's pages; its pilots see its work,
  notes and enrolment; its other members see only that it takes part.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from reperes.organisations.access import get_network_for_user, get_org_for_user
from reperes.programmes.models import Cohort, Enrolment, Participant


def get_cohort_for_facilitator(request, slug, cohort_id):
    """A cohort of network `slug` that the user facilitates, or 404 (with the network's own
    checks: a role in it, two-factor authentication)."""
    network = get_network_for_user(request, slug)
    try:
        cohort = network.cohorts.select_related("programme_version__programme").get(
            pk=cohort_id, facilitators=request.user
        )
    except (Cohort.DoesNotExist, ValidationError, ValueError):
        raise Http404("Cohorte introuvable") from None
    cohort.network = network  # keeps .membership and .abilities
    return cohort


def get_enrolment_for_member(request, slug, cohort_id, *, pilot=False):
    """The enrolment of organisation `slug` in cohort `cohort_id`, or 404.

    The user must be a member of the organisation; with `pilot`, a pilot of it. The enrolment
    carries `.organisation` (with its abilities) and `.participant` (the user's own place in
    the cohort, or None)."""
    organisation = get_org_for_user(request, slug, ability="pilot" if pilot else "take_part")
    try:
        enrolment = organisation.enrolments.select_related(
            "cohort__programme_version__programme", "cohort__network"
        ).get(cohort_id=cohort_id)
    except (Enrolment.DoesNotExist, ValidationError, ValueError):
        raise Http404("Cohorte introuvable") from None
    enrolment.organisation = organisation
    enrolment.participant = Participant.objects.filter(
        enrolment=enrolment, membership=organisation.membership
    ).first()
    return enrolment


def get_enrolment_for_participant(request, slug, cohort_id):
    """As get_enrolment_for_member, but only for the organisation's pilots and the members named
    as participants of an accepted enrolment: they see the cohort's pages."""
    enrolment = get_enrolment_for_member(request, slug, cohort_id)
    may_see = enrolment.participant is not None or enrolment.organisation.abilities["pilot"]
    if not may_see or not enrolment.is_accepted:
        raise Http404("Cohorte introuvable")
    return enrolment
