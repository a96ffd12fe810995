"""The listings' pages: an organisation's members search the listings of its networks and its
pilots publish their own (/s/<slug>/annonces/); the network's matchmaker checks them and puts
organisations in touch (/r/<slug>/annonces/)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.listings import actions
from reperes.listings.access import (
    get_contact_for_listing,
    get_contact_for_network,
    get_listing_for_network,
    get_listing_for_org,
    get_report_for_network,
)
from reperes.listings.forms import ContactForm, ExtendForm, ListingForm, ReportForm, ReviewForm, SearchForm
from reperes.listings.models import Contact, Listing, Report
from reperes.listings.search import search
from reperes.organisations.access import get_network_for_user, get_org_for_user, space_context

BOARD_PAGE_SIZE = 50


def _networks(organisation):
    return list(organisation.networks.order_by("name"))


# The organisation's side


def board(request, slug):
    """The published listings of the organisation's networks, searched and filtered."""
    organisation = get_org_for_user(request, slug)
    networks = _networks(organisation)
    form = SearchForm(request.GET or None)
    filters = form.filters()
    listings = Listing.objects.published().filter(network__in=networks)
    for name in ("kind", "category", "region"):
        if filters.get(name):
            listings = listings.filter(**{name: filters[name]})
    listings = search(listings, filters.get("q", ""))
    count = listings.count()
    shown = list(
        listings.select_related("organisation", "network").order_by("-published_on", "-pk")[:BOARD_PAGE_SIZE]
    )
    return render(
        request,
        "listings/board.html",
        space_context(
            organisation,
            networks=networks,
            form=form,
            listings=shown,
            count=count,
            filtered=bool(filters),
            truncated=count > len(shown),
        ),
    )


def mine(request, slug):
    organisation = get_org_for_user(request, slug)
    listings = (
        Listing.objects.filter(organisation=organisation)
        .select_related("network")
        .annotate(open_contacts=Count("contacts", filter=Q(contacts__state=Contact.State.FORWARDED)))
        .order_by("-updated_at")
    )
    return render(
        request,
        "listings/mine.html",
        space_context(organisation, listings=listings, networks=_networks(organisation)),
    )


def create(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    networks = _networks(organisation)
    if not networks:
        return render(request, "listings/no_network.html", space_context(organisation))
    form = ListingForm(request.POST or None, networks=networks)
    if form.is_valid():
        try:
            listing = actions.create_listing(
                organisation, network=form.network(), by=request.user, **form.values()
            )
            if "submit" in request.POST:
                actions.submit_listing(listing, by=request.user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                "Annonce envoyée à la personne chargée de mise en lien : elle sera visible une fois relue."
                if "submit" in request.POST
                else "Brouillon enregistré : envoyez-le pour relecture quand il est prêt.",
            )
            return redirect("listings:mine_detail", organisation.slug, listing.pk)
    return render(request, "listings/form.html", space_context(organisation, form=form, listing=None))


def edit(request, slug, listing_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    listing = get_listing_for_org(organisation, listing_id, own=True)
    if not listing.is_editable:
        messages.error(request, f"Une annonce « {listing.get_state_display().lower()} » ne se modifie plus.")
        return redirect("listings:mine_detail", organisation.slug, listing.pk)
    form = ListingForm(request.POST or None, instance=listing)
    if form.is_valid():
        try:
            was_published = listing.state == Listing.State.PUBLISHED
            listing = actions.update_listing(listing, by=request.user, **form.values())
            submitted = "submit" in request.POST and listing.state in (
                Listing.State.DRAFT,
                Listing.State.SENT_BACK,
            )
            if submitted:
                actions.submit_listing(listing, by=request.user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            if was_published:
                message = "Annonce modifiée : elle repasse par la relecture avant d'être de nouveau visible."
            elif submitted:
                message = "Annonce envoyée pour relecture : elle sera visible une fois relue."
            else:
                message = "Annonce enregistrée."
            messages.success(request, message)
            return redirect("listings:mine_detail", organisation.slug, listing.pk)
    return render(request, "listings/form.html", space_context(organisation, form=form, listing=listing))


def detail(request, slug, listing_id):
    """A listing as a member sees it, with the forms to ask to be put in touch and to report it."""
    organisation = get_org_for_user(request, slug)
    listing = get_listing_for_org(organisation, listing_id)
    if listing.organisation_id == organisation.pk:
        return redirect("listings:mine_detail", organisation.slug, listing.pk)
    own_contact = listing.contacts.filter(organisation=organisation).order_by("-created_at").first()
    return render(
        request,
        "listings/detail.html",
        space_context(
            organisation,
            listing=listing,
            contact_form=ContactForm(),
            report_form=ReportForm(),
            own_contact=own_contact,
        ),
    )


def mine_detail(request, slug, listing_id):
    """One of the organisation's own listings: its state, the review's comment, the requests to
    be put in touch that await an answer."""
    organisation = get_org_for_user(request, slug)
    listing = get_listing_for_org(organisation, listing_id, own=True)
    contacts = list(listing.contacts.select_related("organisation").exclude(state=Contact.State.ASKED))
    return render(
        request,
        "listings/mine_detail.html",
        space_context(organisation, listing=listing, contacts=contacts, extend_form=ExtendForm()),
    )


def _refusing(request, action, *args, success, **kwargs):
    try:
        result = action(*args, **kwargs)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return None
    messages.success(request, success)
    return result


@require_POST
def submit(request, slug, listing_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    listing = get_listing_for_org(organisation, listing_id, own=True)
    _refusing(
        request,
        actions.submit_listing,
        listing,
        by=request.user,
        success="Annonce envoyée à la personne chargée de mise en lien : elle sera visible une fois relue.",
    )
    return redirect("listings:mine_detail", organisation.slug, listing.pk)


@require_POST
def withdraw(request, slug, listing_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    listing = get_listing_for_org(organisation, listing_id, own=True)
    _refusing(request, actions.withdraw_listing, listing, by=request.user, success="Annonce retirée.")
    return redirect("listings:mine_detail", organisation.slug, listing.pk)


@require_POST
def extend(request, slug, listing_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    listing = get_listing_for_org(organisation, listing_id, own=True)
    form = ExtendForm(request.POST)
    if form.is_valid():
        _refusing(
            request,
            actions.extend_listing,
            listing,
            ends_on=form.cleaned_data["ends_on"],
            by=request.user,
            success="Annonce prolongée.",
        )
    else:
        messages.error(request, " ".join(form.errors["ends_on"]))
    return redirect("listings:mine_detail", organisation.slug, listing.pk)


@require_POST
def answer(request, slug, listing_id, contact_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    listing = get_listing_for_org(organisation, listing_id, own=True)
    contact = get_contact_for_listing(listing, contact_id)
    accept = request.POST.get("accept") == "1"
    _refusing(
        request,
        actions.answer_contact,
        contact,
        accept=accept,
        by=request.user,
        success="Merci : la personne chargée de mise en lien va vous présenter l'une à l'autre."
        if accept
        else "Mise en lien déclinée. L'autre structure en sera informée par le réseau.",
    )
    return redirect("listings:mine_detail", organisation.slug, listing.pk)


@require_POST
def contact(request, slug, listing_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    listing = get_listing_for_org(organisation, listing_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            actions.ask_contact(
                listing, organisation=organisation, message=form.cleaned_data["message"], by=request.user
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                "Demande envoyée à la personne chargée de mise en lien. Vous serez présenté·es l'une à "
                "l'autre si la structure de l'annonce accepte.",
            )
            return redirect("listings:detail", organisation.slug, listing.pk)
    return render(
        request,
        "listings/detail.html",
        space_context(
            organisation, listing=listing, contact_form=form, report_form=ReportForm(), own_contact=None
        ),
        status=400,
    )


@require_POST
def report(request, slug, listing_id):
    organisation = get_org_for_user(request, slug)
    listing = get_listing_for_org(organisation, listing_id)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            actions.report_listing(
                listing, organisation=organisation, reason=form.cleaned_data["reason"], by=request.user
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Merci : la personne chargée de mise en lien va regarder l'annonce.")
            return redirect("listings:detail", organisation.slug, listing.pk)
    return render(
        request,
        "listings/detail.html",
        space_context(
            organisation, listing=listing, contact_form=ContactForm(), report_form=form, own_contact=None
        ),
        status=400,
    )


# The network's side: the matchmaker


def queue(request, slug):
    """What awaits the matchmaker: listings to check, requests to forward or to introduce,
    reports; then the listings published."""
    network = get_network_for_user(request, slug, ability="match")
    today = timezone.localdate()
    listings = Listing.objects.filter(network=network).select_related("organisation")
    contacts = (
        Contact.objects.filter(
            listing__network=network, state__in=[Contact.State.ASKED, Contact.State.ACCEPTED]
        )
        .select_related("listing", "organisation", "listing__organisation")
        .order_by("created_at")
    )
    reports = (
        Report.objects.filter(listing__network=network, handled_at__isnull=True)
        .select_related("listing", "organisation")
        .order_by("created_at")
    )
    return render(
        request,
        "listings/queue.html",
        {
            "network": network,
            "abilities": network.abilities,
            "to_review": listings.awaiting_review().order_by("submitted_at"),
            "contacts": contacts,
            "reports": reports,
            "published": listings.published(today).order_by("ends_on")[:BOARD_PAGE_SIZE],
            "published_count": listings.published(today).count(),
            "expired_count": listings.expired(today).count(),
        },
    )


def review(request, slug, listing_id):
    network = get_network_for_user(request, slug, ability="match")
    listing = get_listing_for_network(network, listing_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.review_listing(
                listing,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ActionRefused as refusal:
            if listing.state != Listing.State.SUBMITTED:  # decided meanwhile: the form is gone
                messages.error(request, str(refusal))
                return redirect("listings:review", network.slug, listing.pk)
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Décision enregistrée ; l'auteur de l'annonce en est informé.")
            return redirect("listings:queue", network.slug)
    return render(
        request,
        "listings/review.html",
        {
            "network": network,
            "abilities": network.abilities,
            "listing": listing,
            "form": form,
            "reports": listing.reports.select_related("organisation").order_by("-created_at"),
            "contacts": listing.contacts.select_related("organisation").order_by("-created_at"),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def forward(request, slug, contact_id):
    network = get_network_for_user(request, slug, ability="match")
    contact = get_contact_for_network(network, contact_id)
    _refusing(
        request,
        actions.forward_contact,
        contact,
        by=request.user,
        success="Demande transmise à la structure de l'annonce ; vous serez prévenu·e de sa réponse.",
    )
    return redirect("listings:queue", network.slug)


@require_POST
def handle_report(request, slug, report_id):
    network = get_network_for_user(request, slug, ability="match")
    report = get_report_for_network(network, report_id)
    _refusing(request, actions.handle_report, report, by=request.user, success="Signalement traité.")
    return redirect("listings:review", network.slug, report.listing_id)
