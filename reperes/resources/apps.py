from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """The network's library: HR news, guides and kits, syntheses and replays, tools, kept by its
    staff, tagged by the diagnostics' themes, linked from fiches and results, with a news feed."""

    name = "reperes.resources"
    verbose_name = "Ressources du réseau"
    # The team results and the fiche pages (lower floors) show these panels without importing
    # this app: reperes.lib.panels.collect finds them here.
    results_panel = "reperes.resources.panels.results_panel"
    fiche_panel = "reperes.resources.panels.fiche_panel"
