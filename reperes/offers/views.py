"""The catalogue's pages: the network's staff keep it (/r/<slug>/offres/), an organisation's
members read the offers that match it (/s/<slug>/offres/)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.offers import actions
from reperes.offers.access import get_matching_offer, get_network_for_catalogue, get_network_offer
from reperes.offers.forms import STATUS_FILTERS, CatalogueFilterForm, OfferForm, SubjectFilterForm
from reperes.offers.matching import match_reasons, matching_offers
from reperes.offers.models import Offer
from reperes.offers.subjects import subject_label
from reperes.organisations.access import get_org_for_user, space_context

# The headings of the organisations' list, one per kind.
KIND_GROUPS = {
    Offer.Kind.PROGRAMME: "Programmes et appels à projets",
    Offer.Kind.EXPERT: "Accompagnements par des expert·es",
    Offer.Kind.TRAINING: "Formations",
    Offer.Kind.HR_SCHEME: "Dispositifs d'appui RH",
}


def _network_context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def _status_filter(queryset, status, today):
    if status == "all":
        return queryset
    if status == "archived":
        return queryset.archived()
    return {"current": queryset.current, "upcoming": queryset.upcoming, "expired": queryset.expired}[status](
        today
    )


# The network's side


def catalogue(request, slug):
    network = get_network_for_catalogue(request, slug)
    today = timezone.localdate()
    filters = CatalogueFilterForm(request.GET or None)
    kind, subject = filters.value("kind"), filters.value("subject")
    status = filters.value("status", "current")
    offers = Offer.objects.for_network(network)
    started = Q(starts_on__isnull=True) | Q(starts_on__lte=today)
    not_ended = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    counts = offers.aggregate(
        current=Count("pk", filter=Q(archived=False) & started & not_ended),
        upcoming=Count("pk", filter=Q(archived=False, starts_on__gt=today)),
        expired=Count("pk", filter=Q(archived=False, ends_on__lt=today)),
        archived=Count("pk", filter=Q(archived=True)),
        all=Count("pk"),
    )
    shown = _status_filter(offers, status, today)
    if kind:
        shown = shown.filter(kind=kind)
    kinds = list(Offer.Kind.values)
    shown = sorted(shown.order_by(), key=lambda offer: (kinds.index(offer.kind), offer.title.casefold()))
    if subject:  # a JSON list: filtered here, as SQLite has no containment lookup
        shown = [offer for offer in shown if subject in offer.subjects]
    return render(
        request,
        "offers/catalogue.html",
        _network_context(
            network,
            offers=shown,
            filters=filters,
            status=status,
            status_counts=[(code, label, counts[code]) for code, label in STATUS_FILTERS],
            kind_counts=_kind_counts(shown),
            filtered=bool(kind or subject),
            subject_label=subject_label(subject) if subject else "",
        ),
    )


def _kind_counts(offers):
    counts = {kind: 0 for kind in Offer.Kind}
    for offer in offers:
        counts[offer.kind] = counts.get(offer.kind, 0) + 1
    return [(kind.label, count) for kind, count in counts.items() if count]


def offer_create(request, slug):
    network = get_network_for_catalogue(request, slug, manage=True)
    form = OfferForm(request.POST or None, initial={"kind": request.GET.get("type") or None})
    if form.is_valid():
        try:
            offer = actions.create_offer(network, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "L'offre est ajoutée au catalogue.")
            return redirect("offers:offer", slug, offer.pk)
    return render(request, "offers/offer_form.html", _network_context(network, form=form, offer=None))


def offer(request, slug, offer_id):
    network = get_network_for_catalogue(request, slug)
    offer = get_network_offer(network, offer_id)
    return render(request, "offers/offer.html", _network_context(network, offer=offer))


def offer_edit(request, slug, offer_id):
    network = get_network_for_catalogue(request, slug, manage=True)
    offer = get_network_offer(network, offer_id)
    # The form writes what it reads on its instance: its own copy, so that the action compares
    # the stored offer with the new values.
    form = OfferForm(request.POST or None, instance=get_network_offer(network, offer_id))
    if form.is_valid():
        try:
            actions.update_offer(offer, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "L'offre est enregistrée.")
            return redirect("offers:offer", slug, offer.pk)
    return render(request, "offers/offer_form.html", _network_context(network, form=form, offer=offer))


@require_POST
def offer_archive(request, slug, offer_id):
    network = get_network_for_catalogue(request, slug, manage=True)
    offer = get_network_offer(network, offer_id)
    actions.archive_offer(offer, by=request.user)
    messages.success(request, "L'offre est archivée : les structures ne la voient plus.")
    return redirect("offers:offer", slug, offer.pk)


@require_POST
def offer_restore(request, slug, offer_id):
    network = get_network_for_catalogue(request, slug, manage=True)
    offer = get_network_offer(network, offer_id)
    actions.restore_offer(offer, by=request.user)
    messages.success(request, "L'offre est de retour au catalogue.")
    return redirect("offers:offer", slug, offer.pk)


# The organisation's side


def space_offers(request, slug):
    organisation = get_org_for_user(request, slug)
    filters = SubjectFilterForm(request.GET or None)
    subject = filters.cleaned_data.get("subject") if filters.is_bound and filters.is_valid() else ""
    subjects = [subject] if subject else None
    offers = matching_offers(organisation, subjects=subjects)
    groups = []
    for kind in Offer.Kind:
        of_kind = [offer for offer in offers if offer.kind == kind]
        for offer in of_kind:
            offer.reasons = match_reasons(offer, organisation, subjects)
        if of_kind:
            groups.append((KIND_GROUPS[kind], of_kind))
    return render(
        request,
        "offers/space_offers.html",
        space_context(
            organisation,
            groups=groups,
            count=len(offers),
            filters=filters,
            subject_label=subject_label(subject) if subject else "",
        ),
    )


def space_offer(request, slug, offer_id):
    organisation = get_org_for_user(request, slug)
    offer = get_matching_offer(organisation, offer_id)
    return render(
        request,
        "offers/space_offer.html",
        space_context(organisation, offer=offer, reasons=match_reasons(offer, organisation)),
    )
