"""Fiche files: parsing and validating them. A problem raises FicheError naming the file, the
place and the problem, in French.

A fiche belongs to a collection (`guide` by default, or `teletravail`) and is numbered within
it. In the guide, each fiche is a questionnaire theme and each of its questions names the
statement (`item`) it discusses; elsewhere `theme` and `item` may be left out. `references`
lists ids of legal references (reperes.legal) that the page shows as « Textes de référence ».
`determinants` lists the entries of the QVT frameworks the fiche deals with, as tags
« framework:entry » (`labqvt:sante`, `anact:autonomie`). The frameworks belong to the
questionnaires (reperes/instruments/definitions/frameworks.yaml), a sibling app that fiches does
not import: the parser checks the tags' form, and which tags exist when given `known_determinants`
(tests/fiches checks every shipped fiche against the frameworks file)."""

from pathlib import Path

from reperes.fiches.models import Collection
from reperes.legal.references import get_references
from reperes.lib.content import Checks, ContentError

CONTENT_DIR = Path(__file__).parent / "content"
IDENTIFIER_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
# Ids the page already uses for its sections: a step anchor must not take one of them.
SECTION_ANCHORS = {
    "contexte",
    "enjeux",
    "opportunites-risques",
    "questions",
    "agir",
    "etapes",
    "exemple",
    "lectures",
    "textes-de-reference",
}


class FicheError(ContentError):
    pass


_checks = Checks(FicheError)
_need, _text = _checks.need, _checks.text


def _identifier(value, source, place):
    _need(
        isinstance(value, str) and value and set(value) <= IDENTIFIER_CHARS,
        source,
        place,
        f"identifiant invalide {value!r} (minuscules, chiffres et tirets)",
    )
    return value


def _strings(data, key, source):
    values = data.get(key) or []
    _need(isinstance(values, list), source, key, "doit être une liste")
    for position, value in enumerate(values, start=1):
        _need(isinstance(value, str) and value.strip(), source, f"{key}, entrée {position}", "texte vide")
    return [value.strip() for value in values]


def _references(data, source, known_references):
    ids = data.get("references") or []
    _need(isinstance(ids, list), source, "references", "doit être une liste d'identifiants")
    if ids and known_references is None:
        known_references = get_references()
    seen = set()
    for position, reference in enumerate(ids, start=1):
        place = f"references, entrée {position}"
        _identifier(reference, source, place)
        _need(
            reference in known_references,
            source,
            place,
            f"référence juridique inconnue « {reference} » (voir reperes/legal)",
        )
        _need(reference not in seen, source, place, f"référence « {reference} » en double")
        seen.add(reference)
    return list(ids)


def _determinants(data, source, known_determinants):
    tags = data.get("determinants")
    if tags is None:
        return []
    _need(
        isinstance(tags, list),
        source,
        "determinants",
        "doit être une liste de déterminants (par exemple [labqvt:sante])",
    )
    seen = set()
    for position, tag in enumerate(tags, start=1):
        place = f"determinants, entrée {position}"
        framework, _, entry = tag.partition(":") if isinstance(tag, str) else ("", "", "")
        _need(
            framework and entry and set(framework + entry) <= IDENTIFIER_CHARS,
            source,
            place,
            f"déterminant invalide {tag!r} (« référentiel:entrée », par exemple labqvt:sante)",
        )
        _need(
            known_determinants is None or tag in known_determinants,
            source,
            place,
            f"déterminant inconnu « {tag} » (voir reperes/instruments/definitions/frameworks.yaml)",
        )
        _need(tag not in seen, source, place, f"déterminant « {tag} » en double")
        seen.add(tag)
    return list(tags)


def _questions(data, source, *, item_required):
    questions = data.get("questions")
    _need(
        isinstance(questions, list) and questions, source, "questions", "au moins une question est nécessaire"
    )
    seen_items = set()
    normalised = []
    for position, question in enumerate(questions, start=1):
        place = f"questions, question {position}"
        _need(isinstance(question, dict), source, place, "doit avoir « item » et « text »")
        item = question.get("item")
        if item is None and not item_required:
            item = ""
        else:
            item = _identifier(item, source, place)
            _need(item not in seen_items, source, place, f"affirmation « {item} » en double")
            seen_items.add(item)
        normalised.append({"item": item, "text": _text(question, "text", source, place)})
    return normalised


def _steps(data, source):
    steps, seen_anchors = [], set()
    for position, step in enumerate(data.get("steps") or [], start=1):
        place = f"steps, étape {position}"
        _need(isinstance(step, dict), source, place, "doit avoir « title » et « text »")
        anchor = step.get("anchor")
        if anchor is None:
            anchor = f"etape-{position}"
        else:
            _identifier(anchor, source, place)
            _need(
                anchor not in SECTION_ANCHORS and not anchor.startswith(("etape-", "question-")),
                source,
                place,
                f"l'ancre « {anchor} » est réservée à la page",
            )
        _need(anchor not in seen_anchors, source, place, f"ancre « {anchor} » en double")
        seen_anchors.add(anchor)
        steps.append(
            {
                "title": _text(step, "title", source, place),
                "text": _text(step, "text", source, place),
                "anchor": anchor,
            }
        )
    return steps


def parse_fiche(data, *, source, known_references=None, known_determinants=None):
    """The normalised content of one fiche file. `known_references` (id → reference) defaults
    to reperes.legal's list; `known_determinants` (tags), when given, is what `determinants` may
    name."""
    _need(isinstance(data, dict), source, "racine", "le fichier doit décrire une fiche")
    collection = data.get("collection", Collection.GUIDE.value)
    _need(
        collection in Collection.values,
        source,
        "collection",
        f"collection inconnue {collection!r} (possibles : {', '.join(Collection.values)})",
    )
    in_guide = collection == Collection.GUIDE
    number = data.get("number")
    _need(isinstance(number, int) and number > 0, source, "number", "numéro de fiche invalide")
    theme = data.get("theme")
    theme = _identifier(theme, source, "theme") if (in_guide or theme is not None) else ""
    questions = _questions(data, source, item_required=in_guide)
    steps = _steps(data, source)
    example = data.get("example")
    if example is not None:
        _need(isinstance(example, dict), source, "example", "doit avoir « organisation » et « text »")
        example = {
            "organisation": _text(example, "organisation", source, "example"),
            "text": _text(example, "text", source, "example"),
        }
    reading = []
    for position, entry in enumerate(data.get("reading") or [], start=1):
        place = f"reading, entrée {position}"
        _need(isinstance(entry, dict), source, place, "doit avoir au moins « title »")
        url = entry.get("url") or ""
        _need(
            not url or url.startswith(("http://", "https://")),
            source,
            place,
            "l'adresse doit commencer par http",
        )
        reading.append(
            {
                "title": _text(entry, "title", source, place),
                "publisher": _text(entry, "publisher", source, place, required=False),
                "url": url,
                "year": str(entry.get("year") or ""),
            }
        )
    content = {
        "slug": _identifier(data.get("slug"), source, "slug"),
        "collection": collection,
        "theme": theme,
        "number": number,
        "title": _text(data, "title", source, "title"),
        "summary": _text(data, "summary", source, "summary", required=False),
        "context": _text(data, "context", source, "context"),
        "stakes": _text(data, "stakes", source, "stakes", required=False),
        "opportunities": _strings(data, "opportunities", source),
        "risks": _strings(data, "risks", source),
        "questions": questions,
        "how_to_act": _text(data, "how_to_act", source, "how_to_act"),
        "steps": steps,
        "example": example,
        "reading": reading,
        "references": _references(data, source, known_references),
    }
    determinants = _determinants(data, source, known_determinants)
    if determinants:  # absent when untagged, as in a questionnaire's statements
        content["determinants"] = determinants
    return content


def fiche_files(directory=CONTENT_DIR):
    return sorted(directory.glob("*.yaml"))
