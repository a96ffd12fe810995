"""The member benchmark (« structures comparables »), a panel beside a team's closed QVT results
(reperes.lib.panels, hook `results_panel`).

The figures come from the latest release of one of the organisation's networks, from the facts
kept with it (ReleaseFacts), never live: comparable organisations are those of the same size
band and the same sector, else of the same size band and the same region. A theme is shown only
when it rests on at least 3 organisations other than the reader's, each above the team
threshold, with no single one above 85 % of the responses (checked without the reader's own
organisation, since it knows its own contribution), and, when it was shown at the previous
release, only if its organisations did not change by fewer than 3 since (the difference would
be those few organisations' scores).
"""

from django.conf import settings
from django.core.cache import caches

from reperes.observatory import disclosure
from reperes.observatory.dimensions import size_band_label
from reperes.observatory.facts import QVT
from reperes.observatory.models import Release, ReleaseFacts


def comparable_groups(organisation):
    """The groups to try, in order: (field, label) pairs besides the size band."""
    return [("sector", "du même secteur"), ("region", "de la même région")]


def benchmark(organisation, *, k=None):
    """The benchmark of `organisation` for the QVT diagnostic, or None when it belongs to no
    network with a release, or contributed to none of their latest releases. A dict: release,
    group (the sentence), themes [{"id", "mean", "organisations"}] (only the themes that pass
    the rules; empty when none does)."""
    k = settings.ANONYMITY_THRESHOLD if k is None else k
    releases = (
        Release.objects.filter(network__affiliations__organisation=organisation)
        .select_related("network")
        .order_by("network_id", "-number")
    )
    latest = {}
    for release in releases:
        latest.setdefault(release.network_id, release)
    if not latest:
        return None
    # Releases never change once published, nor do the facts kept with them: the benchmark of an
    # organisation is the same until one of its networks publishes again (a new key).
    releases_key = ",".join(f"{r.pk}-{r.number}-{r.published_on:%Y%m%d}" for r in latest.values())
    key = f"benchmark:{organisation.pk}:{k}:{releases_key}"
    store = caches["fragments"]
    cached = store.get(key)
    if cached is not None:
        return cached["found"]
    found = _best_benchmark(organisation, latest, k=k)
    store.set(key, {"found": found}, BENCHMARK_TIMEOUT)
    return found


BENCHMARK_TIMEOUT = 7 * 24 * 3600


def _best_benchmark(organisation, latest, *, k):
    best = None
    for release in sorted(latest.values(), key=lambda r: (-r.organisations, r.network_id)):
        found = _benchmark_in(release, organisation, k=k)
        if found and found["themes"]:
            return found
        best = best or found
    return best


def _benchmark_in(release, organisation, *, k):
    own = ReleaseFacts.objects.filter(release=release, organisation=organisation).first()
    if own is None:
        # Only an organisation that contributed to the release, with the dimensions it had then:
        # read from its profile, which its lead may edit at will, the group would be a filter,
        # and two groups (its sector, then its region) would give an organisation by difference.
        return None
    band = own.size_band
    dims = {"sector": own.sector, "region": own.region}
    if not band:
        return {"release": release, "group": "", "themes": [], "size_band": ""}
    result = {"release": release, "group": "", "themes": [], "size_band": band}
    previous = (
        Release.objects.filter(network_id=release.network_id, number__lt=release.number)
        .order_by("-number")
        .first()
    )
    for field_name, words in comparable_groups(organisation):
        if not dims[field_name]:
            continue
        group = {"size_band": band, field_name: dims[field_name]}
        per_theme = _group_contributions(release, organisation, group, k=k)
        # The same group in the previous release: a theme shown there whose organisations changed
        # by fewer than the minimum would give those few organisations' scores by difference.
        before = _group_contributions(previous, organisation, group, k=k) if previous else {}
        themes = []
        for theme, contributions in per_theme.items():
            reason = disclosure.primary_reason(
                contributions, rule=disclosure.TEAM, k=k, measure=disclosure.SUM
            )
            if reason:
                continue
            earlier = before.get(theme)
            if earlier and not disclosure.primary_reason(
                earlier, rule=disclosure.TEAM, k=k, measure=disclosure.SUM
            ):
                changed = disclosure.changed_organisations(contributions, earlier)
                if 0 < len(changed) < disclosure.MIN_ORGANISATIONS[disclosure.TEAM]:
                    continue
            value = sum(c.value for c in contributions)
            weight = sum(c.weight for c in contributions)
            themes.append(
                {"id": theme, "mean": round(value / weight, 2), "organisations": len(contributions)}
            )
        if themes:
            result.update(group=words, themes=themes)
            return result
    return result


def _group_contributions(release, organisation, group, *, k):
    """{theme: [disclosure.Contribution]} of the comparable organisations of `release` (its kept
    facts) matching `group` ({field: value}), `organisation` left out."""
    others = (
        ReleaseFacts.objects.filter(release=release, **group)
        .exclude(organisation=organisation)
        .values_list("organisation_id", "figures")
    )
    per_theme = {}
    for organisation_id, figures in others:
        taken = (figures.get("instruments") or {}).get(QVT)
        if not taken or taken["respondents"] < k:
            continue
        for theme, score in taken["scores"].items():
            per_theme.setdefault(theme, []).append(
                disclosure.Contribution(
                    organisation=organisation_id,
                    value=score * taken["respondents"],
                    weight=taken["respondents"],
                )
            )
    return per_theme


def results_panel(*, organisation, campaign, weak_themes=(), theme_scores=None, heading_level=2, **kwargs):
    """Beside a team's closed QVT results: the comparable structures' scores, or one sentence
    saying there are not enough of them yet; nothing for other questionnaires. `theme_scores`
    are the team's stored scores when the results page has already read them."""
    if campaign.questionnaire_version.questionnaire.slug != QVT or not campaign.is_closed:
        return None
    found = benchmark(organisation)
    if found is None:
        return None
    if theme_scores is None:
        from reperes.results.models import StoredResults

        theme_scores = (
            StoredResults.objects.filter(campaign=campaign).values_list("theme_scores", flat=True).first()
        )
    own = theme_scores or {}
    means = {theme["id"]: theme for theme in found["themes"]}
    rows = [
        {
            "label": theme.get("short_title") or theme["title"],
            "own": own.get(theme["id"]),
            "comparable": means[theme["id"]]["mean"] if theme["id"] in means else None,
        }
        for theme in campaign.spec.themes
    ]
    return {
        "template": "observatory/panels/benchmark.html",
        "heading_level": heading_level,
        "release": found["release"],
        "group": found["group"],
        "size_band_label": size_band_label(found["size_band"]).lower() if found["size_band"] else "",
        "rows": rows if found["themes"] else [],
        "organisations": min((t["organisations"] for t in found["themes"]), default=0),
    }
