from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class OffersConfig(AppConfig):
    """The network's catalogue of offers: its programmes and open calls, expert accompaniment,
    trainings, and the regional directory of HR support schemes; which of them match an
    organisation, and beside its results, its weakest themes."""

    name = "reperes.offers"
    verbose_name = "Offres du réseau"
    # `manage.py load_content` checks the subjects file (nothing is stored: it is read as is).
    content_label = "Sujets des offres"
    content_loader = "reperes.offers.subjects.check_subjects"
    # The team results and the maturity results (lower floors) show these panels without
    # importing this app: reperes.lib.panels.collect finds them here.
    results_panel = "reperes.offers.panels.results_panel"
    maturity_panel = "reperes.offers.panels.maturity_panel"
    periodic_jobs = [
        Job("offers.forget_contacts", "reperes.offers.jobs.forget_contacts", every=day(after="03:45"))
    ]
