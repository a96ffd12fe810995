"""The sharing cases' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.matchmaking.actions import purge_cases


def purge():
    """Six months after closing a case loses its personal data; three years after, it goes."""
    erased, deleted = purge_cases()
    return f"Dossiers de mise en lien : {erased} anonymisé(s), {deleted} supprimé(s)."
