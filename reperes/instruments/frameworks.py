"""The frameworks of quality of working life (QVT) as a shared vocabulary: the six LAB'QVT
determinants and the Anact diagram (inputs, domains with their factors, effects), read from
definitions/frameworks.yaml.

A statement of a questionnaire and a fiche may name the entries they touch with tags
« framework code:entry id » (`labqvt:sante`, `anact:autonomie`); `known_tags()` is what
`parse_definition` checks them against, `label(tag)` what a page shows. A malformed file raises
DefinitionError naming the place and the problem, in French.
"""

from functools import cache

from reperes.instruments.definition import DEFINITIONS_DIR, DefinitionError, _identifier
from reperes.lib.content import Checks, ContentError, read_yaml

__all__ = ["FRAMEWORKS_FILE", "known_tags", "label", "load_frameworks", "parse_frameworks"]

FRAMEWORKS_FILE = DEFINITIONS_DIR / "frameworks.yaml"
SEPARATOR = ":"

_checks = Checks(DefinitionError, collapse_spaces=True)
_need, _text = _checks.need, _checks.text


def _entries(entries, code, seen, source, place, *, nested):
    """The entries of a group (or the factors of an entry), each with its tag; `seen` holds the
    ids already taken in the framework."""
    kind, one = ("facteur", "un facteur") if nested else ("entrée", "une entrée")
    _need(
        isinstance(entries, list) and entries,
        source,
        place,
        f"au moins {one} est nécessaire (id, label, description)",
    )
    normalised = []
    for position, entry in enumerate(entries, start=1):
        entry_place = f"{place}, {kind} {position}"
        _need(isinstance(entry, dict), source, entry_place, f"{one} a id, label et description")
        entry_id = _identifier(entry.get("id"), source, entry_place, "id")
        entry_place = f"{entry_place} (« {entry_id} »)"
        _need(
            entry_id not in seen,
            source,
            entry_place,
            f"identifiant « {entry_id} » déjà pris dans le référentiel « {code} »",
        )
        seen.add(entry_id)
        item = {
            "id": entry_id,
            "tag": f"{code}{SEPARATOR}{entry_id}",
            "label": _text(entry, "label", source, entry_place),
            "description": _text(entry, "description", source, entry_place),
        }
        if "factors" in entry:
            _need(not nested, source, entry_place, "un facteur n'a pas lui-même de facteurs")
            item["factors"] = _entries(entry["factors"], code, seen, source, entry_place, nested=True)
        normalised.append(item)
    return normalised


def parse_frameworks(data, *, source=FRAMEWORKS_FILE.name):
    """Validate the parsed YAML of a frameworks file and return its frameworks, normalised:
    [{code, title, description, source, groups: [{id, label, entries: [{id, tag, label,
    description, factors?}]}]}]."""
    _need(
        isinstance(data, dict) and isinstance(data.get("frameworks"), list) and data["frameworks"],
        source,
        "racine",
        "le fichier doit avoir une liste « frameworks » d'au moins un référentiel",
    )
    codes, frameworks = set(), []
    for position, framework in enumerate(data["frameworks"], start=1):
        place = f"référentiel {position}"
        _need(
            isinstance(framework, dict),
            source,
            place,
            "un référentiel a code, title, description, source et groups",
        )
        code = _identifier(framework.get("code"), source, place, "code")
        place = f"référentiel {position} (« {code} »)"
        _need(code not in codes, source, place, f"code de référentiel « {code} » en double")
        codes.add(code)
        groups = framework.get("groups")
        _need(isinstance(groups, list) and groups, source, place, "au moins un groupe est nécessaire")
        group_ids, entry_ids, normalised_groups = set(), set(), []
        for g_position, group in enumerate(groups, start=1):
            group_place = f"{place}, groupe {g_position}"
            _need(isinstance(group, dict), source, group_place, "un groupe a id, label et entries")
            group_id = _identifier(group.get("id"), source, group_place, "id")
            group_place = f"{group_place} (« {group_id} »)"
            _need(group_id not in group_ids, source, group_place, f"groupe « {group_id} » en double")
            group_ids.add(group_id)
            normalised_groups.append(
                {
                    "id": group_id,
                    "label": _text(group, "label", source, group_place),
                    "entries": _entries(
                        group.get("entries"), code, entry_ids, source, group_place, nested=False
                    ),
                }
            )
        frameworks.append(
            {
                "code": code,
                "title": _text(framework, "title", source, place),
                "description": _text(framework, "description", source, place),
                "source": _text(framework, "source", source, place),
                "groups": normalised_groups,
            }
        )
    return frameworks


@cache
def load_frameworks(path=FRAMEWORKS_FILE):
    """The frameworks of the file, parsed and checked once per process. Shared: read, never
    modify."""
    try:
        data = read_yaml(path)
    except ContentError as error:
        raise DefinitionError(str(error)) from error
    return tuple(parse_frameworks(data, source=path.name))


@cache
def _entries_by_tag():
    """{tag: entry} for every entry and factor of the shipped frameworks."""
    found = {}
    for framework in load_frameworks():
        for group in framework["groups"]:
            for entry in group["entries"]:
                found[entry["tag"]] = entry
                for factor in entry.get("factors", []):
                    found[factor["tag"]] = factor
    return found


@cache
def known_tags():
    """The tags a statement or a fiche may carry: frozenset({"labqvt:sante", …})."""
    return frozenset(_entries_by_tag())


def label(tag):
    """The French label of a tag. A tag the file no longer knows (kept by an older stored
    version of a questionnaire) is shown as it is rather than breaking the page."""
    entry = _entries_by_tag().get(tag)
    return entry["label"] if entry else tag


# The views a team's results are read through and authors tag actions and resources with: the
# six LAB'QVT determinants, then the five domains of the Anact diagram (their factors, inputs and
# outcomes are for statements, which are finer), with what one entry of each is called.
VIEWS = (("labqvt", "determinants", "Déterminant"), ("anact", "domains", "Domaine"))


def views():
    """[(framework, group, entry name)] of VIEWS, in their order."""
    found = []
    for code, group_id, entry_name in VIEWS:
        for framework in load_frameworks():
            if framework["code"] != code:
                continue
            found += [
                (framework, group, entry_name) for group in framework["groups"] if group["id"] == group_id
            ]
    return found


def entry_tags(entry):
    """The tags that count for `entry`: its own and its factors' (a domain gathers its factors)."""
    return {entry["tag"], *(factor["tag"] for factor in entry.get("factors", ()))}


def author_choices():
    """[(group label, [(tag, label), …]), …]: the grouped choices of a « déterminants » field."""
    return [
        (
            f"{framework['title']} — {group['label'].lower()}",
            [(entry["tag"], entry["label"]) for entry in group["entries"]],
        )
        for framework, group, _ in views()
    ]


def labels(tags):
    """The labels of `tags`, in their order."""
    return [label(tag) for tag in tags]


def determinants_of(items):
    """The author's tags (author_choices) that statements `items` touch, in the frameworks'
    order: a domain counts when a statement carries it or one of its factors. What an action
    born from a theme of a diagnostic starts tagged with."""
    carried = {tag for item in items for tag in item.get("determinants", ())}
    return [
        entry["tag"] for _, group, _ in views() for entry in group["entries"] if entry_tags(entry) & carried
    ]
