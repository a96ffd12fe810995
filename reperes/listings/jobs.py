"""The listings' periodic jobs (ListingsConfig.periodic_jobs), safe to run twice."""

from datetime import timedelta

from django.utils import timezone

from reperes.listings.actions import notify_expiring
from reperes.listings.models import Contact, Listing, Report

# How long what the listings keep about people and organisations outlives its purpose
# (privacy page, docs/operations.md).
ENDED_LISTINGS_KEPT = timedelta(days=365)
CONTACTS_KEPT = timedelta(days=365)
REPORTS_KEPT = timedelta(days=180)


def tell_expiring():
    told = notify_expiring()
    return f"Annonces : {told} auteur·e(s) prévenu·e(s) de la fin prochaine de leur annonce."


def purge():
    """Listings ended, withdrawn or refused a year ago (with their requests and reports);
    requests to be put in touch answered a year ago; reports handled six months ago."""
    now = timezone.now()
    today = timezone.localdate()
    ended = Listing.objects.filter(ends_on__lt=today - ENDED_LISTINGS_KEPT) | Listing.objects.filter(
        state__in=[Listing.State.WITHDRAWN, Listing.State.REFUSED], updated_at__lt=now - ENDED_LISTINGS_KEPT
    )
    listings, _ = ended.delete()
    contacts, _ = Contact.objects.filter(
        state=Contact.State.DECLINED,
        answered_at__lt=now - CONTACTS_KEPT,
    ).delete()
    introduced, _ = Contact.objects.filter(
        state=Contact.State.INTRODUCED, introduced_at__lt=now - CONTACTS_KEPT
    ).delete()
    reports, _ = Report.objects.filter(handled_at__lt=now - REPORTS_KEPT).delete()
    return (
        f"Annonces : {listings} ligne(s) d'annonces terminées effacées, {contacts + introduced} demande(s) "
        f"de mise en lien, {reports} signalement(s)."
    )
