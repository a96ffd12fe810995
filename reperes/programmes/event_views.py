"""Network events (webinars, conferences): the network's pages that organise them and count
their reach, and the members' pages where they register."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.lib.http import download
from reperes.lib.limits import MailQuotaExceeded
from reperes.organisations.access import get_network_for_user, get_org_for_user, space_context
from reperes.programmes import actions
from reperes.programmes.calendar import publish_calendar
from reperes.programmes.forms import EventForm, ReachForm, SessionMoveForm, SessionsForm
from reperes.programmes.models import NetworkEvent
from reperes.programmes.reach import event_satisfaction_figures, events_reach

# The network's side


def events(request, slug):
    network = get_network_for_user(request, slug, ability="run_cohorts")
    network_events = network.network_events.prefetch_related("sessions").select_related("cohort")
    return render(
        request,
        "programmes/events.html",
        {
            "network": network,
            "abilities": network.abilities,
            "events": network_events,
            "reach": events_reach(network),
        },
    )


def event_create(request, slug):
    network = get_network_for_user(request, slug, ability="run_cohorts")
    form = EventForm(request.POST or None, network=network)
    sessions_form = SessionsForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and sessions_form.is_valid():
        try:
            event = actions.create_event(
                network, by=request.user, sessions=sessions_form.cleaned_data["sessions"], **form.cleaned_data
            )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "L'événement est créé : les membres du réseau peuvent s'y inscrire.")
            return redirect("programmes:event", slug, event.pk)
    return render(
        request,
        "programmes/event_create.html",
        {"network": network, "abilities": network.abilities, "form": form, "sessions_form": sessions_form},
    )


def _network_event(request, slug, event_id):
    network = get_network_for_user(request, slug, ability="run_cohorts")
    try:
        event = network.network_events.get(pk=event_id)
    except (NetworkEvent.DoesNotExist, ValidationError):
        raise Http404("Événement introuvable") from None
    event.network = network
    return event


def event(request, slug, event_id):
    event = _network_event(request, slug, event_id)
    sessions = list(event.sessions.all())
    form = EventForm(request.POST or None, instance=event, network=event.network)
    if form.is_valid():
        actions.update_event(event, by=request.user, **form.cleaned_data)
        messages.success(request, "L'événement est enregistré.")
        return redirect("programmes:event", slug, event.pk)
    registrations = event.registrations.select_related("user", "organisation").order_by(
        "organisation__name", "user__name"
    )
    return render(
        request,
        "programmes/event.html",
        {
            "network": event.network,
            "abilities": event.network.abilities,
            "event": event,
            "sessions": sessions,
            "form": form,
            "reach_form": ReachForm(sessions=sessions, initial={"host_views": event.host_views}),
            "move_forms": {
                session.number: SessionMoveForm.for_session(session)
                for session in sessions
                if not session.is_cancelled and not session.has_taken_place
            },
            "satisfaction": event_satisfaction_figures(event),
            "registrations": registrations,
        },
    )


@require_POST
def event_reach(request, slug, event_id):
    event = _network_event(request, slug, event_id)
    form = ReachForm(request.POST, sessions=list(event.sessions.all()))
    if not form.is_valid():
        messages.error(request, "Ces chiffres n'ont pas été compris : des nombres entiers, positifs.")
        return redirect("programmes:event", slug, event.pk)
    try:
        actions.record_reach(
            event,
            live_attendance=form.cleaned_data["live_attendance"],
            host_views=form.cleaned_data["host_views"],
            by=request.user,
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "La participation est enregistrée.")
    return redirect("programmes:event", slug, event.pk)


@require_POST
def event_session_move(request, slug, event_id, number):
    event = _network_event(request, slug, event_id)
    session = event.sessions.filter(number=number).first()
    if session is None:
        raise Http404("Séance introuvable")
    form = SessionMoveForm(request.POST, prefix=f"s{number}")
    if not form.is_valid():
        messages.error(request, "Indiquez le jour, l'heure et la durée de la séance.")
        return redirect("programmes:event", slug, event.pk)
    try:
        actions.move_session(
            session,
            starts_at=form.cleaned_data["starts_at"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            by=request.user,
        )
    except MailQuotaExceeded as exceeded:
        messages.error(request, exceeded.message)
    else:
        messages.success(
            request, f"La séance {number} est déplacée ; les personnes inscrites sont prévenues."
        )
    return redirect("programmes:event", slug, event.pk)


@require_POST
def event_satisfaction(request, slug, event_id):
    event = _network_event(request, slug, event_id)
    try:
        count = actions.send_event_satisfaction(event, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Le questionnaire de satisfaction anonyme part à {count} personne(s).")
    return redirect("programmes:event", slug, event.pk)


@require_POST
def event_session_cancel(request, slug, event_id, number):
    event = _network_event(request, slug, event_id)
    session = event.sessions.filter(number=number).first()
    if session is None:
        raise Http404("Séance introuvable")
    try:
        actions.cancel_session(session, by=request.user)
    except MailQuotaExceeded as exceeded:
        messages.error(request, exceeded.message)
    else:
        messages.success(request, f"La séance {number} est annulée ; les personnes inscrites sont prévenues.")
    return redirect("programmes:event", slug, event.pk)


# The members' side


def _member_event(organisation, event_id):
    try:
        return (
            NetworkEvent.objects.filter(network__in=organisation.networks.all())
            .select_related("network", "cohort")
            .get(pk=event_id)
        )
    except (NetworkEvent.DoesNotExist, ValidationError):
        raise Http404("Événement introuvable") from None


def space_events(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    upcoming = actions.events_open_to(organisation).select_related("network").prefetch_related("sessions")
    mine = set(organisation.event_registrations.filter(user=request.user).values_list("event_id", flat=True))
    return render(
        request, "programmes/space_events.html", space_context(organisation, events=upcoming, mine=mine)
    )


def space_event(request, slug, event_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    event = _member_event(organisation, event_id)
    registered = event.registrations.filter(user=request.user).exists()
    return render(
        request,
        "programmes/space_event.html",
        space_context(organisation, event=event, sessions=event.sessions.all(), registered=registered),
    )


@require_POST
def event_register(request, slug, event_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    event = _member_event(organisation, event_id)
    try:
        actions.register(event, user=request.user, organisation=organisation)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    except MailQuotaExceeded as exceeded:
        messages.error(request, exceeded.message)
    else:
        messages.success(
            request, "Vous êtes inscrit·e : la confirmation et le calendrier partent par e-mail."
        )
    return redirect("programmes:space_event", slug, event.pk)


@require_POST
def event_unregister(request, slug, event_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    event = _member_event(organisation, event_id)
    actions.unregister(event, user=request.user)
    messages.success(request, "Votre inscription est annulée.")
    return redirect("programmes:space_event", slug, event.pk)


@require_POST
def event_replay(request, slug, event_id):
    """Count a click on the replay (a POST: a GET never writes), then go to the video."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    event = _member_event(organisation, event_id)
    if not event.replay_link:
        raise Http404("Pas de replay")
    actions.count_replay(event)
    return redirect(event.replay_link)


def event_ics(request, slug, event_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    event = _member_event(organisation, event_id)
    return download(
        publish_calendar(event.sessions.all(), name=event.title),
        filename="evenement.ics",
        content_type="text/calendar",
    )
