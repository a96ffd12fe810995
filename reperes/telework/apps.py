from django.apps import AppConfig

from reperes.reports.prepared import DocumentKind


class TeleworkConfig(AppConfig):
    """Preparing telework as a team: the activity inventory, the information-flow diagram, the
    tools and the usage and disconnection charter."""

    name = "reperes.telework"
    verbose_name = "Télétravail"
    # The files built outside the request (reperes.reports.prepared).
    documents = {"usage_charter": DocumentKind("reperes.telework.usage_document.build_usage_charter")}
