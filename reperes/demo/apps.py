from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data. Sits on top of every app: it imports them all, nobody imports it."""

    name = "reperes.demo"
    verbose_name = "Démonstration"
