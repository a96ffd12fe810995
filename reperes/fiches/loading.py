"""Loading fiche files into immutable versions, all or nothing."""

from reperes.fiches.definition import CONTENT_DIR, FicheError, fiche_files, parse_fiche
from reperes.fiches.models import Fiche
from reperes.lib.content import parse_files, store_all, store_if_changed


def load_fiches(directory=CONTENT_DIR):
    """Validate every file, then store what changed. Returns [(slug, version, created)]."""
    parsed = parse_files(fiche_files(directory), parse_fiche, error=FicheError)
    numbers = {}
    for source, fiche in parsed:
        place = (fiche["collection"], fiche["number"])
        if place in numbers:
            raise FicheError(
                f"{source}, number : le numéro {fiche['number']} est déjà pris dans la collection "
                f"« {fiche['collection']} » par {numbers[place]}"
            )
        numbers[place] = source
    return store_all(parsed, _store)


def _store(source, content):
    if Fiche.objects.filter(slug=content["slug"], network__isnull=False).exists():
        raise FicheError(f"{source}, slug : « {content['slug']} » est déjà pris par la fiche d'un réseau")
    fiche, _ = Fiche.objects.select_for_update().update_or_create(
        slug=content["slug"],
        defaults={
            "collection": content["collection"],
            "number": content["number"],
            "title": content["title"],
        },
    )
    version, created = store_if_changed(fiche.versions, content, content=content, source=source)
    return fiche.slug, version.number, created
