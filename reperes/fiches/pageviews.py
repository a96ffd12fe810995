"""Page views of the public guidance pages (fiches, the glossary), counted per page and per
month only, for the programme evaluation: never per person, organisation, address or referrer,
and without any third-party analytics.

A view adds one to a cache counter named after the page and the month (`count_page_view`). Once a
day, `write_page_views` moves what the cache counted into the monthly rows (PageViewCount): it
takes the counted number off the cache counter and adds it to the row, so that a second run the
same day adds nothing, and a view counted meanwhile waits for the next run."""

from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from reperes.fiches.models import Fiche, PageViewCount

GLOSSARY = "glossaire"
# Long enough to outlive a month and a few missed daily runs.
CACHE_TIMEOUT = 70 * 24 * 3600


def fiche_item(slug):
    return f"fiche:{slug}"


def month_of(day):
    return day.replace(day=1)


def _key(item, month):
    return f"pageviews:{month:%Y-%m}:{item}"


def count_page_view(item, *, today=None):
    """One more view of page `item` this month. Nothing about who opened it is kept."""
    key = _key(item, month_of(today or timezone.localdate()))
    cache.add(key, 0, CACHE_TIMEOUT)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, CACHE_TIMEOUT)


def known_items():
    """The pages that may be counted: the glossary and every loaded fiche."""
    return [GLOSSARY] + [fiche_item(slug) for slug in Fiche.objects.values_list("slug", flat=True)]


def write_page_views(*, today=None):
    """Move the cache's counts of this month and the previous one into the monthly rows.
    Returns the number of views written."""
    today = today or timezone.localdate()
    this_month = month_of(today)
    months = [month_of(this_month - timedelta(days=1)), this_month]
    items = known_items()
    written = 0
    for month in months:
        keys = {_key(item, month): item for item in items}
        for key, counted in cache.get_many(list(keys)).items():
            if not counted:
                continue
            cache.decr(key, counted)
            try:
                with transaction.atomic():
                    row, _ = PageViewCount.objects.get_or_create(item=keys[key], month=month)
                    PageViewCount.objects.filter(pk=row.pk).update(views=F("views") + counted)
            except BaseException:
                cache.incr(key, counted)  # counted again at the next run
                raise
            written += counted
    return written


def page_view_figures(first_day, last_day):
    """The views of the months from `first_day` to `last_day`: per page (with its title and
    address when it is a fiche) and per month, and the total. Two queries."""
    rows = PageViewCount.objects.filter(month__gte=month_of(first_day), month__lte=month_of(last_day))
    per_item = dict(rows.values_list("item").annotate(n=Sum("views")).order_by())
    per_month = list(rows.values_list("month").annotate(n=Sum("views")).order_by("month"))
    slugs = [item.removeprefix("fiche:") for item in per_item if item.startswith("fiche:")]
    fiches = Fiche.objects.in_bulk(slugs, field_name="slug") if slugs else {}
    items = []
    for item, views in per_item.items():
        if item == GLOSSARY:
            items.append({"label": "Glossaire des parcours", "fiche": None, "views": views})
        else:
            fiche = fiches.get(item.removeprefix("fiche:"))
            label = f"{fiche.label} — {fiche.title}" if fiche else item.removeprefix("fiche:")
            items.append({"label": label, "fiche": fiche, "views": views})
    items.sort(key=lambda entry: (-entry["views"], entry["label"]))
    return {"items": items, "months": per_month, "total": sum(per_item.values())}
