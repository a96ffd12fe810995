from django.apps import AppConfig


class OffersConfig(AppConfig):
    """The network's catalogue of offers: its programmes and open calls, expert accompaniment,
    trainings, and the regional directory of HR support schemes; which of them match an
    organisation, and beside its results, its weakest themes."""

    name = "reperes.offers"
    verbose_name = "Offres du réseau"
