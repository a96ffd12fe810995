"""The figures of a closed diagnostic, rendered once and kept in the `fragments` cache.

A closed campaign's stored figures never change (StoredResults), so neither does their HTML for
a given reader's view of them. Most of the results page's time went into rendering the radar,
the themes and every statement's bar; this keeps that HTML, keyed on everything it depends on:
the campaign, the day its figures were stored (a rebuild changes it), the threshold, the view
(team page, public link or facilitator, with or without the pilots' links and the open
answers), the page the theme links hang from, and the templates' own source (a new version of
Repères never serves the old HTML). Collective campaigns are left out: their meeting notes can
still be edited after the close.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

TEMPLATE = "results/_figures.html"
TIMEOUT = 7 * 24 * 3600  # a week: fiche versions it links to may change with new content


@cache
def templates_version():
    """A digest of the results templates the fragment is made of."""
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder, "results").glob("*")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_key(campaign, context):
    view = "|".join(
        str(part)
        for part in (
            context["results_url"],
            bool(context.get("shared")),
            bool(context.get("hide_open_answers")),
            bool((context.get("abilities") or {}).get("pilot")),
            context.get("organisation").slug if context.get("organisation") else "",
            context["threshold"],
        )
    )
    view_digest = hashlib.sha256(view.encode()).hexdigest()[:16]
    stored_on = context["results"].stored_on
    return f"results-figures:{campaign.pk}:{stored_on:%Y%m%d}:{view_digest}:{templates_version()}"


def figures_html(request, campaign, context):
    """The rendered figures for `context`, from the cache when they can be kept there."""
    if campaign.is_collective or getattr(context["results"], "stored_on", None) is None:
        return render_to_string(TEMPLATE, context, request)
    store = caches["fragments"]
    key = cache_key(campaign, context)
    html = store.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, context, request)
        store.set(key, str(html), TIMEOUT)
    return mark_safe(html)  # noqa: S308 (HTML that Django's templates rendered and escaped)
