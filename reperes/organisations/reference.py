"""Reference lists (legal forms, regions, size bands, sectors, OPCOs) from data/reference.yaml.

The database stores codes; labels come from the file, so a network can reword or extend the lists
without touching code. The file is read once per process and checked on load.
"""

from functools import cache
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

REFERENCE_FILE = Path(__file__).parent / "data" / "reference.yaml"
LISTS = ("legal_forms", "regions", "size_bands", "sectors", "opcos")


class ReferenceError(Exception):
    pass


def parse_reference(text, *, source="reference.yaml"):
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ReferenceError(f"{source} : le fichier doit contenir des listes nommées.")
    for name in LISTS:
        entries = data.get(name)
        if not isinstance(entries, list) or not entries:
            raise ReferenceError(f"{source} : la liste « {name} » manque ou est vide.")
        seen = set()
        for position, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not entry.get("code") or not entry.get("label"):
                raise ReferenceError(
                    f"{source}, {name}, entrée {position} : « code » et « label » sont obligatoires."
                )
            code = str(entry["code"])
            if code in seen:
                raise ReferenceError(f"{source}, {name} : le code « {code} » est en double.")
            seen.add(code)
            entry["code"] = code
    bands = data["size_bands"]
    for entry in bands:
        if not isinstance(entry.get("min"), int):
            raise ReferenceError(f"{source}, size_bands : « min » manque pour « {entry['code']} ».")
    return {name: data[name] for name in LISTS}


@cache
def reference():
    return parse_reference(REFERENCE_FILE.read_text(encoding="utf-8"), source=str(REFERENCE_FILE))


def choices(name):
    return [(entry["code"], entry["label"]) for entry in reference()[name]]


def label(name, code):
    for entry in reference()[name]:
        if entry["code"] == code:
            return entry["label"]
    return ""


def size_band(headcount):
    """The size band entry a headcount falls in, or None for a headcount below every band."""
    for entry in reference()["size_bands"]:
        if entry["min"] <= headcount and ("max" not in entry or headcount <= entry["max"]):
            return entry
    return None


def check_code(name, code):
    """Raise ValidationError when a non-empty code is not in the named list."""
    if code and code not in dict(choices(name)):
        raise ValidationError("Cette valeur ne fait pas partie de la liste.", code="invalid_choice")
