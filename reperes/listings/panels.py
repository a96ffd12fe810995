"""Listings suggested beside a team's results, collected by reperes.lib.panels.collect from
ListingsConfig (the results app, on a lower floor, imports nothing from here): a team weak on
skills sees skills and shared-job listings, one weak on workspaces sees premises; only from the
networks the organisation belongs to, never its own."""

from reperes.listings.models import Listing

PANEL_SIZE = 3
C = Listing.Category
# Which categories of listings help with which theme ("questionnaire:theme").
CATEGORIES_FOR_THEMES = {
    "qvt-numerique:competences": [C.SKILLS, C.SHARED_JOB, C.STAFF_LENDING],
    "qvt-numerique:espaces": [C.PREMISES, C.EQUIPMENT],
    "qvt-numerique:information": [C.EQUIPMENT, C.SERVICES],
    "qvt-numerique:temps": [C.SHARED_JOB, C.STAFF_LENDING],
    "qvt-numerique:management": [C.SKILLS, C.SERVICES],
    "qvt-numerique:projet": [C.SKILLS, C.SERVICES],
}


def categories_for(weak_themes):
    """The categories that serve `weak_themes`, weakest theme's first, without repeats."""
    found = []
    for theme in weak_themes:
        for category in CATEGORIES_FOR_THEMES.get(theme, []):
            if category not in found:
                found.append(category)
    return found


def suggested_listings(organisation, weak_themes, *, limit=PANEL_SIZE):
    categories = categories_for(weak_themes)
    if not categories:
        return []
    listings = (
        Listing.objects.published()
        .filter(
            network__affiliations__organisation=organisation, category__in=categories, kind=Listing.Kind.OFFER
        )
        .exclude(organisation=organisation)
        .select_related("organisation")
        .order_by("-published_on", "-pk")[: limit * 4]
    )
    rank = {category: position for position, category in enumerate(categories)}
    return sorted(listings, key=lambda listing: rank[listing.category])[:limit]


def results_panel(*, organisation, campaign=None, weak_themes=(), heading_level=2, **kwargs):
    """Up to three offers of the organisation's networks that serve the team's weakest themes,
    or None when none does."""
    if organisation is None or not weak_themes:
        return None
    listings = suggested_listings(organisation, list(weak_themes))
    if not listings:
        return None
    level = min(max(int(heading_level), 1), 5)
    return {
        "template": "listings/_results_panel.html",
        "organisation": organisation,
        "listings": listings,
        "heading_level": level,
        "item_level": level + 1,
    }
