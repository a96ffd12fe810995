"""Panels this app adds to lower pages (reperes.lib.panels): beside a team's results, asking for
help on a weak theme; on « Ce que nous partageons », what requests will share."""

from django.urls import reverse

from reperes.requests.actions import open_requests_on
from reperes.requests.models import Request, Theme
from reperes.requests.orientation import request_themes_for


def results_panel(*, organisation, campaign, weak_themes, heading_level=2, **kwargs):
    """For pilots, when a weak theme of the results calls for one of the request themes."""
    if not organisation.abilities["pilot"]:
        return None
    themes = request_themes_for(weak_themes)
    if not themes or not organisation.networks.exists():
        return None
    query = "&".join(f"theme={code}" for code in themes) + f"&depuis={campaign.pk}"
    return {
        "template": "requests/_results_panel.html",
        "themes": [Theme(code).label for code in themes],
        "url": reverse("requests:create", args=[organisation.slug]) + "?" + query,
        # A request already open on one of these themes: the panel points to it instead.
        "open_requests": open_requests_on(organisation, themes),
        "heading_level": heading_level,
    }


def shares_panel(*, organisation, **kwargs):
    """The open requests and the results each will share with the person who takes it."""
    requests = list(
        Request.objects.open()
        .filter(organisation=organisation)
        .select_related("network", "facilitator")
        .prefetch_related("campaigns")
        .order_by("-created_at")
    )
    if not requests:
        return None
    return {"template": "requests/_shares_panel.html", "requests": requests}
