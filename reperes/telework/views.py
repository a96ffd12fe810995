from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from reperes.action_plans.actions import create_action, document_to_action
from reperes.lib.http import XLSX, download
from reperes.lib.spreadsheet import to_xlsx
from reperes.lib.svg import diagram
from reperes.organisations.access import get_org_for_user
from reperes.reports.actions import request_document
from reperes.reports.prepared import prepare_page, respond_with
from reperes.telework import actions
from reperes.telework.forms import (
    REACH_CHOICES,
    USE_CHOICES,
    ActivityForm,
    FlowForm,
    MarkForm,
    ToolForm,
    UsageCharterForm,
)
from reperes.telework.inventory import summaries
from reperes.telework.models import Activity, ActivityMember, InformationFlow, Tool, UsageCharter
from reperes.telework.usage_document import document_context


def _activity(organisation, activity_id):
    try:
        return organisation.activities.get(pk=activity_id)
    except (Activity.DoesNotExist, ValueError):
        raise Http404("Activité introuvable") from None


def inventory(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    activities = list(organisation.activities.prefetch_related("members__user"))
    mine = {
        m.activity_id: m
        for m in ActivityMember.objects.filter(activity__organisation=organisation, user=request.user)
    }
    sees_wishes = organisation.abilities["pilot"]
    rows = []
    for activity in activities:
        members = list(activity.members.all())
        rows.append(
            {
                "activity": activity,
                "people": len(members),
                # Personal wishes: the pilots see who; others only their own.
                "wishes": [m.user for m in members if m.wishes_remote] if sees_wishes else [],
                "mine": mine.get(activity.pk),
            }
        )
    by_role, team = summaries(activities)
    return render(
        request,
        "telework/inventory.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "rows": rows,
            "by_role": by_role,
            "team": team,
            "form": ActivityForm(),
            "sees_wishes": sees_wishes,
        },
    )


def activity_add(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    form = ActivityForm(request.POST or None)
    if form.is_valid():
        activity = actions.add_activity(organisation, by=request.user, **form.cleaned_data)
        messages.success(request, f"L'activité « {activity.title} » est ajoutée.")
        return redirect("telework:inventory", slug)
    return render(
        request,
        "telework/activity_form.html",
        {"organisation": organisation, "abilities": organisation.abilities, "form": form},
        status=400 if form.is_bound else 200,
    )


def activity_edit(request, slug, activity_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    activity = _activity(organisation, activity_id)
    form = ActivityForm(request.POST or None, instance=activity)
    if form.is_valid():
        actions.update_activity(form.save(commit=False), by=request.user)
        messages.success(request, "L'activité est modifiée.")
        return redirect("telework:inventory", slug)
    return render(
        request,
        "telework/activity_form.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "form": form,
            "activity": activity,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def activity_mark(request, slug, activity_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    activity = _activity(organisation, activity_id)
    form = MarkForm(request.POST)
    form.is_valid()
    actions.mark(
        activity,
        user=request.user,
        does_it=form.cleaned_data.get("does_it", False),
        wishes_remote=form.cleaned_data.get("wishes_remote", False),
    )
    messages.success(request, f"C'est noté pour « {activity.title} ».")
    return redirect("telework:inventory", slug)


def inventory_export(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    activities = list(organisation.activities.prefetch_related("members"))
    by_role, team = summaries(activities)
    header = [
        "Activité",
        "Fonction",
        "Fréquence",
        "Faisable à distance",
        "Conditions",
        "Ce qu'elle demande sur place",
        "Journées regroupables par mois",
        "Personnes qui la font",
    ]
    rows = [
        [
            a.title,
            a.role,
            a.get_frequency_display(),
            a.get_remote_display(),
            a.conditions,
            a.on_site_needs,
            a.days_per_month if a.groupable else 0,
            len(a.members.all()),
        ]
        for a in activities
    ]
    summary_rows = [[s.label, s.activities, s.share, s.days] for s in [*by_role, team]]
    content = to_xlsx(
        [
            ("Activités", header, rows),
            (
                "Synthèse",
                ["Fonction", "Activités", "Part faisable à distance (%)", "Jours regroupables"],
                summary_rows,
            ),
        ]
    )
    return download(content, filename=f"inventaire-teletravail-{organisation.slug}.xlsx", content_type=XLSX)


def _flow(organisation, flow_id):
    try:
        return organisation.information_flows.get(pk=flow_id)
    except (InformationFlow.DoesNotExist, ValueError):
        raise Http404("Information introuvable") from None


def information_diagram(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    flows = list(organisation.information_flows.all())
    form = FlowForm(request.POST or None)
    if request.method == "POST":
        if not organisation.abilities["pilot"]:
            raise Http404("Page introuvable")
        if form.is_valid():
            flow = actions.place_flow(organisation, by=request.user, **form.cleaned_data)
            messages.success(request, f"« {flow.name} » est placée sur le schéma.")
            return redirect("telework:diagram", slug)
    chart = diagram(
        [(f.name, (f.current_x, f.current_y), (f.target_x, f.target_y) if f.moves else None) for f in flows]
    )
    return render(
        request,
        "telework/diagram.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "flows": [
                {
                    "flow": flow,
                    "number": item["number"],
                    "now": _place(flow.current_x, flow.current_y),
                    "then": _place(flow.target_x, flow.target_y) if flow.moves else "",
                }
                for flow, item in zip(flows, chart["items"], strict=True)
            ],
            "chart": chart,
            "form": form,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _place(x, y):
    use, reach = dict(USE_CHOICES)[x], dict(REACH_CHOICES)[y]
    return f"{use[0].lower()}{use[1:]} ; {reach[0].lower()}{reach[1:]}"


@require_POST
def flow_to_action(request, slug, flow_id):
    """A move on the diagram becomes an action of the plan."""
    organisation = get_org_for_user(request, slug, ability="pilot")
    flow = _flow(organisation, flow_id)
    if not flow.moves:
        messages.error(
            request, "Cette information ne bouge pas : indiquez d'abord où elle devrait être demain."
        )
        return redirect("telework:diagram", slug)
    action = create_action(
        organisation,
        by=request.user,
        title=f"Faire évoluer la circulation de « {flow.name} »"[:200],
        description=(
            f"Aujourd'hui : {_place(flow.current_x, flow.current_y)}.\n"
            f"Demain : {_place(flow.target_x, flow.target_y)}."
        ),
        fiche="gestion-information",
    )
    messages.success(request, "Le déplacement est devenu une action du plan.")
    return redirect(action)


def _tool(organisation, tool_id):
    try:
        return organisation.tools.get(pk=tool_id)
    except (Tool.DoesNotExist, ValueError):
        raise Http404("Outil introuvable") from None


def usage_rules(request, slug):
    """The team's tools by purpose, and its usage and disconnection rules."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    # Read only: the rules are created by their first save (save_usage_rules), not by a visit.
    charter = UsageCharter.objects.filter(organisation=organisation).first() or UsageCharter(
        organisation=organisation
    )
    tool_form = ToolForm(prefix="outil")
    charter_form = UsageCharterForm(instance=charter, prefix="charte")
    if request.method == "POST":
        if not organisation.abilities["pilot"]:
            raise Http404("Page introuvable")
        if "outil-name" in request.POST:
            tool_form = ToolForm(request.POST, prefix="outil")
            if tool_form.is_valid():
                tool = actions.add_tool(organisation, by=request.user, **tool_form.cleaned_data)
                messages.success(request, f"L'outil « {tool.name} » est ajouté.")
                return redirect("telework:usage_rules", slug)
        else:
            charter_form = UsageCharterForm(request.POST, instance=charter, prefix="charte")
            if charter_form.is_valid():
                actions.save_usage_rules(organisation, by=request.user, **charter_form.cleaned_data)
                messages.success(request, "Les règles sont enregistrées.")
                return redirect("telework:usage_rules", slug)
    return render(
        request,
        "telework/usage_rules.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "tools": organisation.tools.all(),
            "tool_form": tool_form,
            "charter_form": charter_form,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def tool_delete(request, slug, tool_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    actions.remove_tool(_tool(organisation, tool_id), by=request.user)
    messages.success(request, "L'outil est retiré.")
    return redirect("telework:usage_rules", slug)


USAGE_FORMATS = {"docx": "DOCX", "pdf": "PDF"}


def usage_document(request, slug, fmt=None):
    """The charter's page; its DOCX and PDF are built by a task: a GET of their address shows
    the button, the POST asks for the file."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    if fmt is None:
        context = {**document_context(organisation), "abilities": organisation.abilities}
        return render(request, "telework/usage_document.html", context)
    if fmt not in USAGE_FORMATS:
        raise Http404("Format inconnu")
    title = f"Charte d'usage et de déconnexion — {USAGE_FORMATS[fmt]}"
    if request.method != "POST":
        return prepare_page(
            request,
            organisation,
            title=title,
            button=f"Préparer le {USAGE_FORMATS[fmt]}",
            back_url=reverse("telework:usage_document", args=[organisation.slug]),
            back_label="Revenir à la charte",
        )
    document = request_document(
        organisation, by=request.user, kind="usage_charter", params={"fmt": fmt}, title=title
    )
    return respond_with(document)


@require_POST
def usage_document_action(request, slug):
    """The usage and disconnection charter becomes an action of the plan, linked to it."""
    organisation = get_org_for_user(request, slug, ability="pilot")
    action = document_to_action(
        organisation,
        by=request.user,
        title="Faire connaître et appliquer la charte d'usage et de déconnexion",
        description=(
            "Présenter la charte à toute l'équipe, la remettre aux nouveaux arrivants et faire le point "
            "sur son application lors du bilan annuel."
        ),
        label="Charte d'usage des outils numériques et de déconnexion",
        url=reverse("telework:usage_document", args=[organisation.slug]),
        fiche="temps-de-travail",
    )
    messages.success(request, "La charte est inscrite au plan d'action.")
    return redirect(action)
