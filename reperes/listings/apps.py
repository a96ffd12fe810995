from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class ListingsConfig(AppConfig):
    """Skills sharing between a network's organisations: offers and needs (skills, shared jobs,
    staff lending, premises, equipment, services), checked by the network's matchmaker before
    they are published, searched by members, and contacted through Repères."""

    name = "reperes.listings"
    verbose_name = "Annonces de mutualisation"
    # Suggested listings beside a team's results, collected by reperes.lib.panels.
    results_panel = "reperes.listings.panels.results_panel"
    periodic_jobs = [
        Job("listings.tell_expiring", "reperes.listings.jobs.tell_expiring", every=day(after="08:30")),
        Job("listings.purge", "reperes.listings.jobs.purge", every=day(after="03:55")),
    ]
