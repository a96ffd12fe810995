from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """What leaves Repères as a document: the PDF report, the spreadsheet exports, and the
    six-month comparison of a follow-up with its diagnostic that the report and its page show."""

    name = "reperes.reports"
    verbose_name = "Rapports et exports"
