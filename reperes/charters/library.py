"""The charter clause library: data files, parsed and validated.

`content/library.yaml` declares the charter's parameters (days per week, contact hours…) and its
slots: the seven contents that article L1222-9 II requires of an agreement or a charter
(`mandatory: true`) and the recommended ones. `content/clauses/*.yaml` hold the clauses: the
slot each fills (and any other slot it covers), its legal basis (ids of reperes/legal), a plain
explanation, the guidance fiche, a condition on the organisation, and one to three wordings with
`{parameter}` placeholders and a review status. Any problem raises LibraryError naming the file,
the place and the problem, in French.
"""

import datetime
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reperes.legal.references import get_references
from reperes.lib.content import Checks, ContentError, content_hash, read_yaml

LIBRARY_DIR = Path(__file__).parent / "content"
IDENTIFIER_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
PARAMETER_TYPES = {"int", "time"}
REVIEW_STATUSES = {"non-relu": "non relu par un·e juriste", "relu": "relu par un·e juriste"}
# What a clause may require of the organisation (attributes of Organisation).
CONDITIONS = {
    "has_cse": "si la structure a un CSE",
    "has_union_delegate": "si la structure a un·e délégué·e syndical·e",
}


class LibraryError(ContentError):
    pass


_checks = Checks(LibraryError)
_need, _text = _checks.need, _checks.text


@dataclass(frozen=True)
class Parameter:
    id: str
    label: str
    type: str
    default: object
    help: str = ""
    minimum: int | None = None
    maximum: int | None = None
    unit: str = ""
    at_most: str = ""  # another int parameter this one may not exceed
    after: str = ""  # another time parameter this one must follow


@dataclass(frozen=True)
class LegalBasis:
    ref: str
    point: str

    @property
    def reference(self):
        return get_references()[self.ref]

    def __str__(self):
        label = self.reference.label
        return f"{label}, {self.point}" if self.point else label


@dataclass(frozen=True)
class Slot:
    id: str
    label: str
    mandatory: bool
    basis: tuple
    number: int  # position in the document


@dataclass(frozen=True)
class Wording:
    id: str
    label: str
    text: str
    review: str
    reviewed_by: str = ""
    reviewed_on: datetime.date | None = None

    @property
    def reviewed(self):
        return self.review == "relu"

    @property
    def review_label(self):
        return REVIEW_STATUSES[self.review]

    @property
    def placeholders(self):
        return {name for _, name, _, _ in string.Formatter().parse(self.text) if name}


@dataclass(frozen=True)
class Clause:
    id: str
    slot: str
    covers: tuple
    title: str
    explanation: str
    basis: tuple
    fiche: str
    condition: str
    wordings: tuple
    source: str

    def wording(self, wording_id):
        for wording in self.wordings:
            if wording.id == wording_id:
                return wording
        return self.wordings[0]

    def applies_to(self, organisation):
        return not self.condition or bool(getattr(organisation, self.condition))

    @property
    def condition_label(self):
        return CONDITIONS.get(self.condition, "")


@dataclass(frozen=True)
class Library:
    parameters: dict
    slots: dict
    clauses: dict
    digest: str

    @property
    def mandatory_slots(self):
        return [slot for slot in self.slots.values() if slot.mandatory]

    def clauses_for(self, slot_id):
        return [clause for clause in self.clauses.values() if clause.slot == slot_id]


def _paragraphs(text):
    """A wording as paragraphs separated by one blank line, each on a single line: the YAML's
    line breaks are for the editor, not for the document."""
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip())


def _identifier(value, source, place, key="id"):
    _need(
        isinstance(value, str) and value and set(value) <= IDENTIFIER_CHARS,
        source,
        place,
        f"« {key} » doit être fait de minuscules, chiffres et tirets (reçu : {value!r})",
    )
    return value


def _basis(entries, source, place):
    _need(isinstance(entries, list) and entries, source, place, "« legal » doit citer au moins un texte")
    references = get_references()
    basis = []
    for entry in entries:
        _need(isinstance(entry, dict), source, place, "chaque base légale a « ref » et « point »")
        ref = entry.get("ref")
        _need(ref in references, source, place, f"référence juridique inconnue « {ref} »")
        basis.append(LegalBasis(ref, str(entry.get("point") or "")))
    return tuple(basis)


def _parse_time(value):
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        return None


def _parameter(data, source, place):
    _need(isinstance(data, dict), source, place, "doit décrire un paramètre")
    kind = data.get("type")
    _need(
        kind in PARAMETER_TYPES,
        source,
        place,
        f"« type » doit être l'un de : {', '.join(sorted(PARAMETER_TYPES))}",
    )
    default = data.get("default")
    if kind == "int":
        low, high = data.get("min"), data.get("max")
        _need(
            isinstance(low, int) and isinstance(high, int) and low <= high,
            source,
            place,
            "min et max entiers",
        )
        _need(
            isinstance(default, int) and low <= default <= high,
            source,
            place,
            "valeur par défaut hors bornes",
        )
    else:
        low = high = None
        _need(_parse_time(default) is not None, source, place, "heure par défaut au format HH:MM")
        default = str(default)
    return Parameter(
        id=_identifier(data.get("id"), source, place),
        label=_text(data, "label", source, place),
        type=kind,
        default=default,
        help=_text(data, "help", source, place, required=False),
        minimum=low,
        maximum=high,
        unit=_text(data, "unit", source, place, required=False),
        at_most=data.get("at_most") or "",
        after=data.get("after") or "",
    )


def parse_library(data, *, source):
    _need(isinstance(data, dict), source, "racine", "« parameters » et « slots » attendus")
    parameters = {}
    for position, entry in enumerate(data.get("parameters") or [], start=1):
        parameter = _parameter(entry, source, f"paramètre {position}")
        _need(parameter.id not in parameters, source, f"paramètre {position}", "identifiant en double")
        parameters[parameter.id] = parameter
    for parameter in parameters.values():
        place = f"paramètre « {parameter.id} »"
        if parameter.at_most:
            other = parameters.get(parameter.at_most)
            _need(
                other is not None and other.type == "int",
                source,
                place,
                "« at_most » doit nommer un paramètre entier",
            )
        if parameter.after:
            other = parameters.get(parameter.after)
            _need(
                other is not None and other.type == "time", source, place, "« after » doit nommer une heure"
            )
    slots = {}
    entries = data.get("slots")
    _need(isinstance(entries, list) and entries, source, "slots", "au moins une rubrique")
    for position, entry in enumerate(entries, start=1):
        place = f"rubrique {position}"
        _need(isinstance(entry, dict), source, place, "doit décrire une rubrique")
        slot_id = _identifier(entry.get("id"), source, place)
        _need(slot_id not in slots, source, place, f"rubrique « {slot_id} » en double")
        slots[slot_id] = Slot(
            id=slot_id,
            label=_text(entry, "label", source, place),
            mandatory=bool(entry.get("mandatory")),
            basis=_basis(entry.get("legal"), source, place),
            number=position,
        )
    return parameters, slots


def parse_clauses(data, *, source, parameters, slots):
    _need(
        isinstance(data, dict) and isinstance(data.get("clauses"), list),
        source,
        "racine",
        "liste « clauses » attendue",
    )
    clauses = []
    for position, entry in enumerate(data["clauses"], start=1):
        place = f"clause {position}"
        _need(isinstance(entry, dict), source, place, "doit décrire une clause")
        clause_id = _identifier(entry.get("id"), source, place)
        place = f"clause « {clause_id} »"
        slot = entry.get("slot")
        _need(slot in slots, source, place, f"rubrique inconnue « {slot} »")
        covers = entry.get("covers") or []
        _need(isinstance(covers, list), source, place, "« covers » doit être une liste de rubriques")
        for other in covers:
            _need(other in slots, source, place, f"rubrique couverte inconnue « {other} »")
        condition = entry.get("condition") or ""
        _need(not condition or condition in CONDITIONS, source, place, f"condition inconnue « {condition} »")
        wordings = []
        raw_wordings = entry.get("wordings")
        _need(
            isinstance(raw_wordings, list) and 1 <= len(raw_wordings) <= 3,
            source,
            place,
            "une à trois rédactions (« wordings »)",
        )
        for number, raw in enumerate(raw_wordings, start=1):
            wording_place = f"{place}, rédaction {number}"
            _need(isinstance(raw, dict), source, wording_place, "doit avoir id, label, text, review")
            review = raw.get("review") or "non-relu"
            _need(review in REVIEW_STATUSES, source, wording_place, "« review » doit être non-relu ou relu")
            reviewed_on = raw.get("reviewed_on")
            if review == "relu":
                _need(
                    isinstance(reviewed_on, datetime.date),
                    source,
                    wording_place,
                    "date de relecture manquante",
                )
            wording = Wording(
                id=_identifier(raw.get("id"), source, wording_place),
                label=_text(raw, "label", source, wording_place),
                text=_paragraphs(_text(raw, "text", source, wording_place)),
                review=review,
                reviewed_by=_text(raw, "reviewed_by", source, wording_place, required=review == "relu"),
                reviewed_on=reviewed_on,
            )
            try:
                unknown = wording.placeholders - set(parameters)
            except ValueError as error:
                raise LibraryError(f"{source}, {wording_place} : accolades mal formées ({error})") from None
            _need(
                not unknown,
                source,
                wording_place,
                f"paramètre inconnu « {sorted(unknown)[0] if unknown else ''} »",
            )
            _need(
                wording.id not in {w.id for w in wordings},
                source,
                wording_place,
                "identifiant de rédaction en double",
            )
            wordings.append(wording)
        clauses.append(
            Clause(
                id=clause_id,
                slot=slot,
                covers=tuple(dict.fromkeys([slot, *covers])),
                title=_text(entry, "title", source, place),
                explanation=_text(entry, "explanation", source, place),
                basis=_basis(entry.get("legal"), source, place),
                fiche=_identifier(entry.get("fiche"), source, place, "fiche") if entry.get("fiche") else "",
                condition=condition,
                wordings=tuple(wordings),
                source=source,
            )
        )
    return clauses


def build_library(directory=LIBRARY_DIR):
    library_file = directory / "library.yaml"
    library_data = read_yaml(library_file)
    parameters, slots = parse_library(library_data, source=library_file.name)
    clauses = {}
    raw = {"library": library_data, "clauses": {}}
    for path in sorted((directory / "clauses").glob("*.yaml")):
        data = read_yaml(path)
        raw["clauses"][path.name] = data
        for clause in parse_clauses(data, source=path.name, parameters=parameters, slots=slots):
            _need(
                clause.id not in clauses,
                path.name,
                f"clause « {clause.id} »",
                "identifiant déjà utilisé ailleurs",
            )
            clauses[clause.id] = clause
    for slot in slots.values():
        if slot.mandatory:
            _need(
                any(slot.id in clause.covers for clause in clauses.values()),
                library_file.name,
                f"rubrique « {slot.id} »",
                "aucune clause ne couvre cette rubrique obligatoire",
            )
    return Library(parameters, slots, clauses, content_hash(_jsonable(raw)))


def _jsonable(value):
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


@cache
def get_library():
    return build_library()
