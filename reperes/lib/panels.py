"""Panels that apps on higher floors add to pages of lower ones, without being imported by them.

A page on a low floor (the campaign page, the results page, the maturity results) names a hook;
every app config may name a function for that hook as an attribute of the same name
(`results_panel = "reperes.offers.panels.results_panel"`). `collect` calls each with the page's
keyword arguments and keeps the dicts they return (each with its `template`), skipping None: a
panel with nothing to show is not drawn. The gathering happens here, on the bottom floor, so the
dependency rule holds (docs/architecture.md).
"""

from django.apps import apps
from django.utils.module_loading import import_string

__all__ = ["collect"]


def collect(hook, **context):
    """[panel dict, …] from every app naming a `hook` function, in INSTALLED_APPS order."""
    panels = []
    for config in apps.get_app_configs():
        path = getattr(config, hook, None)
        if path:
            panel = import_string(path)(**context)
            if panel is not None:
                panels.append(panel)
    return panels
