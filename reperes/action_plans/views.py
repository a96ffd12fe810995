from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.action_plans import actions
from reperes.action_plans.forms import ActionForm, FeedbackForm, FilterForm, StatusForm
from reperes.action_plans.models import Action, FeedbackParticipation, Status
from reperes.discussions.models import Proposal
from reperes.instruments.frameworks import determinants_of
from reperes.lib.actions import ActionRefused
from reperes.organisations.access import get_org_for_user, space_context


def _get_action(organisation, action_id):
    try:
        return organisation.actions.select_related("owner", "campaign__questionnaire_version").get(
            pk=action_id
        )
    except (Action.DoesNotExist, ValueError, ValidationError):
        raise Http404("Action introuvable") from None


def action_list(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    filters = FilterForm(request.GET or None, organisation=organisation)
    queryset = organisation.actions.select_related("owner").prefetch_related("contributors")
    board = request.GET.get("vue") == "tableau"
    actions_list = list(filters.filter(queryset))
    columns = [
        (value, label, [a for a in actions_list if a.status == value]) for value, label in Status.choices
    ]
    return render(
        request,
        "action_plans/list.html",
        space_context(
            organisation,
            actions=actions_list,
            filters=filters,
            board=board,
            columns=columns,
            overdue_count=organisation.actions.overdue().count(),
        ),
    )


def _origin(request, organisation):
    """Origin fields prefilled from the results page (?diagnostic=…&theme=…&affirmation=…)."""
    campaign = (
        organisation.campaigns.filter(pk=request.GET.get("diagnostic") or None).first()
        if request.GET.get("diagnostic")
        else None
    )
    if campaign is None:
        return {}
    theme = campaign.spec.theme(request.GET.get("theme", ""))
    origin = {"campaign": campaign}
    if theme:
        origin |= {"theme_id": theme["id"], "fiche": theme.get("fiche", "")}
        item = next((i for i in theme["items"] if i["id"] == request.GET.get("affirmation")), None)
        if item:
            origin["item_id"] = item["id"]
    return origin


def action_create(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    try:
        origin = _origin(request, organisation)
    except ValidationError:
        origin = {}
    initial = {}
    if theme_id := origin.get("theme_id"):
        # The action starts tagged with the determinants its theme's statements touch.
        theme = origin["campaign"].spec.theme(theme_id)
        initial["determinants"] = determinants_of(theme["items"])
    if item_id := origin.get("item_id"):
        text = next(i["text"] for i in origin["campaign"].spec.items if i["id"] == item_id)
        initial["description"] = f"Point de départ : « {text} »"
    elif origin and (piste := request.GET.get("piste", "")).isdigit():
        # A line of the meeting's synthesis (« pistes d'amélioration »…) becomes the title.
        entry = origin["campaign"].synthesis_entries.filter(pk=piste).first()
        if entry:
            initial["title"] = entry.text[:200]
            initial["description"] = f"Noté en réunion : « {entry.text} »"
    form = ActionForm(request.POST or None, initial=initial, organisation=organisation)
    if form.is_valid():
        data = dict(form.cleaned_data)
        contributors = data.pop("contributors")
        action = actions.create_action(
            organisation, by=request.user, contributors=contributors, **data, **origin
        )
        messages.success(request, f"L'action « {action.title} » est ajoutée au plan.")
        return redirect(action)
    origin_theme = origin["campaign"].spec.theme(origin["theme_id"]) if origin.get("theme_id") else None
    return render(
        request,
        "action_plans/form.html",
        space_context(organisation, form=form, origin=origin, origin_theme=origin_theme),
    )


def action_detail(request, slug, action_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    action = _get_action(organisation, action_id)
    already = FeedbackParticipation.objects.filter(action=action, user=request.user).exists()
    return render(
        request,
        "action_plans/detail.html",
        space_context(
            organisation,
            action=action,
            status_form=StatusForm(initial={"status": action.status}),
            can_change_status=organisation.abilities["pilot"] or action.owner_id == request.user.pk,
            feedback_form=FeedbackForm() if action.status == Status.DONE and not already else None,
            feedback_given=already,
            feedback=action.feedback_figures(),
            threshold=settings.ANONYMITY_THRESHOLD,
        ),
    )


def action_edit(request, slug, action_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    action = _get_action(organisation, action_id)
    previous_owner_id = action.owner_id
    form = ActionForm(request.POST or None, instance=action, organisation=organisation)
    if form.is_valid():
        contributors = form.cleaned_data["contributors"]
        action = form.save(commit=False)
        actions.update_action(
            action,
            by=request.user,
            changed=[str(form.fields[name].label).lower() for name in form.changed_data],
            previous_owner_id=previous_owner_id,
            contributors=contributors,
        )
        messages.success(request, "L'action est modifiée.")
        return redirect(action)
    return render(request, "action_plans/form.html", space_context(organisation, form=form, action=action))


@require_POST
def action_status(request, slug, action_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    action = _get_action(organisation, action_id)
    if not (organisation.abilities["pilot"] or action.owner_id == request.user.pk):
        raise Http404("Action introuvable")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ce statut n'existe pas : choisissez-en un dans la liste.")
        return redirect(action)
    actions.change_status(action, status=form.cleaned_data["status"], by=request.user)
    messages.success(request, f"L'action est maintenant « {action.get_status_display().lower()} ».")
    return redirect(action)


@require_POST
def action_feedback(request, slug, action_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    action = _get_action(organisation, action_id)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez Oui, En partie ou Non.")
        return redirect(action)
    try:
        actions.give_feedback(action, user=request.user, value=form.cleaned_data["value"])
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Merci : votre avis est enregistré, sans votre nom.")
    return redirect(action)


def _adopted_proposal(organisation, proposal_id):
    proposal = Proposal.objects.filter(pk=proposal_id, discussion__organisation=organisation).first()
    if proposal is None:
        raise Http404("Proposition introuvable")
    return proposal


@require_POST
def action_from_proposal(request, slug, proposal_id):
    """An adopted proposal becomes an action in one click; the team completes it after. If it
    is one already, the pilot lands on it."""
    organisation = get_org_for_user(request, slug, ability="pilot")
    proposal = _adopted_proposal(organisation, proposal_id)
    try:
        action = actions.action_from_proposal(proposal, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        existing = organisation.actions.filter(proposal=proposal).first()
        return redirect(existing or proposal.discussion)
    messages.success(
        request, "La proposition est devenue une action : précisez qui s'en occupe et pour quand."
    )
    return redirect("action_plans:edit", slug, action.pk)


def action_for_proposal(request, slug, proposal_id):
    """The action made from a proposal. The discussion page links here rather than reading the
    action itself: discussions sit below the plan and do not know it exists."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    proposal = _adopted_proposal(organisation, proposal_id)
    action = organisation.actions.filter(proposal=proposal).first()
    if action is None:
        messages.info(request, "Cette proposition n'est pas encore une action du plan.")
        return redirect(proposal.discussion)
    return redirect(action)
