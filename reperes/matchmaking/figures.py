"""The sharing cases' figures, for the observatory (which calls this function; nothing here
imports it): cases per category, per region of the organisation with the need and per outcome,
and the hours and days shared. Raw counts: protecting small cells is the caller's job."""

from decimal import Decimal

from django.db.models import Count, Sum

from reperes.listings.models import Listing
from reperes.matchmaking.models import Case
from reperes.organisations import reference


def case_figures(network, period, *, contributing_only=True):
    """Figures of the cases of `network` opened in `period` (first day, last day, both included).

    With `contributing_only`, only cases whose organisation with the need agreed to contribute
    to the network's statistics (Organisation.shares_statistics) are counted, as the observatory
    does for everything else.
    """
    first, last = period
    cases = Case.objects.filter(network=network, created_at__date__gte=first, created_at__date__lte=last)
    if contributing_only:
        cases = cases.filter(organisation__shares_statistics=True)
    categories = dict(Listing.Category.choices)
    outcomes = {"": "En cours", **dict(Case.Outcome.choices)}
    by_category = {
        row["category"]: row["n"] for row in cases.values("category").annotate(n=Count("pk")).order_by()
    }
    by_region = {
        row["organisation__region"]: row["n"]
        for row in cases.values("organisation__region").annotate(n=Count("pk")).order_by()
    }
    by_outcome = {
        row["outcome"]: row["n"] for row in cases.values("outcome").annotate(n=Count("pk")).order_by()
    }
    shared = cases.filter(outcome=Case.Outcome.DONE).aggregate(
        hours=Sum("hours_shared"), days=Sum("days_shared")
    )
    return {
        "period": (first, last),
        "total": sum(by_category.values()),
        "by_category": [(code, label, by_category.get(code, 0)) for code, label in categories.items()],
        "by_region": sorted(
            ((code, reference.label("regions", code), count) for code, count in by_region.items()),
            key=lambda row: row[1],
        ),
        "by_outcome": [(code, label, by_outcome.get(code, 0)) for code, label in outcomes.items()],
        "hours_shared": shared["hours"] or Decimal(0),
        "days_shared": shared["days"] or Decimal(0),
    }
