from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class FichesConfig(AppConfig):
    """The guidance sheets: content files, their loader, immutable versions, public pages."""

    name = "reperes.fiches"
    verbose_name = "Fiches repères"
    # Loaded by `manage.py load_content` (reperes/lib/management/commands/load_content.py).
    content_label = "Fiches"
    content_loader = "reperes.fiches.loading.load_fiches"
    periodic_jobs = [Job("fiches.page_views", "reperes.fiches.jobs.page_views", every=day(after="02:10"))]
