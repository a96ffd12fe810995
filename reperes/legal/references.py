"""Legal references as data: reading and validating references.yaml.

`get_references()` returns the references by id (cached per process); a file problem raises
LegalError naming the file, the place and the problem, in French. Dated parameters (the telework
allowance) are looked up with `parameters_on(reference_id, day)`.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from reperes.lib.content import Checks, ContentError, read_yaml

REFERENCES_FILE = Path(__file__).parent / "references.yaml"
KINDS = {"code": "Code du travail", "accord": "Accord collectif", "parametre": "Barème"}
IDENTIFIER_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
# The notice closing every document Repères drafts (the charter, the usage charter), after the
# references it cites.
NOT_LEGAL_ADVICE = (
    "Ce document a été préparé avec Repères, à partir de rédactions proposées par le projet. Il ne "
    "constitue pas un conseil juridique : faites-le relire par un·e juriste, votre fédération ou votre "
    "OPCO avant de l'adopter."
)


class LegalError(ContentError):
    pass


_checks = Checks(LegalError, collapse_spaces=True)
_need, _text = _checks.need, _checks.text


@dataclass(frozen=True)
class Amendment:
    date: datetime.date
    note: str


@dataclass(frozen=True)
class DatedParameters:
    valid_from: datetime.date
    values: dict
    source: str


@dataclass(frozen=True)
class LegalReference:
    id: str
    label: str
    kind: str
    summary: str
    version_date: datetime.date
    url: str
    scope_note: str = ""
    amendments: tuple = field(default=())
    parameters: tuple = field(default=())

    def parameters_on(self, day):
        """The parameters in force on `day`, or None before the first known scale."""
        known = [entry for entry in self.parameters if entry.valid_from <= day]
        return known[-1] if known else None


def _date(data, key, source, place):
    value = data.get(key)
    _need(isinstance(value, datetime.date), source, place, f"« {key} » doit être une date AAAA-MM-JJ")
    return value


def _parameters(entries, source, place):
    _need(isinstance(entries, list), source, place, "« parameters » doit être une liste")
    parsed = []
    for position, entry in enumerate(entries, start=1):
        entry_place = f"{place}, barème {position}"
        _need(isinstance(entry, dict), source, entry_place, "doit avoir valid_from et des montants")
        valid_from = _date(entry, "valid_from", source, entry_place)
        values = {}
        for key, value in entry.items():
            if key in ("valid_from", "source"):
                continue
            try:
                values[key] = Decimal(str(value))
            except InvalidOperation:
                raise LegalError(f"{source}, {entry_place} : « {key} » doit être un montant") from None
        _need(values, source, entry_place, "aucun montant")
        parsed.append(DatedParameters(valid_from, values, _text(entry, "source", source, entry_place)))
    dates = [entry.valid_from for entry in parsed]
    _need(
        dates == sorted(set(dates)),
        source,
        place,
        "les barèmes doivent être datés dans l'ordre, sans doublon",
    )
    return tuple(parsed)


def parse_references(data, *, source):
    _need(
        isinstance(data, dict) and isinstance(data.get("references"), list),
        source,
        "racine",
        "liste « references » attendue",
    )
    references = {}
    for position, entry in enumerate(data["references"], start=1):
        place = f"référence {position}"
        _need(isinstance(entry, dict), source, place, "doit décrire une référence")
        ref_id = entry.get("id")
        _need(
            isinstance(ref_id, str) and ref_id and set(ref_id) <= IDENTIFIER_CHARS,
            source,
            place,
            f"identifiant invalide {ref_id!r}",
        )
        place = f"référence « {ref_id} »"
        _need(ref_id not in references, source, place, "identifiant en double")
        kind = entry.get("kind")
        _need(kind in KINDS, source, place, f"« kind » doit être l'un de : {', '.join(KINDS)}")
        url = _text(entry, "url", source, place)
        _need(url.startswith("https://"), source, place, "le lien doit commencer par https://")
        amendments = []
        for amendment in entry.get("amendments") or []:
            _need(isinstance(amendment, dict), source, place, "chaque modification a une date et une note")
            amendments.append(
                Amendment(_date(amendment, "date", source, place), _text(amendment, "note", source, place))
            )
        references[ref_id] = LegalReference(
            id=ref_id,
            label=_text(entry, "label", source, place),
            kind=kind,
            summary=_text(entry, "summary", source, place),
            version_date=_date(entry, "version_date", source, place),
            url=url,
            scope_note=_text(entry, "scope_note", source, place, required=False),
            amendments=tuple(amendments),
            parameters=_parameters(entry["parameters"], source, place) if "parameters" in entry else (),
        )
    return references


@cache
def get_references(path=REFERENCES_FILE):
    return parse_references(read_yaml(path), source=path.name)


def cited(ids):
    """The references for `ids`, in the order given, without duplicates."""
    known = get_references()
    return [known[ref_id] for ref_id in dict.fromkeys(ids)]
