from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from reperes.fiches.determinants import grouped_labels
from reperes.fiches.models import Collection, Fiche
from reperes.fiches.pageviews import count_page_view, fiche_item
from reperes.legal.references import get_references
from reperes.lib.panels import collect

# What each collection is for, shown under its heading on the list page.
COLLECTION_INTRODUCTIONS = {
    Collection.GUIDE: (
        "Une fiche par thème du diagnostic : le contexte, les enjeux, les questions à se poser en "
        "équipe, des pistes pour agir et des exemples."
    ),
    Collection.TELETRAVAIL: (
        "Pour mettre en place le télétravail ou l'améliorer : le cadre juridique, les frais, la "
        "santé, la charge de travail, le collectif et la façon de formaliser les règles dans une "
        "petite structure. Ces fiches donnent des repères, pas un avis juridique."
    ),
}


@login_not_required
def fiche_list(request):
    """The shipped fiches for everyone; for a member of a network's organisation (or its staff),
    the fiches its networks propose as well."""
    fiches = list(Fiche.objects.visible_to(request.user).select_related("network"))
    collections = [
        {
            "id": collection.value,
            "title": collection.label,
            "introduction": COLLECTION_INTRODUCTIONS[collection],
            "fiches": [fiche for fiche in fiches if fiche.collection == collection and not fiche.network_id],
        }
        for collection in Collection
    ]
    return render(
        request,
        "fiches/list.html",
        {
            "collections": [c for c in collections if c["fiches"]],
            "network_fiches": [fiche for fiche in fiches if fiche.network_id],
        },
    )


def body_context(content, *, label, legal, network=None):
    """What templates/fiches/_body.html needs to show `content` as a reader sees it: on the fiche's
    page and in its author's preview."""
    known = get_references() if content.get("references") else {}
    return {
        "label": label,
        "content": content,
        "legal": legal,
        "proposed_by": network,
        "references": [known[ref] for ref in content.get("references", []) if ref in known],
        "determinants": grouped_labels(content.get("determinants", ())),
    }


@login_not_required
def fiche_detail(request, slug):
    fiche = Fiche.objects.visible_to(request.user).select_related("network").filter(slug=slug).first()
    version = fiche.latest_version() if fiche else None
    if version is None:
        raise Http404("Fiche introuvable")
    count_page_view(fiche_item(fiche.slug))  # per page and month only (reperes/fiches/pageviews.py)
    return render(
        request,
        "fiches/detail.html",
        {
            "fiche": fiche,
            "version": version,
            **body_context(
                version.content, label=fiche.label, legal=fiche.is_legal_guidance, network=fiche.network
            ),
            # What apps above add for this fiche's themes (the networks' library): lib.panels.
            "panels": collect("fiche_panel", fiche=fiche, user=request.user, heading_level=2),
        },
    )
