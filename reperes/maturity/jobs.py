"""The maturity app's periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.maturity.actions import purge_stale_drafts


def purge():
    """Drafts of the self-diagnostic go a year after they were started, if never finished."""
    deleted = purge_stale_drafts()
    return f"Autodiagnostics de maturité commencés il y a plus d'un an, jamais terminés, effacés : {deleted}."
