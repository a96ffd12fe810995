"""The panel the campaign page shows about sharing (collected by reperes.campaigns.views)."""

from reperes.sharing.actions import audiences


def campaign_panel(campaign):
    """Whom the campaign's results are shared with, and whether a pilot may share them more."""
    organisation = campaign.organisation
    shares = list(campaign.result_shares.select_related("network", "cohort", "facilitator"))
    can_share = (
        organisation.abilities["pilot"]
        and not campaign.is_draft
        and len([share for share in shares if not share.facilitator_id]) < len(audiences(organisation))
    )
    return {"template": "sharing/_campaign_panel.html", "shares": shares, "can_share": can_share}
