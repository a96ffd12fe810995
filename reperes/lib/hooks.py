"""Hooks: a lower app tells higher apps that something happened, without importing them.

Every app config may name a function for a hook as an attribute of the same name
(`campaign_closed = "reperes.results.actions.store_results"`). `notify` calls each with the
keyword arguments of the event, in INSTALLED_APPS order; panels (reperes.lib.panels) are the same
mechanism for pages. The lookup happens here, on the bottom floor, so the dependency rule holds
(docs/architecture.md).
"""

from django.apps import apps
from django.utils.module_loading import import_string

__all__ = ["hook_functions", "notify"]


def hook_functions(hook):
    """The functions that app configs name for `hook`, in INSTALLED_APPS order."""
    return [import_string(path) for config in apps.get_app_configs() if (path := getattr(config, hook, None))]


def notify(hook, **kwargs):
    """Call every function named for `hook` with `kwargs`; what they return is ignored."""
    for function in hook_functions(hook):
        function(**kwargs)
