"""A system check: the charter clause library and the legal references it cites must load, so
that a broken data file stops `manage.py check`, `migrate` and `runserver` with its message."""

from django.core import checks

from reperes.lib.content import ContentError


@checks.register()
def clause_library(app_configs, **kwargs):
    from reperes.charters import library as charter_library

    try:
        charter_library.build_library(charter_library.LIBRARY_DIR)
    except ContentError as error:
        return [checks.Error(str(error), id="telework.E001")]
    return []
