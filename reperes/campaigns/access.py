from django.core.exceptions import ValidationError
from django.http import Http404

from reperes.campaigns.actions import settle_if_due
from reperes.campaigns.models import Campaign


def get_campaign(organisation, campaign_id, *, related=()):
    """A campaign of `organisation` (reached through it), or 404. `related`: what an app above
    reads of its own about the campaign, in the same query (the results' stored figures)."""
    try:
        campaign = organisation.campaigns.select_related(
            "questionnaire_version__questionnaire", *related
        ).get(pk=campaign_id)
    except (Campaign.DoesNotExist, ValidationError, ValueError):
        raise Http404("Diagnostic introuvable") from None
    campaign.organisation = organisation  # keeps .membership and .abilities
    settle_if_due(campaign)
    return campaign
