"""The glossary of the programmes (content/glossary.yaml): the key terms the first workshop puts
into words, each with a short plain definition and the fiches that go further.

The file is checked when it is first read and by `manage.py load_content` (the programme loader
reads it to check the templates' glossary tools): a problem raises GlossaryError naming the file,
the place and the problem, in French. A term's `id` is its anchor on the glossary page.
"""

from dataclasses import dataclass, field
from functools import cache

from reperes.lib.content import Checks, ContentError, read_yaml
from reperes.programmes.definition import CONTENT_DIR, GLOSSARY_FILE_NAME, shipped_fiche_slugs

GLOSSARY_FILE = CONTENT_DIR / GLOSSARY_FILE_NAME
IDENTIFIER_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
TERM_KEYS = {"id", "term", "definition", "fiches"}


class GlossaryError(ContentError):
    pass


_checks = Checks(GlossaryError, collapse_spaces=True)
_need, _text = _checks.need, _checks.text


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    fiches: list = field(default_factory=list)


def parse_glossary(data, *, source, known_fiches=None):
    """The terms of a glossary file (its parsed YAML), validated. `known_fiches` defaults to the
    slugs of the shipped fiches."""
    known_fiches = shipped_fiche_slugs() if known_fiches is None else known_fiches
    _need(
        isinstance(data, dict) and set(data) == {"terms"},
        source,
        "racine",
        "le fichier doit contenir une seule clé, « terms », la liste des termes",
    )
    entries = data["terms"]
    _need(isinstance(entries, list) and entries, source, "terms", "au moins un terme est nécessaire")
    terms, seen = [], set()
    for position, entry in enumerate(entries, start=1):
        place = f"terms, terme {position}"
        _need(isinstance(entry, dict), source, place, "un terme a « id », « term » et « definition »")
        unknown = sorted(str(key) for key in entry if key not in TERM_KEYS)
        _need(
            not unknown,
            source,
            place,
            f"clé inconnue « {', '.join(unknown)} » (clés possibles : {', '.join(sorted(TERM_KEYS))})",
        )
        term_id = entry.get("id")
        _need(
            isinstance(term_id, str) and term_id and set(term_id) <= IDENTIFIER_CHARS,
            source,
            place,
            f"« id » doit être fait de minuscules, chiffres et tirets (reçu : {term_id!r})",
        )
        place = f"terms, terme {position} (« {term_id} »)"
        _need(term_id not in seen, source, place, f"identifiant « {term_id} » en double")
        seen.add(term_id)
        fiches = entry.get("fiches") or []
        _need(isinstance(fiches, list), source, place, "« fiches » doit être une liste de fiches")
        for fiche in fiches:
            _need(
                fiche in known_fiches,
                source,
                place,
                f"aucune fiche de reperes/fiches/content/ ne s'appelle « {fiche} »",
            )
        terms.append(
            Term(
                id=term_id,
                term=_text(entry, "term", source, place),
                definition=_text(entry, "definition", source, place),
                fiches=list(fiches),
            )
        )
    return terms


def read_glossary(path=GLOSSARY_FILE):
    try:
        data = read_yaml(path)
    except ContentError as error:
        raise GlossaryError(str(error)) from error
    return parse_glossary(data, source=path.name)


@cache
def terms():
    """The shipped glossary's terms, in the file's order (read once per process)."""
    return read_glossary()
