from django.apps import AppConfig


class TeleworkConfig(AppConfig):
    """Preparing telework as a team: the activity inventory, the information-flow diagram, the
    tools and the usage and disconnection charter."""

    name = "reperes.telework"
    verbose_name = "Télétravail"
