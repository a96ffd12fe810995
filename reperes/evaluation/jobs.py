"""The evaluation's periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.evaluation.actions import COMMITTEE_RECORDS_YEARS, forget_old_committee_records


def purge():
    """Members and minutes of steering committees go after COMMITTEE_RECORDS_YEARS years."""
    return (
        f"Comités de pilotage de plus de {COMMITTEE_RECORDS_YEARS} ans vidés de leurs membres et "
        f"comptes rendus : {forget_old_committee_records()}."
    )
