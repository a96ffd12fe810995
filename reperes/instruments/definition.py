"""Questionnaire definitions: parsing and validating the data files, and reading them.

A definition file (YAML) names its themes, their items (statements) with stable ids, an answer
scale from scales.yaml, a scoring rule, the fiche each theme leads to and interpretation texts.
An optional `free_text` section holds open questions (`type: text`, with a `max_length`): they are
not scored and not drawn; anonymous answers to them are shown apart from any response or group,
and in collective mode each becomes a list the team fills in during the meeting.
A questionnaire with `use: organisation` (a self-diagnostic the organisation answers about itself,
not anonymous: the digital-maturity one) also has `levels` (contiguous bands of the 0–100 score,
each with a label and a description) and, in each theme, `next_steps`: for every level, what the
next one would take and the fiches (slugs of reperes/fiches/content/) that help. Both are refused
elsewhere.
`parse_definition` returns a plain dict, normalised and with the scale embedded, ready to be
stored as an immutable version; any problem raises DefinitionError naming the file, the place
and the problem, in French.
"""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from reperes.lib.content import Checks, ContentError, content_hash, parse_yaml, read_yaml

__all__ = ["DefinitionError", "content_hash", "parse_definition", "load_scales", "parse_scales", "Definition"]

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
SCALES_FILE = DEFINITIONS_DIR / "scales.yaml"
SCORING_RULES = {"sum-points": "Somme des points des réponses, par thème"}
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
ITEM_TYPES = ("choice", "text")
TEXT_MAX_LENGTH = 5000  # the longest open answer a definition may allow
TEXT_DEFAULT_LENGTH = 1000
# The fiche files, read as files: fiches is a sibling app, so it is not imported (its slugs are
# its file names, as tests/fiches checks).
FICHES_DIR = Path(__file__).resolve().parent.parent / "fiches" / "content"
LEVEL_SCALE = (0, 100)


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
    try:
        data = read_yaml(path)
    except ContentError as error:
        raise DefinitionError(str(error)) from error
    return parse_scales(data, source=path.name)


def parse_scales(data, *, source):
    """{code: scale} from the parsed data of a scales file (or of an imported workbook's list)."""
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


# Who answers: a team about itself (the default), the participants of a cohort's workshop, or
# the organisation about itself, by name (a self-diagnostic such as the digital maturity one), or
# the organisation answering its network's survey (one answer per organisation).
USES = ("team", "workshop", "organisation", "network")
ORGANISATION_USE = "organisation"


def shipped_fiche_slugs(directory=FICHES_DIR):
    return frozenset(path.stem for path in directory.glob("*.yaml"))


def parse_definition(text, *, source, scales=None, known_fiches=None):
    """Validate a questionnaire file (its text, or its already parsed YAML) and return its
    normalised definition. `known_fiches` (slugs) defaults to the shipped fiche files."""
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
            normalised_item = {"id": item_id, "text": _text(item, "text", source, item_place)}
            determinants = _determinants(item.get("determinants"), source, item_place)
            if determinants:  # absent when untagged: stored definitions keep their hash
                normalised_item["determinants"] = determinants
            normalised_items.append(normalised_item)
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
    if use == ORGANISATION_USE:
        known_fiches = shipped_fiche_slugs() if known_fiches is None else known_fiches
        levels = _levels(data.get("levels"), source)
        for position, (theme, normalised) in enumerate(zip(themes, normalised_themes, strict=True), start=1):
            place = f"thème {position} (« {normalised['id']} »)"
            normalised["next_steps"] = _next_steps(
                theme.get("next_steps"), levels, known_fiches, source, place
            )
    else:
        _need(
            "levels" not in data,
            source,
            "levels",
            "les niveaux sont réservés aux autodiagnostics de structure (« use: organisation »)",
        )
        for position, theme in enumerate(themes, start=1):
            _need(
                "next_steps" not in theme,
                source,
                f"thème {position} (« {theme.get('id')} »)",
                "« next_steps » est réservé aux autodiagnostics de structure (« use: organisation »)",
            )
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
    if use == ORGANISATION_USE:
        definition["levels"] = levels
    if data.get("free_text") is not None:
        definition["free_text"] = _free_text(data["free_text"], source, item_ids)
    return definition


def _determinants(tags, source, place):
    """The entries of the QVT frameworks a statement touches (« labqvt:sante »…), checked against
    definitions/frameworks.yaml (reperes/instruments/frameworks.py)."""
    # Imported here: frameworks.py imports this module for DefinitionError.
    from reperes.instruments.frameworks import known_tags

    if tags is None:
        return []
    _need(
        isinstance(tags, list),
        source,
        place,
        "« determinants » doit être une liste de déterminants (par exemple [labqvt:sante])",
    )
    known, seen = known_tags(), set()
    for tag in tags:
        _need(
            isinstance(tag, str) and tag in known,
            source,
            place,
            f"déterminant inconnu « {tag} » (voir reperes/instruments/definitions/frameworks.yaml)",
        )
        _need(tag not in seen, source, place, f"déterminant « {tag} » en double")
        seen.add(tag)
    return list(tags)


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


def _levels(levels, source):
    """The bands of the 0–100 score, from the lowest: contiguous whole numbers, no overlap, no gap."""
    low, high = LEVEL_SCALE
    place = "levels"
    _need(
        isinstance(levels, list) and len(levels) >= 2,
        source,
        place,
        "un autodiagnostic de structure a au moins deux niveaux (id, label, description, min, max)",
    )
    normalised, ids = [], set()
    for position, level in enumerate(levels, start=1):
        level_place = f"{place}, niveau {position}"
        _need(isinstance(level, dict), source, level_place, "un niveau a id, label, description, min et max")
        level_id = _identifier(level.get("id"), source, level_place)
        _need(level_id not in ids, source, level_place, f"identifiant de niveau « {level_id} » en double")
        ids.add(level_id)
        bounds = []
        for key in ("min", "max"):
            value = level.get(key)
            _need(
                isinstance(value, int) and not isinstance(value, bool) and low <= value <= high,
                source,
                level_place,
                f"« {key} » doit être un nombre entier de {low} à {high} (reçu : {value!r})",
            )
            bounds.append(value)
        minimum, maximum = bounds
        _need(minimum <= maximum, source, level_place, f"« min » ({minimum}) dépasse « max » ({maximum})")
        if normalised:
            previous = normalised[-1]
            _need(
                minimum > previous["max"],
                source,
                level_place,
                f"ce niveau ({minimum}–{maximum}) chevauche le niveau « {previous['id']} » "
                f"({previous['min']}–{previous['max']})",
            )
            _need(
                minimum == previous["max"] + 1,
                source,
                level_place,
                f"aucun niveau ne couvre les scores de {previous['max'] + 1} à {minimum - 1}",
            )
        else:
            _need(
                minimum == low, source, level_place, f"le premier niveau commence à {low} (reçu : {minimum})"
            )
        normalised.append(
            {
                "id": level_id,
                "label": _text(level, "label", source, level_place),
                "description": _text(level, "description", source, level_place),
                "min": minimum,
                "max": maximum,
            }
        )
    _need(
        normalised[-1]["max"] == high,
        source,
        f"{place}, niveau {len(normalised)}",
        f"le dernier niveau va jusqu'à {high} (reçu : {normalised[-1]['max']})",
    )
    return normalised


def _next_steps(section, levels, known_fiches, source, place):
    """{level id: {"text", "fiches"}}: from each level, what the next one would take (from the
    highest, what keeps it there), and the fiches that help."""
    level_ids = [level["id"] for level in levels]
    place = f"{place}, next_steps"
    _need(
        isinstance(section, dict),
        source,
        place,
        f"chaque thème dit, pour chaque niveau ({', '.join(level_ids)}), ce que demanderait le suivant",
    )
    unknown = sorted(str(key) for key in section if key not in level_ids)
    _need(
        not unknown,
        source,
        place,
        f"niveau inconnu « {', '.join(unknown)} » (niveaux : {', '.join(level_ids)})",
    )
    normalised = {}
    for level_id in level_ids:
        step = section.get(level_id)
        step_place = f"{place}, niveau « {level_id} »"
        _need(step is not None, source, step_place, "ce niveau n'a pas de prochaine étape (text, fiches)")
        _need(isinstance(step, dict), source, step_place, "une prochaine étape a « text » et « fiches »")
        fiches = step.get("fiches") or []
        _need(
            isinstance(fiches, list), source, step_place, "« fiches » doit être une liste de slugs de fiches"
        )
        for position, fiche in enumerate(fiches, start=1):
            _identifier(fiche, source, f"{step_place}, fiche {position}", "fiche")
            _need(
                fiche in known_fiches,
                source,
                f"{step_place}, fiche {position}",
                f"aucune fiche de reperes/fiches/content/ ne s'appelle « {fiche} »",
            )
        normalised[level_id] = {
            "text": _text(step, "text", source, step_place),
            "fiches": list(dict.fromkeys(fiches)),
        }
    return normalised


# The files of the folder that are not questionnaires: the answer scales and the QVT frameworks.
NOT_QUESTIONNAIRES = {SCALES_FILE.name, "frameworks.yaml"}


def definition_files(directory=DEFINITIONS_DIR):
    return sorted(p for p in directory.glob("*.yaml") if p.name not in NOT_QUESTIONNAIRES)


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
    def use(self):
        return self.data.get("use", "team")

    @property
    def levels(self):
        """The bands of the 0–100 score of a self-diagnostic (use organisation), lowest first."""
        return self.data.get("levels", [])

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
