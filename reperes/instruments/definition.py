"""Questionnaire definitions: parsing and validating the data files, and reading them.

A definition file (YAML) names its themes, their items (statements) with stable ids, an answer
scale from scales.yaml, a scoring rule, the fiche each theme leads to and interpretation texts.
An optional `free_text` section holds open questions (`type: text`, with a `max_length`): they are
not scored and not drawn; anonymous answers to them are shown apart from any response or group,
and in collective mode each becomes a list the team fills in during the meeting.
`parse_definition` returns a plain dict, normalised and with the scale embedded, ready to be
stored as an immutable version; any problem raises DefinitionError naming the file, the place
and the problem, in French.
"""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from reperes.lib.content import Checks, ContentError, content_hash, parse_yaml, read_yaml

__all__ = ["DefinitionError", "content_hash", "parse_definition", "load_scales", "Definition"]

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
SCALES_FILE = DEFINITIONS_DIR / "scales.yaml"
SCORING_RULES = {"sum-points": "Somme des points des réponses, par thème"}
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
ITEM_TYPES = ("choice", "text")
TEXT_MAX_LENGTH = 5000  # the longest open answer a definition may allow
TEXT_DEFAULT_LENGTH = 1000


class DefinitionError(ContentError):
    pass


_checks = Checks(DefinitionError, collapse_spaces=True)
_need, _text = _checks.need, _checks.text


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
            entry = {
                "value": value,
                "label": _text(choice, "label", source, choice_place),
                "points": points,
            }
            neutral = choice.get("neutral", False)
            _need(isinstance(neutral, bool), source, choice_place, "« neutral » vaut true ou false")
            if neutral:
                # « Je ne sais pas », « ne s'applique pas »: worth no points, drawn apart.
                _need(points == 0, source, choice_place, "un choix « neutral » ne vaut aucun point")
                entry["neutral"] = True
            normalised.append(entry)
        _need(
            max(choice["points"] for choice in normalised) > 0,
            source,
            place,
            "au moins un choix doit valoir des points",
        )
        scales[code] = {
            "code": code,
            "label": _text(scale, "label", source, place),
            "choices": normalised,
        }
    return scales


# Who answers: a team about itself (the default), or the participants of a cohort's workshop.
USES = ("team", "workshop")


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
            item_type = item.get("type", "choice")
            _need(
                item_type != "text",
                source,
                item_place,
                "une question ouverte (« type: text ») se place dans la section « free_text », "
                "pas dans un thème",
            )
            _need(
                item_type in ITEM_TYPES,
                source,
                item_place,
                f"type inconnu « {item_type} » (connus : {', '.join(ITEM_TYPES)})",
            )
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

    use = data.get("use", "team")
    _need(use in USES, source, "use", f"usage inconnu « {use} » (connus : {', '.join(USES)})")
    definition = {
        "slug": _identifier(data.get("slug"), source, "slug", "slug"),
        "title": _text(data, "title", source, "title"),
        "summary": _text(data, "summary", source, "summary", required=False),
        "duration_minutes": duration,
        "scale": scales[scale_code],
        "scoring": scoring,
        "themes": normalised_themes,
    }
    if use != "team":  # absent for a team's questionnaire: stored definitions keep their hash
        definition["use"] = use
    if data.get("free_text") is not None:
        definition["free_text"] = _free_text(data["free_text"], source, item_ids)
    return definition


def _free_text(section, source, item_ids):
    """The open questions: not scored, each with its longest accepted answer."""
    place = "free_text"
    _need(isinstance(section, dict), source, place, "doit avoir « title » et « items »")
    items = section.get("items")
    _need(isinstance(items, list) and items, source, place, "aucune question ouverte")
    normalised = []
    for position, item in enumerate(items, start=1):
        item_place = f"{place}, question {position}"
        _need(isinstance(item, dict), source, item_place, "une question ouverte doit avoir id et text")
        item_id = _identifier(item.get("id"), source, item_place)
        _need(item_id not in item_ids, source, item_place, f"identifiant « {item_id} » en double")
        item_ids.add(item_id)
        _need(
            item.get("type", "text") == "text",
            source,
            item_place,
            "une question ouverte a « type: text »",
        )
        max_length = item.get("max_length", TEXT_DEFAULT_LENGTH)
        _need(
            isinstance(max_length, int)
            and not isinstance(max_length, bool)
            and 1 <= max_length <= TEXT_MAX_LENGTH,
            source,
            item_place,
            f"« max_length » doit être un nombre entier de 1 à {TEXT_MAX_LENGTH} (reçu : {max_length!r})",
        )
        normalised.append(
            {
                "id": item_id,
                "type": "text",
                "text": _text(item, "text", source, item_place),
                "help": _text(item, "help", source, item_place, required=False),
                "max_length": max_length,
            }
        )
    return {
        "title": _text(section, "title", source, place),
        "description": _text(section, "description", source, place, required=False),
        "items": normalised,
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
        """The scored statements, theme by theme (open questions are apart: text_items)."""
        return [item for theme in self.themes for item in theme["items"]]

    @property
    def free_text(self):
        return self.data.get("free_text") or {}

    @property
    def text_items(self):
        return self.free_text.get("items", [])

    @cached_property
    def text_item_ids(self):
        return [item["id"] for item in self.text_items]

    def text_item(self, item_id):
        return next((item for item in self.text_items if item["id"] == item_id), None)

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

    @cached_property
    def tones(self):
        """{value: tone} for colours: "neutral" (no opinion), else 1 (worst) to 4 (best)."""
        tones = {}
        for choice in self.scale["choices"]:
            ratio = choice["points"] / self.max_points
            if choice.get("neutral"):
                tones[choice["value"]] = "neutral"
            else:
                tones[choice["value"]] = 4 if ratio >= 1 else 3 if ratio >= 0.5 else 2 if ratio > 0 else 1
        return tones

    @cached_property
    def labels(self):
        return {choice["value"]: choice["label"] for choice in self.scale["choices"]}

    def theme(self, theme_id):
        for theme in self.themes:
            if theme["id"] == theme_id:
                return theme
        return None

    def theme_max(self, theme):
        """The most points a theme's statements can give together (before scaling to 0–5)."""
        return len(theme["items"]) * self.max_points
