"""Which offers of its networks an organisation may take up, and why: pure functions over an
offer and an organisation, plus two readers that make one query each.

An offer admits an organisation when its regions include the organisation's (no region: all),
its size bands include the organisation's (none: all) and, when it caps the number of
employees, the organisation is under the cap. The cap counts employees; where the profile does
not say how many, the headcount (everyone who works there, so never fewer) stands in, and the
reason shown asks for the figure.

Regions, bands and subjects are JSON lists, whose containment lookups SQLite does not offer:
the database picks the current offers of the organisation's networks, Python does the rest.
"""

from reperes.offers.models import Offer
from reperes.offers.subjects import subject_label, subjects_for_themes

__all__ = [
    "admits",
    "match_reasons",
    "matching_offer",
    "matching_offers",
    "offers_for_weak_themes",
    "select_offers",
]

KIND_ORDER = {kind: position for position, kind in enumerate(Offer.Kind.values)}
# The fields offers_for_weak_themes reads: matching (regions, bands, cap, subjects), ranking
# (kind, title) and the panel's lines (summary, provider, cost).
PANEL_FIELDS = (
    "kind",
    "title",
    "summary",
    "provider",
    "cost",
    "regions",
    "size_bands",
    "max_employees",
    "subjects",
)


def employee_count(organisation):
    """The figure the cap is compared with: employees, or the headcount when unknown."""
    return organisation.employees if organisation.employees is not None else organisation.headcount


def admits(offer, organisation):
    """Whether `organisation` meets the offer's regions, size bands and cap on employees."""
    if offer.regions and organisation.region not in offer.regions:
        return False
    if offer.size_bands and organisation.size_band not in offer.size_bands:
        return False
    return offer.max_employees is None or employee_count(organisation) <= offer.max_employees


def serves(offer, subjects):
    """The codes of `subjects` the offer serves, in the order asked."""
    return [code for code in subjects if code in offer.subjects]


def _sort_key(offer, matched=()):
    return (-len(matched), KIND_ORDER.get(offer.kind, 99), offer.title.casefold(), offer.pk or 0)


def _candidates(organisation, today):
    """The current offers of the organisation's networks: one query."""
    return (
        Offer.objects.current(today)
        .filter(network__affiliations__organisation=organisation)
        .select_related("network")
        .order_by()
    )


def matching_offers(organisation, *, subjects=None, today=None, limit=None):
    """The current offers of the organisation's networks that admit it and, if `subjects` are
    given, serve at least one of them: those serving most of the subjects first, then by kind
    and title. Each offer carries `matched_subjects`, the requested codes it serves."""
    found = select_offers(_candidates(organisation, today), organisation, subjects=subjects)
    return found[:limit] if limit is not None else found


def select_offers(offers, organisation, *, subjects=None):
    """The pure part of matching_offers: of `offers`, those that admit `organisation` and serve
    one of `subjects` (if any), ranked."""
    subjects = list(dict.fromkeys(subjects or []))
    found = []
    for offer in offers:
        if not admits(offer, organisation):
            continue
        offer.matched_subjects = serves(offer, subjects)
        if subjects and not offer.matched_subjects:
            continue
        found.append(offer)
    found.sort(key=lambda offer: _sort_key(offer, offer.matched_subjects))
    return found


def matching_offer(organisation, offer_id, *, today=None):
    """The offer `offer_id` if it is current, of one of the organisation's networks and admits
    it; else None."""
    offer = _candidates(organisation, today).filter(pk=offer_id).first()
    return offer if offer is not None and admits(offer, organisation) else None


def offers_for_weak_themes(organisation, weak_themes, *, limit=3, today=None):
    """Up to `limit` matching offers for the weakest themes ("slug:theme" strings, weakest
    first): an offer serving the weakest theme comes before one serving only the next. Each
    offer carries `matched_subjects` and `matched_themes` (the weak themes it serves)."""
    per_theme = [(theme, set(subjects_for_themes([theme]))) for theme in weak_themes]
    wanted = set().union(*(codes for _, codes in per_theme)) if per_theme else set()
    if not wanted:
        return []
    ranked = []
    # Beside the results, only what matching and the panel's lines need (reperes.offers.panels).
    candidates = _candidates(organisation, today).select_related(None).only(*PANEL_FIELDS)
    for offer in select_offers(candidates, organisation, subjects=sorted(wanted)):
        offer.matched_themes = [theme for theme, codes in per_theme if codes.intersection(offer.subjects)]
        weight = sum(
            len(per_theme) - position
            for position, (theme, codes) in enumerate(per_theme)
            if codes.intersection(offer.subjects)
        )
        ranked.append((-weight, _sort_key(offer, offer.matched_subjects), offer))
    ranked.sort(key=lambda entry: entry[:2])
    return [offer for *_, offer in ranked[:limit]]


def match_reasons(offer, organisation, subjects=None):
    """Why the offer is shown to `organisation`, in plain French sentences."""
    reasons = []
    if offer.regions:
        reasons.append(f"Ouverte en {organisation.region_label}, la région de votre structure.")
    else:
        reasons.append("Ouverte dans toutes les régions.")
    if offer.size_bands:
        reasons.append(
            f"Pour les structures de votre taille ({organisation.size_band_label.lower() or 'non précisée'})."
        )
    if offer.max_employees is not None:
        if organisation.employees is not None:
            reasons.append(
                f"Réservée aux structures de moins de {offer.max_employees + 1} salarié·es : "
                f"vous en comptez {organisation.employees}."
            )
        else:
            reasons.append(
                f"Réservée aux structures de moins de {offer.max_employees + 1} salarié·es : votre profil "
                f"compte {organisation.headcount} personnes en tout ; indiquez-y votre nombre de "
                "salarié·es pour en être sûr·e."
            )
    if not offer.regions and not offer.size_bands and offer.max_employees is None:
        reasons[-1] = "Ouverte à toutes les structures du réseau, dans toutes les régions."
    matched = serves(offer, subjects) if subjects else []
    if matched:
        labels = [subject_label(code) for code in matched]
        reasons.append(f"Répond à ce que vous cherchez : {', '.join(f'« {label} »' for label in labels)}.")
    return reasons
