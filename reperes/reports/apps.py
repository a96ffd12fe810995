from django.apps import AppConfig

from reperes.lib.schedule import Job, day
from reperes.reports.prepared import DocumentKind


class ReportsConfig(AppConfig):
    """What leaves Repères as a document: the PDF report, the spreadsheet exports, the
    six-month comparison of a follow-up with its diagnostic that the report and its page show,
    and the documents prepared outside the request (`prepared`), for this app and those above."""

    name = "reperes.reports"
    verbose_name = "Rapports et exports"
    documents = {"report_pdf": DocumentKind("reperes.reports.documents.build_report_pdf")}
    # Run by `manage.py run_scheduled` (reperes/lib/schedule.py).
    periodic_jobs = [Job("reports.purge", "reperes.reports.jobs.purge", every=day(after="03:00"))]
