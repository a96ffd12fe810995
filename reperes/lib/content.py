"""Reading and fingerprinting content files (questionnaires, fiches)."""

import copy
import hashlib
import json
from functools import lru_cache

import yaml
from django.db import transaction


class ContentError(Exception):
    """A content file is refused: the message names the file, the place and the problem."""


class Checks:
    """The checks every content parser makes, raising its own ContentError subclass with
    « file, place : problem ». `collapse_spaces` joins a text's lines into one (labels);
    otherwise only the ends are stripped (Markdown keeps its line breaks)."""

    def __init__(self, error, *, collapse_spaces=False):
        self.error = error
        self.collapse_spaces = collapse_spaces

    def need(self, condition, source, place, problem):
        if not condition:
            raise self.error(f"{source}, {place} : {problem}")

    def text(self, data, key, source, place, *, required=True):
        value = data.get(key)
        if value is None and not required:
            return ""
        self.need(
            isinstance(value, str) and value.strip(), source, place, f"« {key} » doit être un texte non vide"
        )
        return " ".join(value.split()) if self.collapse_spaces else value.strip()


def read_yaml(path):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(f"{path.name} : enregistrez le fichier en UTF-8 ({error.reason})") from error
    return parse_yaml(text, source=path.name)


# libyaml's parser when PyYAML was built with it (the wheels are), the pure-Python one otherwise:
# the same safe constructors, several times faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=256)
def _parsed(text):
    return yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader: SafeLoader or its C twin)


def parse_yaml(text, *, source):
    """The data of a YAML text. The content files are read again by each `load_content` (and by
    many tests): the same text is parsed once per process, and each caller gets its own copy."""
    try:
        return copy.deepcopy(_parsed(text))
    except yaml.YAMLError as error:
        raise ContentError(f"{source} : YAML illisible ({error})") from error


def content_hash(data):
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def store_if_changed(versions, data, **fields):
    """Add `data` to `versions` (a related manager of immutable versions numbered 1, 2…) unless
    the latest version holds the same content. A file put back to an earlier text becomes the
    latest version again. Returns (version, created)."""
    digest = content_hash(data)
    latest = versions.order_by("-number").first()
    if latest and latest.content_hash == digest:
        return latest, False
    number = (latest.number + 1) if latest else 1
    return versions.create(number=number, content_hash=digest, **fields), True


def parse_files(paths, parse, *, error):
    """[(file name, parsed item)] for every file, in order, validated before anything is stored.
    `parse(data, source=…)` checks one file; `error` is the loader's ContentError subclass. Two
    files with the same slug are refused."""
    parsed, seen = [], {}
    for path in paths:
        try:
            data = read_yaml(path)
        except ContentError as failure:
            raise error(str(failure)) from failure
        item = parse(data, source=path.name)
        if item["slug"] in seen:
            raise error(f"{path.name}, slug : « {item['slug']} » est déjà utilisé par {seen[item['slug']]}")
        seen[item["slug"]] = path.name
        parsed.append((path.name, item))
    return parsed


def store_all(parsed, store):
    """Store every parsed item with `store(source, item)`, which returns (slug, version number,
    created): all or nothing. The report of every loader of `manage.py load_content`."""
    with transaction.atomic():
        return [store(source, item) for source, item in parsed]
