"""Loading fiche files into immutable versions, all or nothing."""

from django.db import transaction

from reperes.fiches.definition import CONTENT_DIR, FicheError, fiche_files, parse_fiche
from reperes.fiches.models import Fiche
from reperes.lib.content import ContentError, read_yaml, store_if_changed


def load_fiches(directory=CONTENT_DIR):
    """Validate every file, then store what changed. Returns [(slug, version, created)]."""
    parsed, seen, numbers = [], {}, {}
    for path in fiche_files(directory):
        try:
            data = read_yaml(path)
        except ContentError as error:
            raise FicheError(str(error)) from error
        fiche = parse_fiche(data, source=path.name)
        if fiche["slug"] in seen:
            raise FicheError(
                f"{path.name}, slug : « {fiche['slug']} » est déjà utilisé par {seen[fiche['slug']]}"
            )
        seen[fiche["slug"]] = path.name
        place = (fiche["collection"], fiche["number"])
        if place in numbers:
            raise FicheError(
                f"{path.name}, number : le numéro {fiche['number']} est déjà pris dans la collection "
                f"« {fiche['collection']} » par {numbers[place]}"
            )
        numbers[place] = path.name
        parsed.append((path.name, fiche))

    report = []
    with transaction.atomic():
        for source, content in parsed:
            fiche, _ = Fiche.objects.select_for_update().update_or_create(
                slug=content["slug"],
                defaults={
                    "collection": content["collection"],
                    "number": content["number"],
                    "title": content["title"],
                },
            )
            version, created = store_if_changed(fiche.versions, content, content=content, source=source)
            report.append((fiche.slug, version.number, created))
    return report
