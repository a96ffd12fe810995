from django.apps import AppConfig

from reperes.lib.schedule import Job, day, minutes


class CampaignsConfig(AppConfig):
    """A questionnaire in use: opening a diagnostic, invitations, anonymous answering, meeting and
    paper modes, closing, follow-up."""

    name = "reperes.campaigns"
    verbose_name = "Diagnostics"
    # Run by `manage.py run_scheduled` (reperes/lib/schedule.py).
    periodic_jobs = [
        Job("campaigns.close_due", "reperes.campaigns.jobs.close_due", every=minutes(5)),
        Job("campaigns.closing_soon", "reperes.campaigns.jobs.closing_soon", every=day(after="06:30")),
        Job("campaigns.purge", "reperes.campaigns.jobs.purge", every=day(after="03:05")),
    ]
