from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class MatchmakingConfig(AppConfig):
    """The matchmaker's sharing cases: diagnostic of a need, calibration of the sharing,
    publication or search, putting in touch with both sides' agreement, legal assistance for
    staff lending and shared jobs, follow-up and closing."""

    name = "reperes.matchmaking"
    verbose_name = "Mises en lien"
    # `manage.py load_content` checks the checklists and document wordings (nothing is stored).
    content_label = "Accompagnement juridique des mises en lien"
    content_loader = "reperes.matchmaking.legal.check_legal"
    periodic_jobs = [Job("matchmaking.purge", "reperes.matchmaking.jobs.purge", every=day(after="04:00"))]
