"""The library beside lower pages, collected by reperes.lib.panels.collect from ResourcesConfig
(the results and fiches apps import nothing from here): the items of an organisation's networks
for the weakest themes of its results, and those for the themes a fiche serves.

Items are tagged with the subjects of the offers' vocabulary (reperes/offers/subjects.yaml), and
each subject names the questionnaire themes it answers: a theme leads to its subjects, and a
subject to the items. A fiche's themes are those whose `fiche:` names it in the questionnaire
definitions. Each panel makes at most two queries, whatever the size of the library."""

from functools import cache

from reperes.instruments.definition import definition_files
from reperes.lib.content import read_yaml
from reperes.offers.subjects import subjects_for_themes
from reperes.organisations.models import Affiliation
from reperes.resources.models import Resource

PANEL_SIZE = 3
# What a panel reads of an item: matching (subjects, regions), ranking and its line.
PANEL_FIELDS = ("network", "kind", "title", "summary", "subjects", "regions", "published_on", "archived_at")


@cache
def themes_by_fiche():
    """{fiche slug: ("questionnaire:theme", …)} from the shipped questionnaire definitions."""
    found = {}
    for path in definition_files():
        data = read_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("slug"), str):
            continue
        for theme in data.get("themes") or []:
            if isinstance(theme, dict) and theme.get("fiche") and theme.get("id"):
                found.setdefault(theme["fiche"], []).append(f"{data['slug']}:{theme['id']}")
    return {slug: tuple(themes) for slug, themes in found.items()}


def _level(heading_level):
    level = min(max(int(heading_level), 1), 5)
    return level, level + 1


def _rank(resources, weighted_subjects):
    """Items serving the most weight first, then the most recent; [(item, matched codes)]."""
    ranked = []
    for resource in resources:
        matched = [code for code in weighted_subjects if code in resource.subjects]
        if matched:
            weight = sum(weighted_subjects[code] for code in matched)
            ranked.append((-weight, -resource.published_on.toordinal(), -resource.pk, resource))
    ranked.sort(key=lambda entry: entry[:3])
    return [entry[-1] for entry in ranked]


def resources_for_weak_themes(organisation, weak_themes, *, limit=PANEL_SIZE):
    """Up to `limit` live items of the organisation's networks, for its region, serving the
    weakest themes ("slug:theme", weakest first, which weigh most): one query."""
    weights = {}
    for position, theme in enumerate(weak_themes):
        for code in subjects_for_themes([theme]):
            weights[code] = weights.get(code, 0) + len(weak_themes) - position
    if not weights:
        return []
    candidates = Resource.objects.for_organisation(organisation).select_related(None).only(*PANEL_FIELDS)
    reaching = [resource for resource in candidates if resource.reaches(organisation)]
    return _rank(reaching, weights)[:limit]


def results_panel(*, organisation, campaign=None, weak_themes=(), heading_level=2, **kwargs):
    """Up to three items of the library for the team's weakest themes, or None."""
    if organisation is None or not weak_themes:
        return None
    resources = resources_for_weak_themes(organisation, list(weak_themes))
    if not resources:
        return None
    level, item_level = _level(heading_level)
    return {
        "template": "resources/_results_panel.html",
        "organisation": organisation,
        "resources": [(resource, organisation) for resource in resources],
        "heading_level": level,
        "item_level": item_level,
    }


def fiche_panel(*, fiche, user, heading_level=2, **kwargs):
    """Up to three items of the networks the user's organisations belong to, tagged with the
    subjects of the fiche's themes, each with the organisation through which the user reads
    it; None for a visitor without an organisation in a network, or when nothing matches."""
    if user is None or not user.is_authenticated:
        return None
    subjects = subjects_for_themes(themes_by_fiche().get(fiche.slug, ()))
    if not subjects:
        return None
    through = {}  # network id → the user's organisations in it, by name
    affiliations = (
        Affiliation.objects.filter(organisation__memberships__user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for affiliation in affiliations:
        through.setdefault(affiliation.network_id, []).append(affiliation.organisation)
    if not through:
        return None
    candidates = Resource.objects.live().filter(network_id__in=through).only(*PANEL_FIELDS)
    reader = {}
    for resource in candidates:
        organisation = next((o for o in through[resource.network_id] if resource.reaches(o)), None)
        if organisation is not None:
            reader[resource.pk] = organisation
    ranked = _rank([r for r in candidates if r.pk in reader], dict.fromkeys(subjects, 1))[:PANEL_SIZE]
    if not ranked:
        return None
    level, item_level = _level(heading_level)
    return {
        "template": "resources/_fiche_panel.html",
        "resources": [(resource, reader[resource.pk]) for resource in ranked],
        "heading_level": level,
        "item_level": item_level,
    }
