from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    """The network's library: HR news, guides and kits, syntheses and replays, tools, kept by its
    staff, tagged by the diagnostics' themes, linked from fiches and results, with a news feed."""

    name = "reperes.resources"
    verbose_name = "Ressources du réseau"
