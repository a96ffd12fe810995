from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """A questionnaire in use: opening a diagnostic, invitations, anonymous answering, meeting and
    paper modes, closing, follow-up."""

    name = "reperes.campaigns"
    verbose_name = "Diagnostics"
