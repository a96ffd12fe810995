"""Editing a draft's definition in the interface, as pure functions over the normalised dict
(the views build the changed definition from their forms, `actions.update_draft` stores it).

Every change is checked by `check`, with the rules an imported workbook meets: the names and
sizes the XLSForm export and the database keep (xlsform.MAX_*), no question that would make a
respondent recognisable, then `parse_definition` itself. A definition that passes is one the
export writes and the import reads back unchanged."""

import copy

from django.utils.text import slugify

from reperes.instruments.definition import DefinitionError, parse_definition
from reperes.instruments.frameworks import author_choices
from reperes.instruments.xlsform import IDENTIFYING, MAX_CELL, MAX_ID, MAX_ROWS, MAX_SLUG, MAX_TITLE, NAME

SOURCE = "brouillon"


class DraftInvalid(Exception):
    """What keeps a changed definition from being saved, in French."""


def check(definition):
    """The normalised `definition` (parse_definition's output), or DraftInvalid."""
    _check_caps(definition)
    scale = definition["scale"]
    # The normalised form writes an absent optional text as "": the file's form leaves it out.
    raw = {**_without_empty(definition), "scale": scale["code"]}
    try:
        return parse_definition(raw, source=SOURCE, scales={scale["code"]: scale})
    except DefinitionError as error:
        message = str(error).removeprefix(f"{SOURCE}, ")
        raise DraftInvalid(f"Ce changement n'est pas enregistré : {message}.") from error


def _without_empty(value):
    if isinstance(value, dict):
        return {key: _without_empty(item) for key, item in value.items() if item != ""}
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value


def _check_caps(definition):
    def refuse(message):
        raise DraftInvalid(f"Ce changement n'est pas enregistré : {message}.")

    if len(definition.get("title", "")) > MAX_TITLE:
        refuse(f"le titre dépasse {MAX_TITLE} caractères")
    if len(definition.get("slug", "")) > MAX_SLUG:
        refuse(f"l'identifiant dépasse {MAX_SLUG} caractères")
    themes = definition.get("themes") or []
    free_text = definition.get("free_text") or {}
    rows = sum(len(theme.get("items", [])) + 2 for theme in themes)
    rows += len(free_text.get("items", [])) + 2 if free_text else 0
    if rows >= MAX_ROWS:
        refuse(f"le questionnaire dépasserait {MAX_ROWS} lignes dans son classeur XLSForm")
    names = [theme.get("id", "") for theme in themes]
    names += [item.get("id", "") for theme in themes for item in theme.get("items", [])]
    names += [item.get("id", "") for item in free_text.get("items", [])]
    for name in names:
        if not NAME.match(name) or len(name) > MAX_ID:
            refuse(
                f"l'identifiant « {name} » doit commencer par une lettre et compter au plus "
                f"{MAX_ID} caractères"
            )
    for text in _texts(definition):
        if len(text) > MAX_CELL:
            refuse(f"un texte dépasse {MAX_CELL} caractères (« {text[:40]}… »)")
    questions = [item for theme in themes for item in theme.get("items", [])] + free_text.get("items", [])
    for item in questions:
        if IDENTIFYING.search(item.get("text", "")):
            refuse(
                f"« {item['text'][:80]} » porte sur la personne qui répond (âge, sexe, poste, service, "
                "ancienneté…) : dans une petite équipe, la réponse la ferait reconnaître. Les groupes de "
                "répondant·es du diagnostic, protégés par le seuil, servent à distinguer les résultats"
            )


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


# --- identifiers ----------------------------------------------------------------------------------


def _names(definition):
    themes = definition.get("themes", [])
    return (
        {theme["id"] for theme in themes}
        | {item["id"] for theme in themes for item in theme["items"]}
        | {item["id"] for item in (definition.get("free_text") or {}).get("items", [])}
    )


def _fresh(prefix, taken):
    prefix = prefix.strip("-")[: MAX_ID - 4] or "q"
    if not prefix[0].isalpha():
        prefix = f"q-{prefix}"[: MAX_ID - 4]
    number = 1
    while f"{prefix}-{number}" in taken:
        number += 1
    return f"{prefix}-{number}"


def new_item_id(definition, prefix, *, also_taken=()):
    """An id no statement, theme or open question of `definition` (nor of `also_taken`: the
    version the draft started from, so that a removed statement's id never comes back with
    another text) holds. Once given, it never changes."""
    return _fresh(prefix, _names(definition) | set(also_taken))


def new_theme_id(definition, title, *, also_taken=()):
    taken = _names(definition) | set(also_taken)
    wanted = slugify(title)[: MAX_ID - 4].strip("-")
    if wanted and wanted[0].isalpha() and wanted not in taken:
        return wanted
    return _fresh(wanted or "theme", taken)


def names_of(definition):
    """Every id `definition` holds (for new_item_id's `also_taken`)."""
    return _names(definition) if definition else set()


# --- changes --------------------------------------------------------------------------------------


def moved(entries, index, direction):
    """A copy of `entries` with the one at `index` one place up (-1) or down (+1)."""
    entries = list(entries)
    other = index + direction
    if 0 <= index < len(entries) and 0 <= other < len(entries):
        entries[index], entries[other] = entries[other], entries[index]
    return entries


def removed(entries, index):
    return [entry for position, entry in enumerate(entries) if position != index]


def author_tags():
    """The tags an author ticks (the grouped choices of frameworks.author_choices)."""
    return {tag for _, choices in author_choices() for tag, _ in choices}


def with_tags(item, ticked):
    """`item` tagged with the ticked author tags, keeping (in their place) the finer tags an
    author does not tick here (a factor of the Anact diagram carried by a shipped statement)."""
    kept = [tag for tag in item.get("determinants", []) if tag not in author_tags()]
    tags = list(dict.fromkeys([*ticked, *kept]))
    item = {key: value for key, value in item.items() if key != "determinants"}
    if tags:
        item["determinants"] = tags
    return item


def replace_theme(definition, theme_id, theme):
    definition = copy.deepcopy(definition)
    definition["themes"] = [theme if entry["id"] == theme_id else entry for entry in definition["themes"]]
    return definition


def fiche_choices():
    """[(slug, title)] of the shipped fiches a theme may lead to, by title (read as files, as
    definition.shipped_fiche_slugs does: fiches is a sibling app)."""
    from reperes.instruments.definition import FICHES_DIR
    from reperes.lib.content import read_yaml

    found = []
    for path in sorted(FICHES_DIR.glob("*.yaml")):
        found.append((path.stem, str(read_yaml(path).get("title") or path.stem)))
    return sorted(found, key=lambda choice: choice[1])
