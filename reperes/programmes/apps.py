from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class ProgrammesConfig(AppConfig):
    """Accompaniment programmes: the templates as content, and the cohorts a facilitator runs
    through workshops and intersessions."""

    name = "reperes.programmes"
    verbose_name = "Parcours d'accompagnement"
    # Loaded by `manage.py load_content` (reperes/lib/management/commands/load_content.py).
    content_label = "Parcours"
    content_loader = "reperes.programmes.loading.load_programmes"
    periodic_jobs = [Job("programmes.purge", "reperes.programmes.jobs.purge", every=day(after="03:20"))]
