from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class SurveysConfig(AppConfig):
    """A network's surveys of its member organisations: one answer per organisation, targeted by
    region, sector or size, with reminders, response rates by segment and results under the
    observatory's disclosure rules (confidential by default)."""

    name = "reperes.surveys"
    verbose_name = "Enquêtes des réseaux"
    # Opens the surveys whose day has come, closes those past their closing day, reminds the
    # organisations that have not answered a week before closing, forgets delegates and drafts.
    periodic_jobs = [Job("surveys.daily", "reperes.surveys.jobs.daily", every=day(after="05:20"))]
    # The surveys of a project's period on the programme evaluation page.
    evaluation_panel = "reperes.surveys.panels.evaluation_panel"
