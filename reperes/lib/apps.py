from django.apps import AppConfig


class LibConfig(AppConfig):
    """Registers the template tags of reperes.lib; no models."""

    name = "reperes.lib"
    verbose_name = "Outils communs"
