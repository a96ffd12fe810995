from django.apps import AppConfig


class RequestsConfig(AppConfig):
    """Accompaniment requests: a pilot asks the network for expert help on the telework themes,
    Repères orients at once, and the network's facilitators take, follow and close the request."""

    name = "reperes.requests"
    verbose_name = "Demandes d'accompagnement"
