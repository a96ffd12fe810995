"""The panels the results pages show beside an organisation's weakest themes, collected by
reperes.lib.panels.collect from OffersConfig (the results and maturity apps, on lower floors,
import nothing from here)."""

from reperes.offers.matching import offers_for_weak_themes

PANEL_SIZE = 3


def _panel(template, organisation, weak_themes, heading_level):
    if organisation is None or not weak_themes:
        return None
    offers = offers_for_weak_themes(organisation, list(weak_themes), limit=PANEL_SIZE)
    if not offers:
        return None
    level = min(max(int(heading_level), 1), 5)
    return {
        "template": template,
        "organisation": organisation,
        "offers": offers,
        "heading_level": level,
        "item_level": level + 1,
    }


def results_panel(*, organisation, campaign=None, weak_themes=(), heading_level=2, **kwargs):
    """Up to three offers of the organisation's networks for the weakest themes of the team's
    results ("slug:theme", weakest first), or None when none matches."""
    return _panel("offers/_results_panel.html", organisation, weak_themes, heading_level)


def maturity_panel(*, organisation, weak_themes=(), heading_level=2, **kwargs):
    """The same beside the digital-maturity results ("maturite-numerique:<dimension>")."""
    return _panel("offers/_maturity_panel.html", organisation, weak_themes, heading_level)
