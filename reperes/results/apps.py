from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "reperes.results"
    verbose_name = "Résultats"
    # reperes.lib.hooks: the figures of a campaign are stored once, when it closes.
    campaign_closed = "reperes.results.actions.store_results"
