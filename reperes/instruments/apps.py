from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    """The questionnaires as content: definition files, their loader, immutable versions."""

    name = "reperes.instruments"
    verbose_name = "Questionnaires"
