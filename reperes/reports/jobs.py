"""The reports' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.reports.actions import purge_documents


def purge():
    """Prepared documents are kept a day after they were asked for (the privacy page says so)."""
    return f"Documents préparés effacés : {purge_documents()}."
