"""Accompaniment requests: the organisation's pages (ask, follow, withdraw) and the network's
(the queue, one request with its follow-up log, the figures)."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.organisations.access import get_network_for_user, get_org_for_user, space_context
from reperes.requests import actions
from reperes.requests.access import get_request_for_network, get_request_for_pilot
from reperes.requests.figures import request_figures, satisfaction_by_quarter
from reperes.requests.forms import AssignForm, CloseForm, EntryForm, RequestForm
from reperes.requests.models import Request, Theme
from reperes.requests.orientation import orientation
from reperes.sharing.models import ResultShare

# The organisation's side


def request_list(request, slug):
    """« Accompagnement »: every member sees where the organisation's requests stand; pilots ask,
    and open each one."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    requests = organisation.accompaniment_requests.select_related("network", "facilitator").order_by(
        "-created_at"
    )
    return render(
        request,
        "requests/list.html",
        space_context(
            organisation,
            requests=requests,
            reasons=actions.reasons_not_eligible(organisation),
            max_employees=actions.MAX_EMPLOYEES,
        ),
    )


def request_create(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    networks = list(organisation.networks.order_by("name"))
    if not networks:
        return render(request, "requests/no_network.html", space_context(organisation))
    if organisation.employees is not None and organisation.employees > actions.MAX_EMPLOYEES:
        return render(
            request,
            "requests/not_eligible.html",
            space_context(organisation, reasons=actions.reasons_not_eligible(organisation)),
        )
    campaigns = actions.shareable_campaigns(organisation)
    initial = {
        "themes": [code for code in request.GET.getlist("theme") if code in Theme.values],
        "campaigns": [c.pk for c in campaigns if str(c.pk) == request.GET.get("depuis")],
        "contact_name": request.user.name,
        "contact_email": request.user.email,
    }
    form = RequestForm(
        request.POST or None,
        initial=initial,
        organisation=organisation,
        networks=organisation.networks.order_by("name"),
        campaigns=campaigns,
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            help_request = actions.ask_for_accompaniment(
                organisation,
                network=data.pop("network"),
                campaigns=list(data.pop("campaigns")),
                employees=data.pop("employees", None),
                by=request.user,
                **data,
            )
        except ActionRefused as refusal:
            if organisation.employees is not None and organisation.employees > actions.MAX_EMPLOYEES:
                return render(
                    request,
                    "requests/not_eligible.html",
                    space_context(organisation, reasons=actions.reasons_not_eligible(organisation)),
                )
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                "Votre demande est envoyée au réseau. En attendant sa réponse, voici ce que vous pouvez "
                "déjà faire.",
            )
            return redirect(help_request)
    already = actions.open_requests_on(
        organisation, form.data.getlist("themes") if form.is_bound else Theme.values
    )
    return render(
        request,
        "requests/form.html",
        space_context(organisation, form=form, open_requests=already),
    )


def request_detail(request, slug, request_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    help_request = get_request_for_pilot(organisation, request_id)
    shares = ResultShare.objects.filter(
        organisation=organisation, network=help_request.network, facilitator__isnull=False
    ).select_related("campaign", "facilitator", "network")
    return render(
        request,
        "requests/detail.html",
        space_context(
            organisation,
            help_request=help_request,
            steps=help_request.steps.select_related("by"),
            entries=help_request.entries.shared().select_related("author"),
            chosen=help_request.campaigns.all(),
            shares=[share for share in shares if share.facilitator_id == help_request.facilitator_id],
            guidance=orientation(organisation, help_request.themes) if help_request.is_open else [],
        ),
    )


@require_POST
def request_withdraw(request, slug, request_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    help_request = get_request_for_pilot(organisation, request_id)
    try:
        actions.withdraw_request(help_request, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, "Votre demande est retirée ; les résultats partagés pour elle ne le sont plus."
        )
    return redirect(help_request)


# The network's side


def _network_context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def queue(request, slug):
    network = get_network_for_user(request, slug, ability="handle_requests")
    state = request.GET.get("etat", "open")
    theme = request.GET.get("theme", "")
    requests = Request.objects.filter(network=network).select_related("organisation", "facilitator")
    counts = requests.aggregate(
        new=Count("pk", filter=Q(state=Request.State.NEW)),
        mine=Count("pk", filter=Q(facilitator=request.user) & ~Q(state=Request.State.CLOSED)),
        open=Count("pk", filter=~Q(state=Request.State.CLOSED)),
        closed=Count("pk", filter=Q(state=Request.State.CLOSED)),
    )
    if state == "new":
        requests = requests.filter(state=Request.State.NEW)
    elif state == "mine":
        requests = requests.open().filter(facilitator=request.user)
    elif state == "closed":
        requests = requests.closed()
    else:
        state = "open"
        requests = requests.open()
    if theme in Theme.values:
        # JSON containment is not portable to SQLite: the themes are filtered in Python, on a
        # page of one network's requests.
        requests = [r for r in requests.order_by("created_at") if theme in r.themes]
    else:
        theme = ""
        requests = requests.order_by("created_at")
    return render(
        request,
        "requests/queue.html",
        _network_context(
            network, requests=requests, counts=counts, state=state, theme=theme, themes=Theme.choices
        ),
    )


def handle(request, slug, request_id):
    network = get_network_for_user(request, slug, ability="handle_requests")
    help_request = get_request_for_network(network, request_id)
    return _render_handle(request, network, help_request)


def _render_handle(request, network, help_request, **forms):
    in_charge = help_request.facilitator_id == request.user.pk
    shares = ResultShare.objects.visible_to(request.user, network).filter(
        organisation=help_request.organisation, facilitator=request.user
    )
    context = _network_context(
        network,
        help_request=help_request,
        in_charge=in_charge,
        steps=help_request.steps.select_related("by"),
        entries=help_request.entries.select_related("author"),
        shares=shares.select_related("campaign"),
        chosen=help_request.campaigns.all(),
        is_facilitator=network.membership.role == "facilitator",
        entry_form=forms.get("entry_form") or (EntryForm() if in_charge and help_request.is_open else None),
        close_form=forms.get("close_form")
        or (
            CloseForm(network=network)
            if help_request.is_open and (in_charge or network.abilities["assign_requests"])
            else None
        ),
        assign_form=forms.get("assign_form")
        or (
            AssignForm(network=network)
            if help_request.is_open and network.abilities["assign_requests"]
            else None
        ),
    )
    return render(request, "requests/handle.html", context, status=400 if forms else 200)


def _done(request, network, help_request, message):
    messages.success(request, message)
    return redirect("requests:handle", network.slug, help_request.pk)


def _refused(request, network, help_request, refusal):
    messages.error(request, str(refusal))
    return redirect("requests:handle", network.slug, help_request.pk)


@require_POST
def take(request, slug, request_id):
    network = get_network_for_user(request, slug, ability="handle_requests")
    help_request = get_request_for_network(network, request_id)
    try:
        actions.take_request(help_request, by=request.user)
    except ActionRefused as refusal:
        return _refused(request, network, help_request, refusal)
    return _done(request, network, help_request, "Vous suivez cette demande ; la structure en est informée.")


@require_POST
def assign(request, slug, request_id):
    network = get_network_for_user(request, slug, ability="assign_requests")
    help_request = get_request_for_network(network, request_id)
    form = AssignForm(request.POST, network=network)
    if not form.is_valid():
        return _render_handle(request, network, help_request, assign_form=form)
    try:
        actions.assign_request(help_request, facilitator=form.cleaned_data["facilitator"], by=request.user)
    except ActionRefused as refusal:
        return _refused(request, network, help_request, refusal)
    return _done(
        request, network, help_request, f"La demande est confiée à {form.cleaned_data['facilitator']}."
    )


@require_POST
def start(request, slug, request_id):
    network = get_network_for_user(request, slug, ability="handle_requests")
    help_request = get_request_for_network(network, request_id)
    try:
        actions.start_accompaniment(help_request, by=request.user)
    except ActionRefused as refusal:
        return _refused(request, network, help_request, refusal)
    return _done(request, network, help_request, "L'accompagnement est commencé.")


@require_POST
def entry(request, slug, request_id):
    network = get_network_for_user(request, slug, ability="handle_requests")
    help_request = get_request_for_network(network, request_id)
    form = EntryForm(request.POST)
    if not form.is_valid():
        return _render_handle(request, network, help_request, entry_form=form)
    try:
        actions.log_entry(help_request, by=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _render_handle(request, network, help_request, entry_form=form)
    return _done(request, network, help_request, "Le suivi est noté.")


@require_POST
def close(request, slug, request_id):
    network = get_network_for_user(request, slug, ability="handle_requests")
    help_request = get_request_for_network(network, request_id)
    form = CloseForm(request.POST, network=network)
    if not form.is_valid():
        return _render_handle(request, network, help_request, close_form=form)
    try:
        actions.close_request(
            help_request,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            offer=form.cleaned_data["offer"],
            by=request.user,
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal))
        return _render_handle(request, network, help_request, close_form=form)
    return _done(request, network, help_request, "La demande est close ; la structure en est informée.")


def figures(request, slug):
    network = get_network_for_user(request, slug, ability="see_request_figures")
    k = settings.ANONYMITY_THRESHOLD
    return render(
        request,
        "requests/figures.html",
        _network_context(
            network,
            figures=request_figures(network, k=k),
            satisfaction=satisfaction_by_quarter(network, k=k),
            threshold=k,
            queue_url=reverse("requests:queue", args=[slug]) if network.abilities["handle_requests"] else "",
        ),
    )
