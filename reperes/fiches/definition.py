"""Fiche files: parsing and validating them. A problem raises FicheError naming the file, the
place and the problem, in French."""

from pathlib import Path

from reperes.lib.content import ContentError

CONTENT_DIR = Path(__file__).parent / "content"
IDENTIFIER_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


class FicheError(ContentError):
    pass


def _need(condition, source, place, problem):
    if not condition:
        raise FicheError(f"{source}, {place} : {problem}")


def _text(data, key, source, place, *, required=True):
    value = data.get(key)
    if value is None and not required:
        return ""
    _need(isinstance(value, str) and value.strip(), source, place, f"« {key} » doit être un texte non vide")
    return value.strip()


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


def parse_fiche(data, *, source):
    _need(isinstance(data, dict), source, "racine", "le fichier doit décrire une fiche")
    number = data.get("number")
    _need(isinstance(number, int) and number > 0, source, "number", "numéro de fiche invalide")
    questions = data.get("questions")
    _need(
        isinstance(questions, list) and questions, source, "questions", "au moins une question est nécessaire"
    )
    seen_items = set()
    normalised_questions = []
    for position, question in enumerate(questions, start=1):
        place = f"questions, question {position}"
        _need(isinstance(question, dict), source, place, "doit avoir « item » et « text »")
        item = _identifier(question.get("item"), source, place)
        _need(item not in seen_items, source, place, f"affirmation « {item} » en double")
        seen_items.add(item)
        normalised_questions.append({"item": item, "text": _text(question, "text", source, place)})
    steps = []
    for position, step in enumerate(data.get("steps") or [], start=1):
        place = f"steps, étape {position}"
        _need(isinstance(step, dict), source, place, "doit avoir « title » et « text »")
        steps.append(
            {"title": _text(step, "title", source, place), "text": _text(step, "text", source, place)}
        )
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
    return {
        "slug": _identifier(data.get("slug"), source, "slug"),
        "theme": _identifier(data.get("theme"), source, "theme"),
        "number": number,
        "title": _text(data, "title", source, "title"),
        "summary": _text(data, "summary", source, "summary", required=False),
        "context": _text(data, "context", source, "context"),
        "stakes": _text(data, "stakes", source, "stakes", required=False),
        "opportunities": _strings(data, "opportunities", source),
        "risks": _strings(data, "risks", source),
        "questions": normalised_questions,
        "how_to_act": _text(data, "how_to_act", source, "how_to_act"),
        "steps": steps,
        "example": example,
        "reading": reading,
    }


def fiche_files(directory=CONTENT_DIR):
    return sorted(directory.glob("*.yaml"))
