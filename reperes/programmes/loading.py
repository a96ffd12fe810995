"""Loading programme template files into immutable versions, all or nothing."""

from functools import partial

from reperes.lib.content import parse_files, store_all, store_if_changed
from reperes.programmes.definition import (
    CONTENT_DIR,
    ProgrammeError,
    parse_programme,
    programme_files,
    shipped_tools,
)
from reperes.programmes.models import Programme


def load_programmes(directory=CONTENT_DIR):
    """Validate every file (and the glossary its tools point at), then store what changed.

    Returns a list of (slug, version number, created) tuples. Raises ProgrammeError (or
    GlossaryError), naming the file, the place and the problem, before anything is written.
    """
    parse = partial(parse_programme, known_tools=shipped_tools())
    return store_all(parse_files(programme_files(directory), parse, error=ProgrammeError), _store)


def _store(source, content):
    programme, _ = Programme.objects.select_for_update().update_or_create(
        slug=content["slug"], defaults={"title": content["title"]}
    )
    version, created = store_if_changed(programme.versions, content, content=content, source=source)
    return programme.slug, version.number, created
