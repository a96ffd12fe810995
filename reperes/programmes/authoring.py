"""Programme templates a network writes in the interface: the edits an author makes to a draft's
content (a dict of the same shape as a template file, see definition.py), as pure functions.

Each edit returns a new dict and leaves its argument alone; `validate` then checks the result
with the rules of the template files (definition.parse_programme), so that a draft can never
hold what a file could not. The actions (actions.save_template_draft…) store what validates.
"""

import copy
import re

from django.utils.text import slugify

from reperes.programmes.definition import parse_programme

SLUG_LENGTH = 50  # VersionedContent.slug
SOURCE = "Modèle"
MAX_SESSIONS = 12
NEW_SESSION_MINUTES = 180
DEFAULT_REVIEW_MONTHS = 6
DEFAULT_REVIEW_TEXT = (
    "Quelques mois après le premier atelier, chaque structure regarde avec son équipe ce qui a changé "
    "depuis le début du parcours et ce qu'il reste à faire."
)


def validate(content):
    """The normalised content, checked by the rules of the template files; raises
    ProgrammeError with a French message naming the place. The stored form writes an absent
    optional text as "" and an absent number as None: read back as absent."""
    return parse_programme(_without_empty(content), source=SOURCE)


def _without_empty(value):
    if isinstance(value, dict):
        return {key: _without_empty(item) for key, item in value.items() if item not in ("", None)}
    if isinstance(value, list):
        return [_without_empty(item) for item in value]
    return value


def problem(error):
    """The message of a ProgrammeError as an author reads it: « atelier 2 : … » rather than the
    keys of a file."""
    message = str(error)
    message = message.removeprefix(f"{SOURCE}, ")
    message = re.sub(r"^sessions, atelier (\d+)", r"Atelier \1", message)
    message = re.sub(r"^sessions", "Ateliers", message)
    message = re.sub(r"^review", "Bilan", message)
    message = re.sub(r"^eligibility", "Qui peut candidater", message)
    return f"Le modèle n'est pas enregistré : {message[:1].lower()}{message[1:]}"


def network_slug(wanted, network):
    """An identifier for the network's copy or new template: `wanted` followed by the network's
    slug, cut to the length the database keeps."""
    wanted = slugify(wanted) or "parcours"
    suffix = f"-{network.slug}"
    if wanted.endswith(suffix):
        return wanted[:SLUG_LENGTH].strip("-")
    return f"{wanted[: SLUG_LENGTH - len(suffix)].strip('-')}{suffix}"[:SLUG_LENGTH].strip("-")


def new_content(network, *, title, aim, audience):
    """A template with one workshop and a review six months on, for the author to fill in."""
    return {
        "slug": network_slug(title, network),
        "title": title,
        "aim": aim,
        "audience": audience,
        "enrolment": "organisation",
        "max_participants": 2,
        "sessions": [
            {
                "number": 1,
                "title": "Premier atelier",
                "duration_minutes": NEW_SESSION_MINUTES,
                "format": "onsite",
            }
        ],
        "review": {"after_months": DEFAULT_REVIEW_MONTHS, "text": DEFAULT_REVIEW_TEXT},
    }


def with_general(content, data):
    """The title, aims, audience and enrolment rules of `data` (a GeneralForm's cleaned data)."""
    content = copy.deepcopy(content)
    pair = data["enrolment"] == "pair"
    content.update(
        title=data["title"],
        aim=data["aim"],
        audience=data["audience"],
        origin=data["origin"],
        enrolment=data["enrolment"],
        pair_roles=list(data["pair_roles"]) if pair else [],
        max_participants=data["max_participants"],
        equality_note=data["equality_note"],
        eligibility={
            "max_employees": data["max_employees"],
            "opcos": list(data["opcos"]),
            "regions": list(data["regions"]),
            "network_members_only": data["network_members_only"],
            "management_commitment": data["management_commitment"],
            "note": data["eligibility_note"],
        },
    )
    return content


def with_session(content, number, data):
    """Workshop `number` as `data` (a SessionForm's cleaned data) says."""
    content = copy.deepcopy(content)
    session = content["sessions"][number - 1]
    tools = [
        tool for index, tool in enumerate(session.get("tools", [])) if str(index) not in data["remove_tools"]
    ]
    if data.get("new_tool"):
        kind, slug = data["new_tool"].split(":", 1)
        tools.append({"kind": kind, "slug": slug, "label": data["new_tool_label"]})
    session.update(
        title=data["title"],
        duration_minutes=data["duration_minutes"],
        format=data["format"],
        date_hint=data["date_hint"] or None,
        objectives=data["objectives"],
        content=data["content"],
        speakers=data["speakers"],
        tools=tools,
        intersession=(
            {
                "title": data["intersession_title"],
                "kind": data["intersession_kind"],
                "task": data["intersession_task"],
            }
            if data.get("intersession_title")
            else None
        ),
        is_review=bool(data.get("is_review")),
    )
    if not session["date_hint"]:
        del session["date_hint"]
    if session["intersession"] is None:
        del session["intersession"]
    return content


def with_review(content, data):
    content = copy.deepcopy(content)
    content["review"] = {
        "after_months": data["after_months"],
        "questionnaire": data["questionnaire"],
        "text": data["text"],
    }
    return content


def _numbered(content):
    for position, session in enumerate(content["sessions"], start=1):
        session["number"] = position
    return content


def with_new_session(content, *, title, duration_minutes, format):
    """A workshop added at the end, before the review workshop when the last one is it."""
    content = copy.deepcopy(content)
    sessions = content["sessions"]
    session = {"number": 0, "title": title, "duration_minutes": duration_minutes, "format": format}
    at = len(sessions) - 1 if sessions and sessions[-1].get("is_review") else len(sessions)
    sessions.insert(at, session)
    return _numbered(content)


def with_session_moved(content, number, step):
    """Workshop `number` moved one place earlier (step -1) or later (+1)."""
    content = copy.deepcopy(content)
    sessions = content["sessions"]
    index, other = number - 1, number - 1 + step
    if 0 <= other < len(sessions):
        sessions[index], sessions[other] = sessions[other], sessions[index]
    return _numbered(content)


def without_session(content, number):
    content = copy.deepcopy(content)
    del content["sessions"][number - 1]
    return _numbered(content)
