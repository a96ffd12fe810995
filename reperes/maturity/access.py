"""Reaching an assessment: always through the organisation given by get_org_for_user."""

from django.http import Http404

from reperes.maturity.models import Assessment


def get_assessment(organisation, assessment_id):
    """The organisation's assessment `assessment_id`, else 404 (missing and foreign alike)."""
    assessment = (
        Assessment.objects.filter(organisation=organisation, pk=assessment_id)
        .select_related("questionnaire_version", "started_by", "completed_by")
        .first()
    )
    if assessment is None:
        raise Http404("Autodiagnostic introuvable")
    assessment.organisation = organisation  # carries .membership and .abilities
    return assessment
