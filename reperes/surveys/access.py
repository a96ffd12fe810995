"""How views reach a survey: through the network the user holds a role in, or through the
organisation the user belongs to, which must be one of the survey's recipients. Anything else is
the same 404."""

from django.core.exceptions import ValidationError
from django.http import Http404

from reperes.organisations.access import get_network_for_user, get_org_for_user
from reperes.surveys.models import Recipient, Survey


def get_survey_for_user(request, slug, survey_id, *, ability="see_surveys"):
    """The survey `survey_id` of network `slug`, reached through the user's role there."""
    network = get_network_for_user(request, slug, ability=ability)
    try:
        survey = Survey.objects.select_related("questionnaire_version").get(pk=survey_id, network=network)
    except (Survey.DoesNotExist, ValidationError, ValueError):
        raise Http404("Enquête introuvable") from None
    survey.network = network
    return survey


def get_recipient_for_user(request, slug, survey_id):
    """The organisation `slug`'s row of survey `survey_id`, once the survey has opened, for the
    organisation's pilots and the colleague the questionnaire was handed to."""
    organisation = get_org_for_user(request, slug)
    try:
        recipient = (
            Recipient.objects.select_related(
                "survey", "survey__network", "survey__questionnaire_version", "delegate"
            )
            .filter(survey__state__in=(Survey.State.OPEN, Survey.State.CLOSED))
            .get(survey_id=survey_id, organisation=organisation)
        )
    except (Recipient.DoesNotExist, ValidationError, ValueError):
        raise Http404("Enquête introuvable") from None
    recipient.organisation = organisation
    if not may_answer(recipient, request.user):
        raise Http404("Enquête introuvable")
    return recipient


def may_answer(recipient, user):
    return recipient.organisation.abilities["pilot"] or recipient.delegate_id == user.pk
