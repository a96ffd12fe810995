"""The offers' periodic job, run by `manage.py run_scheduled` (reperes/lib/schedule.py)."""

from reperes.offers.actions import forget_old_contacts


def forget_contacts():
    """The contact of an offer goes a year after the offer ended or was archived."""
    return f"Contacts d'offres terminées ou archivées depuis plus d'un an, effacés : {forget_old_contacts()}."
