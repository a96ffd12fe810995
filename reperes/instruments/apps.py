from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    """The questionnaires as content: definition files, their loader, immutable versions."""

    name = "reperes.instruments"
    verbose_name = "Questionnaires"
    # Loaded by `manage.py load_content` (reperes/lib/management/commands/load_content.py).
    content_label = "Questionnaires"
    content_loader = "reperes.instruments.loading.load_definitions"
