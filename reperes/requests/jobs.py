"""The requests' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.requests.actions import purge_closed_requests


def purge():
    """Contacts, texts and follow-up of requests go two years after closing."""
    return (
        f"Demandes d'accompagnement effacées (clôturées depuis plus de deux ans) : {purge_closed_requests()}."
    )
