"""The sharing cases' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.matchmaking.actions import purge_cases


def purge():
    """An open case idle for a year is closed; six months after closing a case loses its personal
    data; three years after, it goes."""
    closed, erased, deleted = purge_cases()
    return (
        f"Dossiers de mise en lien : {closed} clos faute d'activité, {erased} anonymisé(s), "
        f"{deleted} supprimé(s)."
    )
