from django.apps import AppConfig


class LibConfig(AppConfig):
    """Template tags, and the one table of reperes.lib (daily email counters)."""

    name = "reperes.lib"
    verbose_name = "Outils communs"
