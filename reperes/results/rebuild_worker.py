"""The worker processes of `rebuild_stored_results(workers=N)`: started afresh ("spawn"), they
import nothing of Django's models until Django is set up on the parent's databases."""


def start(databases):
    """In a new worker process: Django set up on the parent's databases (a test database too)."""
    import django
    from django.conf import settings

    settings.DATABASES = databases
    django.setup()


def figures_of_chunk(chunk):
    """The figures of one chunk, as (campaign id, figures) pairs."""
    from reperes.results.rebuild import Models, _chunk_figures

    return list(_chunk_figures(Models(), chunk, {}))
