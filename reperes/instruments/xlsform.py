"""Questionnaires as XLSForm workbooks, the spreadsheet convention of ODK and KoboToolbox.

`export_workbook(definition)` writes a normalised definition (definition.parse_definition) as
an XLSX workbook: the `survey` sheet holds one group per theme (`begin_group` … `end_group`)
with its statements as `select_one` questions on the scale's list, then the open questions as
`text` in a last group; `choices` holds the scale; `settings` the title and id. What only
Repères reads is in columns that XLSForm tools ignore (`reperes_…`: points, the fiche a theme
leads to, interpretation texts, the longest open answer) and in sheets of its own (`reperes`
for the questionnaire's settings, `reperes_niveaux` and `reperes_etapes` for an organisation's
self-diagnostic). The workbook converts with pyxform, so a network can also take it to the field.

`import_workbook(data)` reads such a workbook back, safely (size and uncompressed-size caps, no
macros, no formulas, XML read by defusedxml through openpyxl), has pyxform convert it, then
applies Repères' own rules, and returns the definition or raises WorkbookError with every
problem found, each with its sheet, row and column, in French. What XLSForm accepts but
Repères cannot honour (skip logic, repeats, calculations, media, other question types) is
refused with its reason, never silently simplified, and so is what would weaken anonymity: a
threshold below the instance's, or questions that would identify a respondent.
"""

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings

from reperes.instruments.definition import (
    DefinitionError,
    parse_definition,
    parse_scales,
    shipped_fiche_slugs,
)

__all__ = ["WorkbookError", "Problem", "export_workbook", "import_workbook", "workbook_origin", "MAX_BYTES"]

MAX_BYTES = 2 * 1024 * 1024  # a questionnaire's workbook is a few tens of kilobytes
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024  # what it may inflate to (a zip bomb inflates to gigabytes)
MAX_ROWS = 2000
MAX_CELL = 5000  # the longest text a cell may hold (an interpretation, a next step)

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
REPERES, LEVELS, STEPS = "reperes", "reperes_niveaux", "reperes_etapes"
OPEN_GROUP = "questions_ouvertes"

SURVEY_COLUMNS = [
    "type",
    "name",
    "label",
    "hint",
    "reperes_short_title",
    "reperes_fiche",
    "reperes_interpretation_low",
    "reperes_interpretation_medium",
    "reperes_interpretation_high",
    "reperes_max_length",
    "reperes_determinants",
]
CHOICES_COLUMNS = ["list_name", "name", "label", "reperes_points", "reperes_neutral"]
SETTINGS_KEYS = ["slug", "title", "summary", "duration_minutes", "scoring", "use", "scale_label"]
ORIGIN_KEY = "copie_de"  # the questionnaire version a workbook was exported from: « slug@number »
LEVEL_COLUMNS = ["id", "label", "description", "min", "max"]
STEP_COLUMNS = ["theme", "level", "text", "fiches"]

# XLSForm columns that ask for behaviour Repères does not have: the reason each is refused.
UNSUPPORTED_COLUMNS = {
    "relevant": "les questions conditionnelles (« relevant ») ne sont pas prises en charge : "
    "chaque personne voit toutes les affirmations, sinon les scores d'équipe ne se comparent plus",
    "calculation": "les calculs ne sont pas pris en charge : Repères calcule les scores lui-même",
    "constraint": "les contraintes de saisie ne sont pas prises en charge "
    "(la longueur d'une réponse ouverte se règle dans « reperes_max_length »)",
    "repeat_count": "les répétitions ne sont pas prises en charge",
    "choice_filter": "les listes filtrées ne sont pas prises en charge",
    "trigger": "les déclencheurs ne sont pas pris en charge",
    "default": "les réponses préremplies ne sont pas prises en charge : elles orienteraient les réponses",
    "read_only": "les questions en lecture seule ne sont pas prises en charge",
    "image": "les médias ne sont pas pris en charge",
    "audio": "les médias ne sont pas pris en charge",
    "video": "les médias ne sont pas pris en charge",
}
UNSUPPORTED_TYPES = {
    "begin_repeat": "les répétitions ne sont pas prises en charge",
    "begin repeat": "les répétitions ne sont pas prises en charge",
    "calculate": "les calculs ne sont pas pris en charge : Repères calcule les scores lui-même",
    "select_multiple": "les questions à choix multiples ne sont pas prises en charge : "
    "une affirmation se répond sur l'échelle du questionnaire",
    "integer": "les questions numériques ne sont pas prises en charge : une donnée chiffrée "
    "sur une personne (âge, ancienneté…) permettrait de la reconnaître",
    "decimal": "les questions numériques ne sont pas prises en charge",
    "date": "les dates ne sont pas prises en charge : "
    "une date sur une personne permettrait de la reconnaître",
    "datetime": "les dates ne sont pas prises en charge",
    "time": "les heures ne sont pas prises en charge",
    "geopoint": "la localisation n'est pas prise en charge : elle identifierait la personne",
    "geotrace": "la localisation n'est pas prise en charge",
    "geoshape": "la localisation n'est pas prise en charge",
    "image": "les médias ne sont pas pris en charge",
    "audio": "les médias ne sont pas pris en charge",
    "video": "les médias ne sont pas pris en charge",
    "file": "les fichiers joints ne sont pas pris en charge",
    "barcode": "les codes-barres ne sont pas pris en charge",
    "note": "les notes ne sont pas prises en charge : placez le texte dans l'indication (« hint ») du groupe",
    "acknowledge": "les cases d'acquittement ne sont pas prises en charge",
    "range": "les curseurs ne sont pas pris en charge : une affirmation se répond sur l'échelle",
    "rank": "les classements ne sont pas pris en charge",
    "select_one_from_file": "les listes externes ne sont pas prises en charge",
    "select_multiple_from_file": "les listes externes ne sont pas prises en charge",
}
METADATA_TYPES = {
    "start", "end", "today", "deviceid", "phonenumber", "username", "email", "audit",
    "simserial", "subscriberid", "start-geopoint", "background-audio",
}  # fmt: skip
# A question about the person answering: asked in a team of a few people, it names them. The
# respondent groups of a diagnostic (chosen by the team, protected by group suppression) are
# the only way to break results down.
IDENTIFYING = re.compile(
    r"\b(votre|ton|ta|vos|quel(?:le)?s?\s+(?:est|sont))\b[^?.]{0,40}?\b("
    r"âge|age|sexe|genre|ancienneté|anciennete|poste|fonction|métier|metier|service|équipe|equipe|"
    r"nom|prénom|prenom|date de naissance|naissance|adresse|courriel|e-mail|email|téléphone|telephone|"
    r"statut|contrat|diplôme|diplome|nationalité|nationalite|handicap|religion|salaire"
    r")\b"
    # The same asked otherwise: « quel âge avez-vous », a statement to agree with (« j'ai plus de
    # 50 ans », « je suis une femme »), seniority (« depuis combien d'années travaillez-vous »).
    r"|\bquel(?:le)?s?\s+(?:âge|age|sexe|genre|ancienneté|anciennete|poste|fonction|métier|metier|"
    r"contrat|statut|diplôme|diplome|nationalité|nationalite|salaire)\b"
    r"|\b(?:j[’']ai|avez-vous|as-tu)\s+(?:plus|moins)\s+de\s+\d+\s*ans\b"
    r"|\bhomme\s+ou\s+(?:une\s+)?femme\b|\bfemme\s+ou\s+(?:un\s+)?homme\b"
    r"|\bje\s+suis\s+(?:un\s+homme|une\s+femme)\b"
    r"|\bdepuis\s+combien\s+(?:de\s+temps|d[’']années|d[’']annees)"
    r"|\b(?:je\s+travaille|travaillez-vous|j[’']y\s+travaille)\b[^?.]{0,60}?\bdepuis\s+(?:plus|moins|\d|longtemps|peu)",
    re.IGNORECASE,
)
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# What the database keeps of a questionnaire's names (campaigns' answers, priorities, actions).
MAX_ID = 40
MAX_VALUE = 20
MAX_TITLE = 200
MAX_SLUG = 50


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        where = [f"feuille « {self.sheet} »"] if self.sheet else []
        if self.row:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}" if where else self.message


class WorkbookError(Exception):
    """Every problem found in a workbook; nothing of it was kept."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --- export -------------------------------------------------------------------------------------


def export_workbook(definition, *, origin=""):
    """The XLSX bytes of a normalised definition. `origin` (« qvt-numerique@3 ») names the
    version exported, so that a network's copy remembers where it came from."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    survey = workbook.active
    survey.title = SURVEY
    survey.append(SURVEY_COLUMNS)
    scale = definition["scale"]
    for theme in definition["themes"]:
        interpretation = theme.get("interpretation") or {}
        survey.append(
            _row(
                SURVEY_COLUMNS,
                type="begin_group",
                name=theme["id"],
                label=theme["title"],
                hint=theme.get("description", ""),
                reperes_short_title=theme.get("short_title", "")
                if theme.get("short_title") != theme["title"]
                else "",
                reperes_fiche=theme.get("fiche", ""),
                reperes_interpretation_low=interpretation.get("low", ""),
                reperes_interpretation_medium=interpretation.get("medium", ""),
                reperes_interpretation_high=interpretation.get("high", ""),
            )
        )
        for item in theme["items"]:
            survey.append(
                _row(
                    SURVEY_COLUMNS,
                    type=f"select_one {scale['code']}",
                    name=item["id"],
                    label=item["text"],
                    reperes_determinants=" ".join(item.get("determinants", [])),
                )
            )
        survey.append(_row(SURVEY_COLUMNS, type="end_group"))
    free_text = definition.get("free_text")
    if free_text:
        survey.append(
            _row(
                SURVEY_COLUMNS,
                type="begin_group",
                name=OPEN_GROUP,
                label=free_text["title"],
                hint=free_text.get("description", ""),
            )
        )
        for item in free_text["items"]:
            survey.append(
                _row(
                    SURVEY_COLUMNS,
                    type="text",
                    name=item["id"],
                    label=item["text"],
                    hint=item.get("help", ""),
                    reperes_max_length=item["max_length"],
                )
            )
        survey.append(_row(SURVEY_COLUMNS, type="end_group"))

    choices = workbook.create_sheet(CHOICES)
    choices.append(CHOICES_COLUMNS)
    for choice in scale["choices"]:
        choices.append(
            _row(
                CHOICES_COLUMNS,
                list_name=scale["code"],
                name=choice["value"],
                label=choice["label"],
                reperes_points=choice["points"],
                reperes_neutral="oui" if choice.get("neutral") else "",
            )
        )

    form_settings = workbook.create_sheet(SETTINGS)
    form_settings.append(["form_title", "form_id", "version"])
    form_settings.append([definition["title"], definition["slug"].replace("-", "_"), "1"])

    own = workbook.create_sheet(REPERES)
    own.append(["key", "value"])
    values = {
        "slug": definition["slug"],
        "title": definition["title"],
        "summary": definition.get("summary", ""),
        "duration_minutes": definition.get("duration_minutes", 5),
        "scoring": definition["scoring"],
        "use": definition.get("use", "team"),
        "scale_label": scale["label"],
    }
    for key in SETTINGS_KEYS:
        own.append([key, values[key]])
    if origin:
        own.append([ORIGIN_KEY, origin])

    if definition.get("levels"):
        levels = workbook.create_sheet(LEVELS)
        levels.append(LEVEL_COLUMNS)
        for level in definition["levels"]:
            levels.append([level[column] for column in LEVEL_COLUMNS])
        steps = workbook.create_sheet(STEPS)
        steps.append(STEP_COLUMNS)
        for theme in definition["themes"]:
            for level_id, step in theme.get("next_steps", {}).items():
                steps.append([theme["id"], level_id, step["text"], " ".join(step["fiches"])])

    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _row(columns, **values):
    return [values.get(column, "") for column in columns]


# --- import -------------------------------------------------------------------------------------


def import_workbook(data, *, known_fiches=None):
    """The definition (normalised, as parse_definition returns it) of the workbook `data`
    (bytes), or WorkbookError listing every problem."""
    workbook = _open(data)
    sheets = {name: _rows(workbook[name]) for name in workbook.sheetnames}
    problems = _convert_with_pyxform(data)
    raw = _Reader(sheets, problems, known_fiches=known_fiches).definition()
    if problems:
        raise WorkbookError(problems)
    try:
        scales = parse_scales({raw["scale"]: raw.pop("_scale")}, source=CHOICES)
        return parse_definition(raw, source="classeur", scales=scales, known_fiches=known_fiches)
    except DefinitionError as error:
        raise WorkbookError([Problem("", None, None, str(error))]) from error


def workbook_origin(data):
    """(slug, number) of the version an (already imported) workbook was exported from, or None."""
    sheets = _open(data)
    for _number, row in _rows(sheets[REPERES]) if REPERES in sheets.sheetnames else []:
        if _text(row.get("key")) == ORIGIN_KEY:
            slug, _, number = _text(row.get("value")).partition("@")
            return (slug, int(number)) if number.isdigit() else None
    return None


def _open(data):
    """The openpyxl workbook of `data`, after the checks that keep a hostile file harmless."""
    if len(data) > MAX_BYTES:
        raise WorkbookError(
            [
                Problem(
                    "",
                    None,
                    None,
                    f"le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : ce n'est pas un questionnaire",
                )
            ]
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookError(
            [
                Problem(
                    "",
                    None,
                    None,
                    "ce fichier n'est pas un classeur XLSX (enregistrez-le au format Excel .xlsx)",
                )
            ]
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
            raise WorkbookError(
                [Problem("", None, None, "le classeur décompressé serait démesuré : il est refusé")]
            )
        names = {member.filename.lower() for member in members}
        if any(name.endswith("vbaproject.bin") for name in names):
            raise WorkbookError(
                [
                    Problem(
                        "",
                        None,
                        None,
                        "le classeur contient des macros : enregistrez-le en .xlsx sans macros",
                    )
                ]
            )
        if "xl/workbook.xml" not in names:
            raise WorkbookError([Problem("", None, None, "ce fichier n'est pas un classeur XLSX")])
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    # openpyxl parses the workbook's XML with defusedxml when it is installed (it is a
    # dependency of Repères): no entity expansion, no external entity.
    assert DEFUSEDXML, "defusedxml est requis pour lire un classeur en sécurité"
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise WorkbookError(
            [Problem("", None, None, f"le classeur est illisible ({type(error).__name__})")]
        ) from error
    problems = []
    for sheet in workbook.worksheets:
        if sheet.max_row > MAX_ROWS:
            problems.append(Problem(sheet.title, None, None, f"plus de {MAX_ROWS} lignes"))
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(
                        Problem(
                            sheet.title,
                            cell.row,
                            cell.column_letter,
                            "une formule : saisissez la valeur elle-même",
                        )
                    )
                elif isinstance(cell.value, str) and len(cell.value) > MAX_CELL:
                    problems.append(
                        Problem(
                            sheet.title,
                            cell.row,
                            cell.column_letter,
                            f"texte de plus de {MAX_CELL} caractères",
                        )
                    )
    for required in (SURVEY, CHOICES):
        if required not in workbook.sheetnames:
            problems.append(
                Problem(required, None, None, "cette feuille manque : un XLSForm a « survey » et « choices »")
            )
    if problems:
        raise WorkbookError(problems)
    return workbook


PYXFORM_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")


def _convert_with_pyxform(data):
    """[Problem]: what pyxform, the reference converter of the ODK tools, finds wrong in the
    workbook (without its external validator, which needs Java and a download)."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=io.BytesIO(data), validate=False, file_type=".xlsx", warnings=[])
    except PyXFormError as error:
        message = str(error).strip()
        match = PYXFORM_ROW.search(message)
        sheet = next((name for name in (CHOICES, SETTINGS) if f"'{name}'" in message), SURVEY)
        return [
            Problem(
                sheet,
                int(match.group(1)) if match else None,
                None,
                f"le convertisseur XLSForm (pyxform) refuse le classeur : {message}",
            )
        ]
    except Exception as error:  # pyxform on a workbook it cannot read at all
        raise WorkbookError(
            [
                Problem(
                    "",
                    None,
                    None,
                    "le convertisseur XLSForm (pyxform) ne peut pas lire ce classeur "
                    f"({type(error).__name__})",
                )
            ]
        ) from error
    return []


def _rows(sheet):
    """[(row number, {column: value})] of a sheet whose first row names the columns; blank
    rows are left out."""
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(value).strip().lower() if value is not None else "" for value in rows[0]]
    kept = []
    for number, values in enumerate(rows[1:], start=2):
        row = {
            column: (value.strip() if isinstance(value, str) else value)
            for column, value in zip(header, values, strict=False)
            if column and value not in (None, "")
        }
        if row:
            kept.append((number, row))
    return kept


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Reader:
    """Builds the raw definition (the shape of a definition file) from the sheets, recording a
    Problem for each thing Repères cannot use."""

    def __init__(self, sheets, problems, *, known_fiches=None):
        self.sheets = sheets
        self.problems = problems
        self.known_fiches = shipped_fiche_slugs() if known_fiches is None else known_fiches

    def problem(self, sheet, row, column, message):
        self.problems.append(Problem(sheet, row, column, message))

    def definition(self):
        own = self.settings()
        scale_code, scale = self.scale()
        themes, free_text = self.survey(scale_code)
        raw = {
            "slug": own.get("slug") or self.form_id(),
            "title": own.get("title") or self.form_title(),
            "duration_minutes": self.integer(own.get("duration_minutes", 5), REPERES, "duration_minutes"),
            "scoring": own.get("scoring", "sum-points"),
            "scale": scale_code,
            "_scale": {"label": own.get("scale_label") or "Échelle du questionnaire", "choices": scale},
            "themes": themes,
        }
        if own.get("summary"):
            raw["summary"] = own["summary"]
        if len(raw["title"]) > MAX_TITLE:
            self.problem(REPERES, None, "title", f"titre de plus de {MAX_TITLE} caractères")
        if len(raw["slug"]) > MAX_SLUG:
            self.problem(REPERES, None, "slug", f"identifiant de plus de {MAX_SLUG} caractères")
        use = own.get("use", "team")
        if use != "team":
            raw["use"] = use
        if free_text:
            raw["free_text"] = free_text
        if use == "organisation":
            raw["levels"] = self.levels()
            steps = self.steps()
            for theme in themes:
                theme["next_steps"] = steps.get(theme["id"], {})
        return raw

    def settings(self):
        values = {}
        for number, row in self.sheets.get(REPERES, []):
            key, value = _text(row.get("key")), row.get("value")
            if key == "seuil_anonymat" or key == "threshold":
                threshold = self.integer(value, REPERES, key, row=number)
                if threshold is not None and threshold != settings.ANONYMITY_THRESHOLD:
                    self.problem(
                        REPERES,
                        number,
                        "value",
                        f"un seuil d'anonymat propre au questionnaire ({threshold}) n'est pas accepté : "
                        f"celui de l'instance ({settings.ANONYMITY_THRESHOLD} réponses) s'applique à tous"
                        + (
                            ", et le baisser exposerait les répondant·es"
                            if threshold < settings.ANONYMITY_THRESHOLD
                            else ""
                        ),
                    )
                continue
            if key == ORIGIN_KEY:
                continue  # read by workbook_origin()
            if key not in SETTINGS_KEYS:
                self.problem(
                    REPERES, number, "key", f"réglage inconnu « {key} » (connus : {', '.join(SETTINGS_KEYS)})"
                )
                continue
            values[key] = _text(value)
        return values

    def form_settings(self):
        rows = self.sheets.get(SETTINGS, [])
        return rows[0][1] if rows else {}

    def form_id(self):
        return _text(self.form_settings().get("form_id")).replace("_", "-").lower()

    def form_title(self):
        return _text(self.form_settings().get("form_title"))

    def integer(self, value, sheet, column, row=None):
        text = _text(value)
        if not re.fullmatch(r"-?\d+", text):
            self.problem(sheet, row, column, f"un nombre entier est attendu (reçu : {text!r})")
            return None
        return int(text)

    def scale(self):
        lists = {}
        for number, row in self.sheets.get(CHOICES, []):
            list_name = _text(row.get("list_name"))
            lists.setdefault(list_name, []).append((number, row))
        if not lists:
            self.problem(CHOICES, None, None, "aucune liste de choix : l'échelle de réponse manque")
            return "", []
        used = self.used_lists()
        unused = [name for name in lists if name not in used]  # duplicates kept: counted below
        for name in unused:
            self.problem(
                CHOICES, lists[name][0][0], "list_name", f"la liste « {name} » ne sert à aucune question"
            )
        # The answer scale: the list most statements use (another one is refused in survey()).
        code = max(used, key=used.count) if used else next(iter(lists))
        choices = []
        for number, row in lists.get(code, []):
            points = row.get("reperes_points")
            if points is None:
                self.problem(
                    CHOICES,
                    number,
                    "reperes_points",
                    "chaque choix de l'échelle dit combien de points il vaut",
                )
                continue
            try:
                points = float(points)
            except (TypeError, ValueError):
                self.problem(CHOICES, number, "reperes_points", f"un nombre est attendu (reçu : {points!r})")
                continue
            if len(_text(row.get("name"))) > MAX_VALUE:
                self.problem(CHOICES, number, "name", f"nom de plus de {MAX_VALUE} caractères")
            choice = {
                "value": _text(row.get("name")),
                "label": _text(row.get("label")),
                "points": int(points) if points.is_integer() else points,
            }
            if not choice["label"]:
                self.problem(CHOICES, number, "label", "ce choix n'a pas de libellé")
            neutral = _text(row.get("reperes_neutral")).lower()
            if neutral in ("oui", "yes", "true", "1", "vrai"):
                choice["neutral"] = True
            elif neutral not in ("", "non", "no", "false", "0", "faux"):
                self.problem(CHOICES, number, "reperes_neutral", f"« oui » ou vide (reçu : {neutral!r})")
            choices.append(choice)
        return code, choices

    def used_lists(self):
        used = []
        for _number, row in self.sheets.get(SURVEY, []):
            parts = _text(row.get("type")).split()
            if len(parts) == 2 and parts[0] == "select_one":
                used.append(parts[1])
        return used

    def survey(self, scale_code):
        rows = self.sheets.get(SURVEY, [])
        themes, free_text, group = [], None, None
        for number, row in rows:
            for column, reason in UNSUPPORTED_COLUMNS.items():
                if any(
                    key == column or key.startswith(f"{column}::") or key.startswith(f"media::{column}")
                    for key in row
                ):
                    self.problem(SURVEY, number, column, reason)
            kind = _text(row.get("type"))
            parts = kind.split()
            name = _text(row.get("name"))
            label = _text(row.get("label"))
            if kind in ("begin_group", "begin group"):
                if group is not None:
                    self.problem(SURVEY, number, "type", "un groupe dans un groupe n'est pas pris en charge")
                    continue
                group = {
                    "row": number,
                    "name": name,
                    "label": label,
                    "row_data": row,
                    "items": [],
                    "texts": [],
                }
                if not label:
                    self.problem(SURVEY, number, "label", "ce groupe (un thème) n'a pas de libellé")
            elif kind in ("end_group", "end group"):
                if group is None:
                    self.problem(SURVEY, number, "type", "« end_group » sans « begin_group »")
                    continue
                self.close_group(group, themes)
                if group["texts"]:
                    if free_text is not None:
                        self.problem(
                            SURVEY, group["row"], "type", "une seule série de questions ouvertes est possible"
                        )
                    free_text = {"title": group["label"], "items": group["texts"]}
                    if group["row_data"].get("hint"):
                        free_text["description"] = _text(group["row_data"].get("hint"))
                group = None
            elif kind in METADATA_TYPES:
                self.problem(
                    SURVEY,
                    number,
                    "type",
                    f"« {kind} » enregistre une donnée sur la personne ou son appareil : refusé",
                )
            elif parts and parts[0] in UNSUPPORTED_TYPES:
                self.problem(SURVEY, number, "type", UNSUPPORTED_TYPES[parts[0]])
            elif kind in UNSUPPORTED_TYPES:
                self.problem(SURVEY, number, "type", UNSUPPORTED_TYPES[kind])
            elif len(parts) == 2 and parts[0] == "select_one":
                self.question(number, row, name, label, group, "select")
                if parts[1] != scale_code:
                    self.problem(
                        SURVEY,
                        number,
                        "type",
                        f"toutes les affirmations se répondent sur la même échelle (« {scale_code} ») : "
                        f"la liste « {parts[1]} » ne peut pas servir ici",
                    )
            elif kind == "text":
                self.question(number, row, name, label, group, "text")
            else:
                self.problem(
                    SURVEY, number, "type", f"type de question inconnu ou non pris en charge « {kind} »"
                )
        if group is not None:
            self.problem(SURVEY, group["row"], "type", "ce groupe n'est jamais fermé (« end_group »)")
        if not themes:
            self.problem(
                SURVEY, None, None, "aucun thème : chaque thème est un groupe d'affirmations « select_one »"
            )
        return themes, free_text

    def question(self, number, row, name, label, group, kind):
        if not NAME.match(name):
            self.problem(SURVEY, number, "name", f"nom de question invalide « {name} »")
        elif len(name) > MAX_ID:
            self.problem(SURVEY, number, "name", f"nom de plus de {MAX_ID} caractères")
        if not label:
            self.problem(SURVEY, number, "label", "cette question n'a pas de libellé")
        if IDENTIFYING.search(label) or IDENTIFYING.search(name.replace("_", " ")):
            self.problem(
                SURVEY,
                number,
                "label",
                "cette question porte sur la personne qui répond (âge, sexe, poste, service, ancienneté…) : "
                "dans une petite équipe, elle la ferait reconnaître. "
                "Les groupes de répondant·es du diagnostic, "
                "protégés par le seuil, servent à distinguer les résultats",
            )
        if group is None:
            self.problem(SURVEY, number, "type", "chaque question appartient à un groupe (un thème)")
            return
        item_id = name.replace("_", "-").lower()
        if kind == "select":
            item = {"id": item_id, "text": label}
            tags = _text(row.get("reperes_determinants")).split()
            if tags:
                item["determinants"] = tags
            group["items"].append(item)
        else:
            item = {"id": item_id, "type": "text", "text": label}
            if row.get("hint"):
                item["help"] = _text(row.get("hint"))
            if row.get("reperes_max_length") is not None:
                item["max_length"] = self.integer(
                    row.get("reperes_max_length"), SURVEY, "reperes_max_length", number
                )
            group["texts"].append(item)

    def close_group(self, group, themes):
        row, number = group["row_data"], group["row"]
        if group["items"] and group["texts"]:
            self.problem(
                SURVEY,
                number,
                "type",
                "un groupe mêle affirmations et questions ouvertes : "
                "placez les questions ouvertes dans leur propre groupe",
            )
            return
        if group["texts"]:
            return
        if not group["items"]:
            self.problem(SURVEY, number, "type", "ce groupe (un thème) n'a aucune affirmation")
            return
        if not NAME.match(group["name"]):
            self.problem(SURVEY, number, "name", f"nom de groupe invalide « {group['name']} »")
        elif len(group["name"]) > MAX_ID:
            self.problem(SURVEY, number, "name", f"nom de plus de {MAX_ID} caractères")
        theme = {
            "id": group["name"].replace("_", "-").lower(),
            "title": group["label"],
            "items": group["items"],
        }
        for key, column in (
            ("short_title", "reperes_short_title"),
            ("description", "hint"),
            ("fiche", "reperes_fiche"),
        ):
            if row.get(column):
                theme[key] = _text(row.get(column))
        if theme.get("fiche") and theme["fiche"] not in self.known_fiches:
            self.problem(SURVEY, number, "reperes_fiche", f"aucune fiche ne s'appelle « {theme['fiche']} »")
        interpretation = {
            level: _text(row.get(f"reperes_interpretation_{level}"))
            for level in ("low", "medium", "high")
            if row.get(f"reperes_interpretation_{level}")
        }
        if interpretation:
            theme["interpretation"] = interpretation
        themes.append(theme)

    def levels(self):
        levels = []
        for number, row in self.sheets.get(LEVELS, []):
            level = {column: row.get(column) for column in LEVEL_COLUMNS}
            for key in ("id", "label", "description"):
                level[key] = _text(level[key])
            for key in ("min", "max"):
                level[key] = self.integer(level[key], LEVELS, key, number)
            levels.append(level)
        if not levels:
            self.problem(
                LEVELS, None, None, "un autodiagnostic de structure a ses niveaux dans cette feuille"
            )
        return levels

    def steps(self):
        steps = {}
        for _number, row in self.sheets.get(STEPS, []):
            theme, level = _text(row.get("theme")), _text(row.get("level"))
            steps.setdefault(theme, {})[level] = {
                "text": _text(row.get("text")),
                "fiches": _text(row.get("fiches")).split(),
            }
        return steps
