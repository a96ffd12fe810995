"""Programme templates (« parcours d'accompagnement »): parsing and validating their files, and
reading the stored content through frozen dataclasses.

A template file (YAML, in content/) describes a programme as a network runs it: what it is for
and for whom, who enrols (an organisation, or a pair of two named roles), who may apply
(`eligibility`), its numbered sessions with their duration, format, objectives, contents,
speakers, the Repères tools they use and the intersession work that follows each, and when and
how the organisation reviews what moved (`review`).

`parse_programme` checks one file and returns a plain dict, normalised with every key present,
ready to be stored as an immutable version; any problem raises ProgrammeError naming the file,
the place and the problem, in French. `ProgrammeSpec.from_content` reads a stored dict back.

`eligibility.max_employees` is the largest number of employees accepted: 49 for a programme
« for organisations under 50 employees ».
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reperes.fiches.definition import fiche_files
from reperes.instruments.definition import ORGANISATION_USE, definition_files
from reperes.lib.content import Checks, ContentError, read_yaml
from reperes.organisations import reference
from reperes.programmes.models import Participant, Workshop

CONTENT_DIR = Path(__file__).parent / "content"
GLOSSARY_FILE_NAME = "glossary.yaml"
IDENTIFIER_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")

ENROLMENTS = {
    "organisation": "Une structure, avec une ou plusieurs personnes",
    "pair": "Un binôme par structure",
}
PAIR_ROLES = Participant.PairRole.values
MAX_PARTICIPANTS = 4
SESSION_FORMATS = Workshop.Format.values
DATE_HINTS = Workshop.Precision.values
MIN_SESSION_MINUTES = 30
MAX_SESSION_MINUTES = 480  # a full day of eight hours
MAX_REVIEW_MONTHS = 24
INTERSESSION_KINDS = {
    "work": "Un travail à rendre",
    "questions": "Des questions pour l'expert·e de l'atelier suivant",
    "none": "Rien à rendre",
}
TOOL_KINDS = {
    "questionnaire": "Questionnaire",
    "maturity": "Autodiagnostic de la structure",
    "fiche": "Fiche",
    "exercise": "Exercice",
    "glossary": "Glossaire",
}
UNKNOWN_TOOL = {
    "questionnaire": "aucun questionnaire de reperes/instruments/definitions/ ne s'appelle",
    "maturity": "aucun autodiagnostic de structure (« use: organisation ») ne s'appelle",
    "fiche": "aucune fiche de reperes/fiches/content/ ne s'appelle",
    "exercise": "exercice inconnu",
    "glossary": "terme absent du glossaire (content/glossary.yaml)",
}
# The collective exercises of Repères a session may use: slug → (label, route name).
EXERCISES = {
    "activites-teletravaillables": ("Inventaire des activités télétravaillables", "telework:inventory"),
    "circulation-information": ("Schéma de circulation de l'information", "telework:diagram"),
    "usages-numeriques": ("Règles d'usage des outils numériques", "telework:usage_rules"),
    "charte-teletravail": ("Charte ou accord de télétravail", "charters:list"),
}

TOP_KEYS = {
    "slug",
    "title",
    "aim",
    "audience",
    "origin",
    "enrolment",
    "pair_roles",
    "max_participants",
    "eligibility",
    "sessions",
    "review",
    "equality_note",
}
ELIGIBILITY_KEYS = {
    "max_employees",
    "opcos",
    "regions",
    "network_members_only",
    "management_commitment",
    "note",
}
SESSION_KEYS = {
    "number",
    "title",
    "duration_minutes",
    "format",
    "date_hint",
    "objectives",
    "content",
    "speakers",
    "tools",
    "intersession",
    "is_review",
}
TOOL_KEYS = {"kind", "slug", "label"}
INTERSESSION_KEYS = {"title", "task", "kind"}
REVIEW_KEYS = {"after_months", "questionnaire", "text"}


class ProgrammeError(ContentError):
    pass


_checks = Checks(ProgrammeError)
_need, _text = _checks.need, _checks.text


# the shipped content a template may point at


@cache
def shipped_questionnaire_slugs():
    """The slugs of the questionnaire files in reperes/instruments/definitions/ that a team
    answers in a campaign (not the organisation's self-diagnostics: see shipped_maturity_slugs;
    nor the surveys a network sends its members itself, in the surveys app)."""
    return frozenset(_slugs(definition_files(), exclude_use=(ORGANISATION_USE, "network")))


@cache
def shipped_maturity_slugs():
    """The self-diagnostics an organisation answers about itself (« use: organisation »), which a
    session shows as a link to the organisation's maturity pages."""
    return frozenset(_slugs(definition_files(), only_use=ORGANISATION_USE))


@cache
def shipped_fiche_slugs():
    """The slugs of the fiche files in reperes/fiches/content/."""
    return frozenset(_slugs(fiche_files()))


def _slugs(paths, *, exclude_use=(), only_use=None):
    slugs = set()
    for path in paths:
        data = read_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("slug"), str):
            use = data.get("use", "team")
            if use not in (exclude_use or ()) and (only_use is None or use == only_use):
                slugs.add(data["slug"])
    return slugs


def shipped_tools():
    """{tool kind: the slugs a template may name}. Reading the glossary checks it."""
    from reperes.programmes.glossary import terms  # the glossary reads fiche slugs from here

    return {
        "questionnaire": shipped_questionnaire_slugs(),
        "maturity": shipped_maturity_slugs(),
        "fiche": shipped_fiche_slugs(),
        "exercise": frozenset(EXERCISES),
        "glossary": frozenset(term.id for term in terms()),
    }


def programme_files(directory=CONTENT_DIR):
    return sorted(path for path in directory.glob("*.yaml") if path.name != GLOSSARY_FILE_NAME)


# checks


def _only_keys(data, allowed, source, place):
    unknown = sorted(str(key) for key in data if key not in allowed)
    _need(
        not unknown,
        source,
        place,
        f"clé inconnue « {', '.join(unknown)} » (clés possibles : {', '.join(sorted(allowed))})",
    )


def _mapping(value, source, place, what):
    _need(isinstance(value, dict), source, place, f"doit être un ensemble de clés ({what})")
    return value


def _identifier(value, source, place, key="slug"):
    _need(
        isinstance(value, str) and value and set(value) <= IDENTIFIER_CHARS,
        source,
        place,
        f"« {key} » doit être fait de minuscules, chiffres et tirets (reçu : {value!r})",
    )
    return value


def _integer(data, key, source, place, *, low, high, required=True):
    value = data.get(key)
    if value is None and not required:
        return None
    _need(
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= high,
        source,
        place,
        f"« {key} » doit être un nombre entier de {low} à {high} (reçu : {value!r})",
    )
    return value


def _boolean(data, key, source, place):
    value = data.get(key, False)
    _need(isinstance(value, bool), source, place, f"« {key} » vaut true ou false (reçu : {value!r})")
    return value


def _choice(data, key, choices, source, place, *, required=True):
    value = data.get(key)
    if value is None and not required:
        return ""
    _need(
        value in choices,
        source,
        place,
        f"« {key} » inconnu {value!r} (possibles : {', '.join(choices)})",
    )
    return value


def _strings(data, key, source, place):
    values = data.get(key)
    if values is None:
        return []
    _need(isinstance(values, list), source, place, f"« {key} » doit être une liste de textes")
    for position, value in enumerate(values, start=1):
        _need(
            isinstance(value, str) and value.strip(),
            source,
            f"{place}, {key}, entrée {position}",
            "texte vide ou qui n'est pas un texte",
        )
    return [value.strip() for value in values]


def _codes(data, key, list_name, source, place):
    """A list of codes of one of the organisations' reference lists (OPCOs, regions)."""
    values = data.get(key)
    if values is None:
        return []
    _need(isinstance(values, list), source, place, f"« {key} » doit être une liste de codes")
    known = dict(reference.choices(list_name))
    codes = []
    for position, value in enumerate(values, start=1):
        code = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else value
        _need(
            code in known,
            source,
            f"{place}, {key}, entrée {position}",
            f"code inconnu {value!r} (codes possibles : {', '.join(known)})",
        )
        _need(code not in codes, source, f"{place}, {key}, entrée {position}", f"code « {code} » en double")
        codes.append(code)
    return codes


# parsing


def parse_programme(data, *, source, known_tools=None):
    """Validate one template (its parsed YAML) and return its normalised content.
    `known_tools` ({kind: slugs}) defaults to the shipped questionnaires, fiches, exercises and
    glossary terms."""
    _mapping(data, source, "racine", "le fichier doit décrire un parcours")
    _only_keys(data, TOP_KEYS, source, "racine")
    if known_tools is None:
        known_tools = shipped_tools()
    content = {
        "slug": _identifier(data.get("slug"), source, "slug"),
        "title": _text(data, "title", source, "title"),
        "aim": _text(data, "aim", source, "aim"),
        "audience": _text(data, "audience", source, "audience"),
        "origin": _text(data, "origin", source, "origin", required=False),
    }

    enrolment = _choice(data, "enrolment", list(ENROLMENTS), source, "enrolment")
    pair_roles = data.get("pair_roles") or []
    _need(isinstance(pair_roles, list), source, "pair_roles", "doit être une liste de rôles")
    if enrolment == "pair":
        _need(
            len(pair_roles) == 2 and len(set(pair_roles)) == 2 and set(pair_roles) <= set(PAIR_ROLES),
            source,
            "pair_roles",
            f"un binôme a deux rôles différents parmi {', '.join(PAIR_ROLES)} (reçu : {pair_roles!r})",
        )
    else:
        _need(
            not pair_roles,
            source,
            "pair_roles",
            "seul un parcours en binôme (« enrolment: pair ») a des rôles",
        )
    max_participants = _integer(
        data, "max_participants", source, "max_participants", low=1, high=MAX_PARTICIPANTS
    )
    _need(
        enrolment != "pair" or max_participants >= 2,
        source,
        "max_participants",
        "un binôme compte au moins deux personnes",
    )

    return content | {
        "enrolment": enrolment,
        "pair_roles": list(pair_roles),
        "max_participants": max_participants,
        "eligibility": _eligibility(data.get("eligibility"), source),
        "sessions": _sessions(data.get("sessions"), source, known_tools),
        "review": _review(data.get("review"), source, known_tools),
        "equality_note": _text(data, "equality_note", source, "equality_note", required=False),
    }


def _eligibility(data, source):
    place = "eligibility"
    data = _mapping({} if data is None else data, source, place, "qui peut candidater")
    _only_keys(data, ELIGIBILITY_KEYS, source, place)
    return {
        "max_employees": _integer(data, "max_employees", source, place, low=1, high=100_000, required=False),
        "opcos": _codes(data, "opcos", "opcos", source, place),
        "regions": _codes(data, "regions", "regions", source, place),
        "network_members_only": _boolean(data, "network_members_only", source, place),
        "management_commitment": _boolean(data, "management_commitment", source, place),
        "note": _text(data, "note", source, place, required=False),
    }


def _sessions(sessions, source, known_tools):
    _need(isinstance(sessions, list) and sessions, source, "sessions", "au moins un atelier est nécessaire")
    normalised = []
    for position, session in enumerate(sessions, start=1):
        place = f"sessions, atelier {position}"
        _mapping(session, source, place, "number, title, duration_minutes, format…")
        _only_keys(session, SESSION_KEYS, source, place)
        _need(
            session.get("number") == position and not isinstance(session.get("number"), bool),
            source,
            place,
            f"les ateliers sont numérotés 1, 2, 3… dans l'ordre : celui-ci doit porter le numéro "
            f"{position} (reçu : {session.get('number')!r})",
        )
        is_last = position == len(sessions)
        is_review = _boolean(session, "is_review", source, place)
        _need(not is_review or is_last, source, place, "seul le dernier atelier peut être celui du bilan")
        intersession = session.get("intersession")
        if intersession is not None:
            _need(
                not is_last,
                source,
                place,
                "le dernier atelier n'a pas d'intersession : aucun atelier ne suit",
            )
            intersession = _intersession(intersession, source, f"{place}, intersession")
        normalised.append(
            {
                "number": position,
                "title": _text(session, "title", source, place),
                "duration_minutes": _integer(
                    session,
                    "duration_minutes",
                    source,
                    place,
                    low=MIN_SESSION_MINUTES,
                    high=MAX_SESSION_MINUTES,
                ),
                "format": _choice(session, "format", SESSION_FORMATS, source, place),
                "date_hint": _choice(session, "date_hint", DATE_HINTS, source, place, required=False),
                "objectives": _strings(session, "objectives", source, place),
                "content": _strings(session, "content", source, place),
                "speakers": _strings(session, "speakers", source, place),
                "tools": _tools(session.get("tools"), source, place, known_tools),
                "intersession": intersession,
                "is_review": is_review,
            }
        )
    return normalised


def _tools(tools, source, place, known_tools):
    if tools is None:
        return []
    _need(isinstance(tools, list), source, place, "« tools » doit être une liste d'outils")
    normalised, seen = [], set()
    for position, tool in enumerate(tools, start=1):
        tool_place = f"{place}, outil {position}"
        _mapping(tool, source, tool_place, "kind, slug, label")
        _only_keys(tool, TOOL_KEYS, source, tool_place)
        kind = _choice(tool, "kind", list(TOOL_KINDS), source, tool_place)
        slug = _identifier(tool.get("slug"), source, tool_place)
        known = sorted(known_tools.get(kind, ()))
        _need(
            slug in known,
            source,
            tool_place,
            f"{UNKNOWN_TOOL[kind]} « {slug} » (possibles : {', '.join(known) or 'aucun'})",
        )
        _need((kind, slug) not in seen, source, tool_place, f"outil « {slug} » en double dans cet atelier")
        seen.add((kind, slug))
        normalised.append({"kind": kind, "slug": slug, "label": _text(tool, "label", source, tool_place)})
    return normalised


def _intersession(data, source, place):
    _mapping(data, source, place, "title, task, kind")
    _only_keys(data, INTERSESSION_KEYS, source, place)
    return {
        "title": _text(data, "title", source, place),
        "task": _text(data, "task", source, place),
        "kind": _choice(data, "kind", list(INTERSESSION_KINDS), source, place),
    }


def _review(data, source, known_tools):
    place = "review"
    _mapping(data, source, place, "after_months, questionnaire, text")
    _only_keys(data, REVIEW_KEYS, source, place)
    questionnaire = data.get("questionnaire") or ""
    if questionnaire:
        _identifier(questionnaire, source, place, "questionnaire")
        _need(
            questionnaire in known_tools.get("questionnaire", ()),
            source,
            place,
            f"{UNKNOWN_TOOL['questionnaire']} « {questionnaire} »",
        )
    return {
        "after_months": _integer(data, "after_months", source, place, low=1, high=MAX_REVIEW_MONTHS),
        "questionnaire": questionnaire,
        "text": _text(data, "text", source, place),
    }


# reading stored content


@dataclass(frozen=True)
class EligibilitySpec:
    """Who may apply. Empty lists and None mean « no condition »."""

    max_employees: int | None = None
    opcos: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    network_members_only: bool = False
    management_commitment: bool = False
    note: str = ""


@dataclass(frozen=True)
class ToolRef:
    """A Repères tool a session uses: a questionnaire, a fiche, an exercise or a glossary term."""

    kind: str
    slug: str
    label: str

    @property
    def kind_label(self):
        return TOOL_KINDS[self.kind]


@dataclass(frozen=True)
class IntersessionSpec:
    """What the organisations do between a session and the next one."""

    title: str
    task: str
    kind: str

    @property
    def kind_label(self):
        return INTERSESSION_KINDS[self.kind]


@dataclass(frozen=True)
class SessionSpec:
    number: int
    title: str
    duration_minutes: int
    format: str
    date_hint: str = ""
    objectives: list = field(default_factory=list)
    content: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    tools: list = field(default_factory=list)
    intersession: IntersessionSpec | None = None
    is_review: bool = False

    @classmethod
    def from_content(cls, content):
        intersession = content.get("intersession")
        return cls(
            **{
                **content,
                "tools": [ToolRef(**tool) for tool in content.get("tools", [])],
                "intersession": IntersessionSpec(**intersession) if intersession else None,
            }
        )


@dataclass(frozen=True)
class ReviewSpec:
    """When and how the organisation looks back: months after the first session, and the
    questionnaire it answers again (or none)."""

    after_months: int
    questionnaire: str
    text: str


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    title: str
    aim: str
    audience: str
    origin: str
    enrolment: str
    pair_roles: list
    max_participants: int
    eligibility: EligibilitySpec
    sessions: list
    review: ReviewSpec
    equality_note: str = ""

    @classmethod
    def from_content(cls, content):
        """The spec of a stored (already validated) content dict."""
        return cls(
            **{
                **content,
                "eligibility": EligibilitySpec(**content["eligibility"]),
                "sessions": [SessionSpec.from_content(session) for session in content["sessions"]],
                "review": ReviewSpec(**content["review"]),
            }
        )

    @classmethod
    def parse(cls, data, *, source, known_tools=None):
        """The spec of a template file's parsed YAML, validated (raises ProgrammeError)."""
        return cls.from_content(parse_programme(data, source=source, known_tools=known_tools))

    @property
    def is_pair(self):
        return self.enrolment == "pair"

    @property
    def session_count(self):
        return len(self.sessions)

    @property
    def total_minutes(self):
        return sum(session.duration_minutes for session in self.sessions)

    @property
    def total_hours_label(self):
        """« 12 h », « 31 h 30 »."""
        hours, minutes = divmod(self.total_minutes, 60)
        return f"{hours} h {minutes:02d}" if minutes else f"{hours} h"

    def session(self, number):
        return next((session for session in self.sessions if session.number == number), None)
