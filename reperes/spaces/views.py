"""The home page and the organisation dashboard: each figure comes from the app that owns it."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render

from reperes.action_plans.models import Action
from reperes.campaigns.models import Campaign
from reperes.maturity.queries import maturity_summary
from reperes.organisations.access import get_org_for_user, networks_for, organisations_for
from reperes.programmes.actions import accompaniment_summary
from reperes.requests.models import Request
from reperes.results.models import Priority
from reperes.surveys.models import Recipient


@login_not_required
def home(request):
    if not request.user.is_authenticated:
        return render(request, "spaces/home.html")
    organisations = list(organisations_for(request.user))
    networks = list(networks_for(request.user))
    if len(organisations) == 1 and not networks and not request.GET.get("tous"):
        return redirect(organisations[0])
    return render(request, "spaces/choose.html", {"organisations": organisations, "networks": networks})


def dashboard(request, slug):
    organisation = get_org_for_user(request, slug)
    actions = Action.objects.filter(organisation=organisation)
    context = {
        "organisation": organisation,
        "abilities": organisation.abilities,
        **organisation.team_figures(),
        "networks": organisation.networks.all(),
        "campaigns": Campaign.objects.filter(organisation=organisation).order_by("-created_at")[:3],
        "prioritised": Priority.objects.last_prioritised_campaign(organisation),
        "open_actions": actions.open().count(),
        "overdue_actions": actions.overdue().count(),
        "feedback_awaited": actions.awaiting_feedback_from(request.user)[:3],
        "accompaniment": accompaniment_summary(organisation),
        "help_requests": list(Request.objects.on_dashboard(organisation)),
        "maturity": maturity_summary(organisation),
        "surveys_waiting": list(Recipient.objects.waiting_for(organisation, request.user)[:3]),
        "recent_events": organisation.events.select_related("actor")[:5]
        if organisation.abilities["view_events"]
        else [],
    }
    return render(request, "spaces/dashboard.html", context)
