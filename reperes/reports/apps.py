from django.apps import AppConfig

from reperes.reports.prepared import DocumentKind


class ReportsConfig(AppConfig):
    """What leaves Repères as a document: the PDF report, the spreadsheet exports, the
    six-month comparison of a follow-up with its diagnostic that the report and its page show,
    and the documents prepared outside the request (`prepared`), for this app and those above."""

    name = "reperes.reports"
    verbose_name = "Rapports et exports"
    documents = {"report_pdf": DocumentKind("reperes.reports.documents.build_report_pdf")}
