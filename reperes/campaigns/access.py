from django.core.exceptions import ValidationError
from django.http import Http404

from reperes.campaigns.actions import settle_if_due
from reperes.campaigns.models import Campaign


def get_campaign(organisation, campaign_id):
    """A campaign of `organisation` (reached through it), or 404."""
    try:
        campaign = organisation.campaigns.select_related("questionnaire_version__questionnaire").get(
            pk=campaign_id
        )
    except (Campaign.DoesNotExist, ValidationError, ValueError):
        raise Http404("Diagnostic introuvable") from None
    campaign.organisation = organisation  # keeps .membership and .abilities
    settle_if_due(campaign)
    return campaign
