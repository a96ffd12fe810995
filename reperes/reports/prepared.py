"""The kinds of document Repères prepares outside the request, and how a view answers once one
is asked for.

Each app names its kinds on its AppConfig, as dotted paths so that reports imports nothing
above it:

    documents = {"charter_text": DocumentKind("reperes.charters.documents.build_charter_text")}

A builder is `function(organisation, params) -> (filename, content_type, bytes)`; it raises
DocumentUnavailable (or PdfUnavailable) with a French sentence when the document cannot be made.
`ability` is what a member needs, in the organisation, to download the document.
"""

import json
from dataclasses import dataclass

from django.apps import apps
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string

from reperes.lib.http import download


class DocumentUnavailable(Exception):
    """The builder cannot make this document; the message says why, in French."""


@dataclass(frozen=True)
class DocumentKind:
    builder: str
    ability: str = "take_part"

    def build(self, organisation, params):
        return import_string(self.builder)(organisation, params)


def kinds():
    registry = {}
    for config in apps.get_app_configs():
        registry.update(getattr(config, "documents", {}))
    return registry


def kind_of(name):
    try:
        return kinds()[name]
    except KeyError:
        raise LookupError(f"Unknown document kind: {name}") from None


def document_key(kind, params):
    return f"{kind}:{json.dumps(params, sort_keys=True, separators=(',', ':'))}"[:255]


def respond_with(document):
    """What a view returns once a document is asked for: the file if it is ready (the immediate
    backend built it during the request), otherwise its page, which waits or says what failed."""
    if document.is_ready:
        content = bytes(document.content)
        return download(content, filename=document.filename, content_type=document.content_type)
    return redirect(document)


def prepare_page(request, organisation, *, title, button, back_url, back_label):
    """The page a download link leads to: a GET shows a button, the POST asks for the document
    (a GET never changes anything)."""
    return render(
        request,
        "reports/prepare.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "title": title,
            "button": button,
            "back_url": back_url,
            "back_label": back_label,
        },
    )
