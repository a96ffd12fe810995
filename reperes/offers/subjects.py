"""The subjects an offer serves (subjects.yaml): a short vocabulary shared by the catalogue of
offers, the accompaniment requests (their five themes are the first five subjects) and the
results pages, which lead from a weak theme to the offers of its subjects.

The file is checked when it is first read and by `manage.py load_content`: a problem raises
SubjectsError naming the file, the place and the problem, in French. Each subject names the
questionnaire themes it answers as "<questionnaire slug>:<theme id>"; both must exist in
reperes/instruments/definitions/.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reperes.instruments.definition import definition_files
from reperes.lib.content import Checks, ContentError, read_yaml

__all__ = [
    "REQUEST_SUBJECTS",
    "Subject",
    "SubjectsError",
    "check_subjects",
    "known_themes",
    "parse_subjects",
    "subject_choices",
    "subject_codes",
    "subject_label",
    "subjects",
    "subjects_for_themes",
]

SUBJECTS_FILE = Path(__file__).parent / "subjects.yaml"
IDENTIFIER_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
SUBJECT_KEYS = {"code", "label", "themes"}
LABEL_MAX_LENGTH = 120

# The five themes of an accompaniment request (reperes/requests stores these codes).
REQUEST_SUBJECTS = ("activites", "pratiques", "hybride", "collectif", "charte")


class SubjectsError(ContentError):
    pass


_checks = Checks(SubjectsError, collapse_spaces=True)
_need, _text = _checks.need, _checks.text


@dataclass(frozen=True)
class Subject:
    code: str
    label: str
    themes: tuple = ()


def known_themes():
    """{questionnaire slug: {theme id}} of the shipped definition files."""
    themes = {}
    for path in definition_files():
        data = read_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("slug"), str):
            themes[data["slug"]] = frozenset(
                theme.get("id") for theme in data.get("themes") or [] if isinstance(theme, dict)
            )
    return themes


def parse_subjects(data, *, source, themes=None):
    """[Subject] of a subjects file (its parsed YAML), validated. `themes` defaults to
    known_themes()."""
    themes = known_themes() if themes is None else themes
    _need(
        isinstance(data, dict) and set(data) == {"subjects"},
        source,
        "racine",
        "le fichier doit contenir une seule clé, « subjects », la liste des sujets",
    )
    entries = data["subjects"]
    _need(isinstance(entries, list) and entries, source, "subjects", "au moins un sujet est nécessaire")
    parsed, seen = [], set()
    for position, entry in enumerate(entries, start=1):
        place = f"subjects, sujet {position}"
        _need(isinstance(entry, dict), source, place, "un sujet a « code », « label » et « themes »")
        unknown = sorted(str(key) for key in entry if key not in SUBJECT_KEYS)
        _need(
            not unknown,
            source,
            place,
            f"clé inconnue « {', '.join(unknown)} » (clés possibles : {', '.join(sorted(SUBJECT_KEYS))})",
        )
        code = entry.get("code")
        _need(
            isinstance(code, str) and code and set(code) <= IDENTIFIER_CHARS and len(code) <= 40,
            source,
            place,
            f"« code » doit être fait de minuscules, chiffres et tirets, 40 au plus (reçu : {code!r})",
        )
        place = f"subjects, sujet {position} (« {code} »)"
        _need(code not in seen, source, place, f"code « {code} » en double")
        seen.add(code)
        label = _text(entry, "label", source, place)
        _need(
            len(label) <= LABEL_MAX_LENGTH, source, place, f"« label » dépasse {LABEL_MAX_LENGTH} caractères"
        )
        refs = entry.get("themes") or []
        _need(
            isinstance(refs, list) and all(isinstance(ref, str) for ref in refs),
            source,
            place,
            "« themes » doit être une liste de « questionnaire:thème »",
        )
        for ref in refs:
            slug, _, theme = ref.partition(":")
            _need(
                slug in themes,
                source,
                place,
                f"« {ref} » : aucun questionnaire de reperes/instruments/definitions/ "
                f"ne s'appelle « {slug} »",
            )
            _need(
                theme in themes[slug],
                source,
                place,
                f"« {ref} » : le questionnaire « {slug} » n'a pas de thème « {theme} »",
            )
        _need(len(set(refs)) == len(refs), source, place, "un thème est cité deux fois")
        parsed.append(Subject(code=code, label=label, themes=tuple(refs)))
    for code in REQUEST_SUBJECTS:
        _need(
            code in seen,
            source,
            "subjects",
            f"le sujet « {code} » manque : c'est un thème des demandes d'accompagnement",
        )
    return parsed


@cache
def subjects():
    """Every subject, in the file's order (code, label, themes)."""
    try:
        data = read_yaml(SUBJECTS_FILE)
    except ContentError as error:
        raise SubjectsError(str(error)) from error
    return tuple(parse_subjects(data, source=SUBJECTS_FILE.name))


def check_subjects():
    """The content loader of `manage.py load_content`: checks the file, stores nothing."""
    subjects.cache_clear()
    return [(SUBJECTS_FILE.name, len(subjects()), False)]


def subject_codes():
    return [subject.code for subject in subjects()]


def subject_choices():
    return [(subject.code, subject.label) for subject in subjects()]


def subject_label(code):
    """The label of `code`, or "" for a code the file does not know (any longer)."""
    for subject in subjects():
        if subject.code == code:
            return subject.label
    return ""


def subjects_for_themes(refs):
    """The codes of the subjects that answer any of `refs` ("slug:theme" strings), in the
    file's order."""
    wanted = set(refs)
    return [subject.code for subject in subjects() if wanted.intersection(subject.themes)]
