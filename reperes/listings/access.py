"""Listings reached through the organisation or the network in the URL: anything else is a 404,
the same answer for « missing » and « not yours »."""

from django.http import Http404

from reperes.listings.models import Contact, Listing, Report


def _get(queryset, pk, what):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"{what} introuvable") from None


def get_listing_for_org(organisation, listing_id, *, own=False):
    """A listing of `organisation` (`own`), or one its members may see: published, current, in
    one of its networks. Another organisation's draft, refused or expired listing is a 404."""
    own_listings = Listing.objects.filter(organisation=organisation)
    if own:
        return _get(own_listings.select_related("network", "organisation"), listing_id, "Annonce")
    visible = Listing.objects.published().filter(network__affiliations__organisation=organisation)
    listing = own_listings.filter(pk=listing_id).first() if str(listing_id).isdigit() else None
    return listing or _get(visible.select_related("network", "organisation"), listing_id, "Annonce")


def get_listing_for_network(network, listing_id):
    return _get(Listing.objects.filter(network=network).select_related("organisation"), listing_id, "Annonce")


def get_contact_for_network(network, contact_id):
    return _get(
        Contact.objects.filter(listing__network=network).select_related("listing", "organisation"),
        contact_id,
        "Demande",
    )


def get_contact_for_listing(listing, contact_id):
    return _get(listing.contacts.select_related("organisation"), contact_id, "Demande")


def get_report_for_network(network, report_id):
    return _get(
        Report.objects.filter(listing__network=network).select_related("listing"), report_id, "Signalement"
    )
