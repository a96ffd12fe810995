"""Questionnaire definitions: parsing and validating the data files, and reading them.

A definition file (YAML) names its themes, their items (statements) with stable ids, an answer
scale from scales.yaml, a scoring rule, the fiche each theme leads to and interpretation texts.
`parse_definition` returns a plain dict, normalised and with the scale embedded, ready to be
stored as an immutable version; any problem raises DefinitionError naming the file, the place
and the problem, in French.
"""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from reperes.lib.content import ContentError, content_hash, parse_yaml, read_yaml

__all__ = ["DefinitionError", "content_hash", "parse_definition", "load_scales", "Definition"]

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
SCALES_FILE = DEFINITIONS_DIR / "scales.yaml"
SCORING_RULES = {"sum-points": "Somme des points des réponses, par thème"}
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


class DefinitionError(ContentError):
    pass


def _need(condition, source, place, problem):
    if not condition:
        raise DefinitionError(f"{source}, {place} : {problem}")


def _text(data, key, source, place, *, required=True):
    value = data.get(key)
    if value is None and not required:
        return ""
    _need(
        isinstance(value, str) and value.strip(),
        source,
        place,
        f"« {key} » doit être un texte non vide",
    )
    return " ".join(value.split())


def _identifier(value, source, place, key="id"):
    _need(
        isinstance(value, str) and value and set(value) <= SLUG_CHARS,
        source,
        place,
        f"« {key} » doit être fait de minuscules, chiffres et tirets (reçu : {value!r})",
    )
    return value


def load_scales(path=SCALES_FILE):
    source = path.name
    try:
        data = read_yaml(path)
    except ContentError as error:
        raise DefinitionError(str(error)) from error
    _need(isinstance(data, dict) and data, source, "racine", "aucune échelle définie")
    scales = {}
    for code, scale in data.items():
        place = f"échelle « {code} »"
        _need(isinstance(scale, dict), source, place, "doit contenir « label » et « choices »")
        choices = scale.get("choices")
        _need(isinstance(choices, list) and len(choices) >= 2, source, place, "au moins deux choix")
        values = set()
        normalised = []
        for position, choice in enumerate(choices, start=1):
            choice_place = f"{place}, choix {position}"
            _need(isinstance(choice, dict), source, choice_place, "doit avoir value, label, points")
            value = _identifier(choice.get("value"), source, choice_place, "value")
            _need(value not in values, source, choice_place, f"valeur « {value} » en double")
            values.add(value)
            points = choice.get("points")
            _need(
                isinstance(points, int | float),
                source,
                choice_place,
                "« points » doit être un nombre",
            )
            normalised.append(
                {
                    "value": value,
                    "label": _text(choice, "label", source, choice_place),
                    "points": points,
                }
            )
        scales[code] = {
            "code": code,
            "label": _text(scale, "label", source, place),
            "choices": normalised,
        }
    return scales


def parse_definition(text, *, source, scales=None):
    """Validate a questionnaire file (its text, or its already parsed YAML) and return its
    normalised definition."""
    scales = load_scales() if scales is None else scales
    try:
        data = parse_yaml(text, source=source) if isinstance(text, str) else text
    except ContentError as error:
        raise DefinitionError(str(error)) from error
    _need(isinstance(data, dict), source, "racine", "le fichier doit décrire un questionnaire")

    scale_code = data.get("scale")
    _need(
        scale_code in scales,
        source,
        "scale",
        f"échelle inconnue « {scale_code} » (connues : {', '.join(sorted(scales))})",
    )
    scoring = data.get("scoring")
    _need(
        scoring in SCORING_RULES,
        source,
        "scoring",
        f"règle de calcul inconnue « {scoring} » (connues : {', '.join(SCORING_RULES)})",
    )
    duration = data.get("duration_minutes", 5)
    _need(
        isinstance(duration, int) and 0 < duration <= 120,
        source,
        "duration_minutes",
        "durée invalide",
    )

    themes = data.get("themes")
    _need(isinstance(themes, list) and themes, source, "themes", "au moins un thème est nécessaire")
    theme_ids, item_ids, normalised_themes = set(), set(), []
    for t_pos, theme in enumerate(themes, start=1):
        place = f"thème {t_pos}"
        _need(isinstance(theme, dict), source, place, "un thème doit avoir id, title et items")
        theme_id = _identifier(theme.get("id"), source, place)
        place = f"thème {t_pos} (« {theme_id} »)"
        _need(
            theme_id not in theme_ids,
            source,
            place,
            f"identifiant de thème « {theme_id} » en double",
        )
        theme_ids.add(theme_id)
        items = theme.get("items")
        _need(isinstance(items, list) and items, source, place, "ce thème n'a aucune affirmation")
        normalised_items = []
        for i_pos, item in enumerate(items, start=1):
            item_place = f"{place}, affirmation {i_pos}"
            _need(isinstance(item, dict), source, item_place, "une affirmation doit avoir id et text")
            item_id = _identifier(item.get("id"), source, item_place)
            _need(
                item_id not in item_ids,
                source,
                item_place,
                f"identifiant d'affirmation « {item_id} » en double",
            )
            item_ids.add(item_id)
            normalised_items.append({"id": item_id, "text": _text(item, "text", source, item_place)})
        interpretation = theme.get("interpretation") or {}
        _need(
            isinstance(interpretation, dict),
            source,
            place,
            "« interpretation » doit avoir low/medium/high",
        )
        normalised_themes.append(
            {
                "id": theme_id,
                "title": _text(theme, "title", source, place),
                "short_title": _text(theme, "short_title", source, place, required=False)
                or _text(theme, "title", source, place),
                "description": _text(theme, "description", source, place, required=False),
                "fiche": _identifier(theme.get("fiche"), source, place, "fiche")
                if theme.get("fiche")
                else "",
                "interpretation": {
                    level: _text(interpretation, level, source, f"{place}, interpretation", required=False)
                    for level in ("low", "medium", "high")
                },
                "items": normalised_items,
            }
        )

    return {
        "slug": _identifier(data.get("slug"), source, "slug", "slug"),
        "title": _text(data, "title", source, "title"),
        "summary": _text(data, "summary", source, "summary", required=False),
        "duration_minutes": duration,
        "scale": scales[scale_code],
        "scoring": scoring,
        "themes": normalised_themes,
    }


def definition_files(directory=DEFINITIONS_DIR):
    return sorted(p for p in directory.glob("*.yaml") if p.name != SCALES_FILE.name)


@dataclass(frozen=True)
class Definition:
    """Read-only helpers over a stored definition dict."""

    data: dict

    @property
    def themes(self):
        return self.data["themes"]

    @property
    def scale(self):
        return self.data["scale"]

    @cached_property
    def items(self):
        return [item for theme in self.themes for item in theme["items"]]

    @cached_property
    def item_ids(self):
        return [item["id"] for item in self.items]

    @cached_property
    def theme_of_item(self):
        return {item["id"]: theme["id"] for theme in self.themes for item in theme["items"]}

    @cached_property
    def values(self):
        return [choice["value"] for choice in self.scale["choices"]]

    @cached_property
    def points(self):
        return {choice["value"]: choice["points"] for choice in self.scale["choices"]}

    @cached_property
    def max_points(self):
        return max(self.points.values())

    def theme(self, theme_id):
        for theme in self.themes:
            if theme["id"] == theme_id:
                return theme
        return None

    def theme_max(self, theme):
        return len(theme["items"]) * self.max_points
