"""Loading questionnaire files into immutable versions."""

from functools import partial

from reperes.instruments.definition import (
    DEFINITIONS_DIR,
    DefinitionError,
    definition_files,
    load_scales,
    parse_definition,
)
from reperes.instruments.models import Questionnaire
from reperes.lib.content import parse_files, store_all, store_if_changed


def load_definitions(directory=DEFINITIONS_DIR, *, only=None):
    """Validate every file, then store what changed, all or nothing (or, given `only`, a set of
    slugs, those questionnaires alone: the tests that need one spare storing them all).

    Returns a list of (slug, version number, created) tuples. Raises DefinitionError, naming
    the file, the place and the problem, before anything is written.
    """
    scales = load_scales(directory / "scales.yaml")
    parse = partial(parse_definition, scales=scales)
    parsed = parse_files(definition_files(directory), parse, error=DefinitionError)
    if only is not None:
        parsed = [(source, definition) for source, definition in parsed if definition["slug"] in only]
    return store_all(parsed, _store)


def _store(source, definition):
    questionnaire, _ = Questionnaire.objects.select_for_update().get_or_create(
        slug=definition["slug"], defaults={"title": definition["title"], "use": definition.get("use", "team")}
    )
    if questionnaire.network_id is not None:
        # A network published a questionnaire under this slug before the file was shipped.
        raise DefinitionError(
            f"{source}, slug : « {definition['slug']} » est déjà l'identifiant d'un questionnaire "
            f"publié par un réseau : choisissez-en un autre"
        )
    use = definition.get("use", "team")
    if (questionnaire.title, questionnaire.use) != (definition["title"], use):
        questionnaire.title, questionnaire.use = definition["title"], use
        questionnaire.save(update_fields=["title", "use"])
    version, created = store_if_changed(
        questionnaire.versions, definition, definition=definition, source=source
    )
    return questionnaire.slug, version.number, created
