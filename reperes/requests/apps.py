from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class RequestsConfig(AppConfig):
    """Accompaniment requests: a pilot asks the network for expert help on the telework themes,
    Repères orients at once, and the network's facilitators take, follow and close the request."""

    name = "reperes.requests"
    verbose_name = "Demandes d'accompagnement"
    # Panels on lower pages, collected by reperes.lib.panels.
    results_panel = "reperes.requests.panels.results_panel"
    shares_panel = "reperes.requests.panels.shares_panel"
    periodic_jobs = [Job("requests.purge", "reperes.requests.jobs.purge", every=day(after="03:35"))]
