from reperes.fiches.definition import parse_fiche
from reperes.fiches.models import Fiche, FicheVersion
from reperes.lib.content import content_hash


def minimal_fiche(slug="conduite-projet", theme="projet", number=1, **overrides):
    return {
        "slug": slug,
        "theme": theme,
        "number": number,
        "title": "Conduite d'un projet de transformation",
        "summary": "Mener un changement numérique avec l'équipe.",
        "context": "Un **contexte** en Markdown.",
        "stakes": "Des enjeux.",
        "opportunities": ["Gagner du temps"],
        "risks": ["Surcharge"],
        "questions": [{"item": f"{theme}-{n}", "text": f"Question {n} ?"} for n in range(1, 6)],
        "how_to_act": "Agir ensemble.",
        "steps": [{"title": "Avant-projet", "text": "Analyser les besoins."}],
        "example": {"organisation": "Une coopérative", "text": "Un témoignage."},
        "reading": [{"title": "Un guide", "publisher": "Anact", "url": "https://www.anact.fr/"}],
        **overrides,
    }


def create_fiche(data=None, **overrides):
    content = parse_fiche(data or minimal_fiche(**overrides), source="test.yaml")
    fiche = Fiche.objects.create(
        slug=content["slug"],
        collection=content["collection"],
        number=content["number"],
        title=content["title"],
    )
    FicheVersion.objects.create(
        fiche=fiche, number=1, content_hash=content_hash(content), content=content, source="test.yaml"
    )
    return fiche


def telework_fiche(slug="teletravail-essai", number=1, **overrides):
    """A telework fiche as written in a file: no theme, a question without a statement."""
    data = minimal_fiche(slug=slug, number=number, collection="teletravail", **overrides)
    data.pop("theme")
    data.setdefault("references", ["l1222-9"])
    if "questions" not in overrides:
        data["questions"] = [
            {"text": "Qui peut télétravailler ?"},
            {"item": "tele-2", "text": "Et comment ?"},
        ]
    return data
