from django.apps import AppConfig


class SharingConfig(AppConfig):
    """What an organisation shares, and with whom: its diagnostic results, campaign by campaign,
    with the facilitators of a cohort or of its network; the page that lists every share; the
    facilitators' pages that show only what was shared."""

    name = "reperes.sharing"
    verbose_name = "Partages"
    # The campaign page (reperes.campaigns, a lower floor) shows this panel without importing
    # this app: it collects `campaign_panel` from every app config.
    campaign_panel = "reperes.sharing.panels.campaign_panel"
