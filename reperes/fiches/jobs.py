"""The fiches' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.fiches.pageviews import write_page_views


def page_views():
    """Once a day, the page views counted in the cache go into the monthly counts."""
    return f"Consultations des fiches et du glossaire enregistrées : {write_page_views()}."
