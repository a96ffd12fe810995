"""Programme evaluation pages of a network: its projects, one project's computed and entered
indicators for a period, its key figures per region and for the nation, and the forms where
administrators and facilitators enter what Repères cannot know. Every role of the network reads."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.evaluation import actions
from reperes.evaluation.access import get_project_for_user
from reperes.evaluation.figures import key_figures_table, period_for, project_figures
from reperes.evaluation.forms import (
    NATIONAL_CHOICE,
    AssessmentForm,
    CommitteeForm,
    KeyFiguresForm,
    PartnerForm,
    ProjectForm,
)
from reperes.evaluation.models import GeneralIndicator, Project
from reperes.lib.actions import ActionRefused
from reperes.lib.panels import collect
from reperes.organisations.access import get_network_for_user

ENTER = "evaluate_programmes"


def _context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


def projects(request, slug):
    network = get_network_for_user(request, slug)
    items = Project.objects.filter(network=network)
    return render(request, "evaluation/projects.html", _context(network, projects=items))


def project_create(request, slug):
    network = get_network_for_user(request, slug, ability=ENTER)
    form = ProjectForm(request.POST or None, network=network)
    if form.is_valid():
        try:
            project = actions.create_project(network, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Le projet est créé. Saisissez ses chiffres quand vous les avez.")
            return redirect(project)
    return render(request, "evaluation/project_form.html", _context(network, form=form, project=None))


def project(request, slug, project_id):
    project = get_project_for_user(request, slug, project_id)
    period, choices = period_for(project, request.GET.get("periode", ""))
    assessments = {a.indicator: a for a in project.assessments.all()}
    return render(
        request,
        "evaluation/project.html",
        _context(
            project.network,
            project=project,
            period=period,
            periods=choices,
            figures=project_figures(project, period),
            # What the apps above count for the period (the network surveys): reperes.lib.panels.
            panels=collect("evaluation_panel", project=project, period=period, heading_level=3),
            cohorts=project.cohorts.all(),
            events=project.events.all(),
            partners=project.partners.all(),
            committees=project.committees.all(),
            assessments=[(indicator, assessments.get(indicator.value)) for indicator in GeneralIndicator],
        ),
    )


def project_edit(request, slug, project_id):
    project = get_project_for_user(request, slug, project_id, ability=ENTER)
    initial = {
        "title": project.title,
        "description": project.description,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "cohorts": list(project.cohorts.all()),
        "events": list(project.events.all()),
    }
    form = ProjectForm(request.POST or None, initial=initial, network=project.network)
    if form.is_valid():
        try:
            actions.update_project(project, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Le projet est modifié.")
            return redirect(project)
    return render(
        request, "evaluation/project_form.html", _context(project.network, form=form, project=project)
    )


def key_figures(request, slug, project_id):
    project = get_project_for_user(request, slug, project_id)
    return render(
        request,
        "evaluation/key_figures.html",
        _context(project.network, project=project, table=key_figures_table(project)),
    )


def key_figures_edit(request, slug, project_id):
    """One place at a time: ?lieu=<region code> or ?lieu=national, prefilled with its figures."""
    project = get_project_for_user(request, slug, project_id, ability=ENTER)
    network = project.network
    allowed = actions.allowed_regions(network)
    if request.method == "POST":
        form = KeyFiguresForm(request.POST, network=network)
        if form.is_valid():
            region = form.cleaned_data["region"]
            try:
                actions.set_key_figures(project, region=region, figures=form.figures(), by=request.user)
            except ActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "Les chiffres clés sont enregistrés.")
                return redirect("evaluation:key_figures", network.slug, project.pk)
    else:
        place = request.GET.get("lieu", "")
        region = "" if place == NATIONAL_CHOICE else place
        if region not in allowed:
            region = allowed[0] if allowed else ""
        if place and (("" if place == NATIONAL_CHOICE else place) not in allowed):
            raise Http404("Région hors du réseau")
        form = KeyFiguresForm(
            initial=KeyFiguresForm.initial_for(region, project.key_figures.filter(region=region)),
            network=network,
        )
    return render(request, "evaluation/key_figures_form.html", _context(network, project=project, form=form))


def partner_add(request, slug, project_id):
    project = get_project_for_user(request, slug, project_id, ability=ENTER)
    form = PartnerForm(request.POST or None, network=project.network)
    if form.is_valid():
        try:
            actions.add_partner(project, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Le partenaire est ajouté.")
            return redirect(project.get_absolute_url() + "#partenaires")
    return render(
        request,
        "evaluation/entry_form.html",
        _context(
            project.network, project=project, form=form, heading="Ajouter un partenaire ou un financeur"
        ),
    )


@require_POST
def partner_remove(request, slug, project_id, partner_id):
    project = get_project_for_user(request, slug, project_id, ability=ENTER)
    partner = project.partners.filter(pk=partner_id).first()
    if partner is None:
        raise Http404("Partenaire introuvable")
    actions.remove_partner(partner, by=request.user)
    messages.success(request, "Le partenaire est retiré.")
    return redirect(project.get_absolute_url() + "#partenaires")


def committee_add(request, slug, project_id):
    project = get_project_for_user(request, slug, project_id, ability=ENTER)
    form = CommitteeForm(request.POST or None, network=project.network)
    if form.is_valid():
        try:
            actions.add_committee(project, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Le comité de pilotage est ajouté.")
            return redirect(project.get_absolute_url() + "#comites")
    return render(
        request,
        "evaluation/entry_form.html",
        _context(project.network, project=project, form=form, heading="Ajouter un comité de pilotage"),
    )


@require_POST
def committee_remove(request, slug, project_id, committee_id):
    project = get_project_for_user(request, slug, project_id, ability=ENTER)
    committee = project.committees.filter(pk=committee_id).first()
    if committee is None:
        raise Http404("Comité introuvable")
    actions.remove_committee(committee, by=request.user)
    messages.success(request, "Le comité de pilotage est retiré.")
    return redirect(project.get_absolute_url() + "#comites")


def assessments_edit(request, slug, project_id):
    project = get_project_for_user(request, slug, project_id, ability=ENTER)
    initial = {a.indicator: a.text for a in project.assessments.all()}
    form = AssessmentForm(request.POST or None, initial=initial)
    if form.is_valid():
        actions.set_assessments(project, texts=form.cleaned_data, by=request.user)
        messages.success(request, "Les appréciations sont enregistrées.")
        return redirect(project.get_absolute_url() + "#indicateurs-generaux")
    return render(
        request,
        "evaluation/entry_form.html",
        _context(
            project.network,
            project=project,
            form=form,
            heading="Apprécier les indicateurs généraux",
            introduction="Quelques phrases par indicateur, sur ce que le projet a changé. Laissez vide ce "
            "que vous ne pouvez pas encore apprécier.",
        ),
    )
