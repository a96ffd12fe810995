"""The guide's paper calculation, one response at a time: the reference the tests compare
Repères' counts with (the application itself only ever works on counts)."""

from reperes.results.scoring import scaled


def response_theme_scores(spec, answers):
    """The theme scores of one response ({item_id: value}): the guide's paper calculation
    (one point per « Oui »), brought to 0..SCORE_MAX for other scales."""
    points = {theme["id"]: 0 for theme in spec.themes}
    for item_id, value in answers.items():
        theme_id = spec.theme_of_item.get(item_id)
        if theme_id is not None:
            points[theme_id] += spec.points.get(value, 0)
    return {theme["id"]: scaled(points[theme["id"]], spec.theme_max(theme)) for theme in spec.themes}
