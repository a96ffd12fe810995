"""Loading questionnaire files into immutable versions."""

from django.db import transaction

from reperes.instruments.definition import (
    DEFINITIONS_DIR,
    DefinitionError,
    definition_files,
    load_scales,
    parse_definition,
)
from reperes.instruments.models import Questionnaire
from reperes.lib.content import ContentError, read_yaml, store_if_changed


def load_definitions(directory=DEFINITIONS_DIR):
    """Validate every file, then store what changed, all or nothing.

    Returns a list of (slug, version number, created) tuples. Raises DefinitionError, naming
    the file, the place and the problem, before anything is written.
    """
    scales = load_scales(directory / "scales.yaml")
    parsed = []
    seen = {}
    for path in definition_files(directory):
        try:
            data = read_yaml(path)
        except ContentError as error:
            raise DefinitionError(str(error)) from error
        definition = parse_definition(data, source=path.name, scales=scales)
        if definition["slug"] in seen:
            raise DefinitionError(
                f"{path.name}, slug : « {definition['slug']} » est déjà utilisé "
                f"par {seen[definition['slug']]}"
            )
        seen[definition["slug"]] = path.name
        parsed.append((path.name, definition))

    report = []
    with transaction.atomic():
        for source, definition in parsed:
            questionnaire, _ = Questionnaire.objects.select_for_update().get_or_create(
                slug=definition["slug"], defaults={"title": definition["title"]}
            )
            if questionnaire.title != definition["title"]:
                questionnaire.title = definition["title"]
                questionnaire.save(update_fields=["title"])
            version, created = store_if_changed(
                questionnaire.versions, definition, definition=definition, source=source
            )
            report.append((questionnaire.slug, version.number, created))
    return report
