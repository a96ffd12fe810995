"""The figures of a closed diagnostic, rendered once and kept in the `fragments` cache.

A closed campaign's stored figures never change (StoredResults), so neither does their HTML for
a given reader's view of them. Most of the results page's time went into building the results
from the stored figures and rendering the radar, the themes and every statement's bar; this
keeps that HTML, with the team's weakest themes that the panels beside it need, so that a page
served from the cache builds no results at all. The key holds everything the HTML depends on:
the campaign, the day its figures were stored (a rebuild changes it), the threshold, the view
(team page, public link or facilitator, with or without the pilots' links and the open
answers), the page the theme links hang from, and the templates' own source (a new version of
Repères never serves the old HTML). Collective campaigns are left out: their meeting notes can
still be edited after the close.
"""

import hashlib
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from reperes.results.compute import build_results
from reperes.results.models import StoredResults

TEMPLATE = "results/_figures.html"
# What the results pages ask `get_campaign` for, so that `stored` needs no query of its own.
RELATED = ("stored_results",)
TIMEOUT = 7 * 24 * 3600  # a week: fiche versions it links to may change with new content


@cache
def templates_version():
    """A digest of the results templates the fragment is made of."""
    digest = hashlib.sha256()
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder, "results").glob("*")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class Figures(NamedTuple):
    """What the results page shows of the figures: their HTML (results/_figures.html) and the
    ids of the team's weakest themes (the priorities the figures suggest, or the themes tied for
    weakest), which the panels beside the results start from."""

    html: str
    weak_themes: tuple
    # The team's score per theme id as stored at closing (StoredResults.theme_scores), for the
    # panels that set it beside other figures; None when the figures are not stored.
    theme_scores: dict | None = None


def stored(campaign):
    """The day the figures of `campaign` were stored at closing and its theme scores, or
    (None, None) when they are not kept in the cache (open, collective, or closed before
    results were stored). No query when the campaign came with them (RELATED), one otherwise."""
    if campaign.state != campaign.State.CLOSED or campaign.is_collective:
        return None, None
    try:
        row = campaign.stored_results
    except StoredResults.DoesNotExist:
        return None, None
    return row.computed_on, row.theme_scores


def cache_key(campaign, context, stored_on):
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
    # 2: the value holds the HTML and the weakest themes (it was the HTML alone).
    return f"results-figures:2:{campaign.pk}:{stored_on:%Y%m%d}:{view_digest}:{templates_version()}"


def figures(request, campaign, context):
    """The Figures of `campaign` for the page's `context`: from the cache for a closed diagnostic
    whose figures are stored, otherwise built from the figures and rendered."""
    store = caches["fragments"]
    stored_on, theme_scores = stored(campaign)
    key = cache_key(campaign, context, stored_on) if stored_on else None
    kept = store.get(key) if key else None
    if kept is not None:
        # HTML kept in the cache, rendered below by Django's templates.
        return Figures(mark_safe(kept["html"]), tuple(kept["weak_themes"]), theme_scores)  # noqa: S308
    results = build_results(campaign, k=context["threshold"])
    html = render_to_string(TEMPLATE, {**context, "results": results}, request)
    weak_themes = tuple(theme.theme["id"] for theme in results.priorities or results.tied)
    if key and results.stored_on == stored_on:
        store.set(key, {"html": str(html), "weak_themes": list(weak_themes)}, TIMEOUT)
    # HTML that Django's templates rendered and escaped.
    return Figures(mark_safe(html), weak_themes, theme_scores)  # noqa: S308
