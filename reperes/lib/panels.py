"""Panels that apps on higher floors add to pages of lower ones, without being imported by them.

A page on a low floor (the campaign page, the results page, the maturity results) names a hook;
every app config may name a function for that hook as an attribute of the same name
(`results_panel = "reperes.offers.panels.results_panel"`). `collect` calls each with the page's
keyword arguments and keeps the dicts they return (each with its `template`), skipping None: a
panel with nothing to show is not drawn. The gathering happens here, on the bottom floor, so the
dependency rule holds (docs/architecture.md).
"""

from reperes.lib.hooks import hook_functions

__all__ = ["collect"]


def collect(hook, **context):
    """[panel dict, …] from every app naming a `hook` function, in INSTALLED_APPS order."""
    panels = [function(**context) for function in hook_functions(hook)]
    return [panel for panel in panels if panel is not None]
