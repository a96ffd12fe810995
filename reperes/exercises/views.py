from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.exercises import actions
from reperes.exercises.forms import EntriesForm, StartForm
from reperes.exercises.guide import KINDS
from reperes.exercises.models import Exercise
from reperes.organisations.access import get_org_for_user, space_context

# The French path of each kind of exercise (/s/<org>/exercices/nouveau/<path>/).
KIND_PATHS = {
    "revue-outil": "tool_review",
    "temps-de-travail": "time_compromise",
    "espaces-de-travail": "workspace_design",
}
PATH_OF_KIND = {kind: path for path, kind in KIND_PATHS.items()}


def _exercise(organisation, exercise_id):
    try:
        return organisation.exercises.select_related("previous").get(pk=exercise_id)
    except (Exercise.DoesNotExist, ValueError):
        raise Http404("Exercice introuvable") from None


def exercise_list(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    exercises = list(organisation.exercises.all())
    kinds = [
        {
            "kind": kind,
            "path": PATH_OF_KIND[kind.key],
            "exercises": [exercise for exercise in exercises if exercise.kind == kind.key],
        }
        for kind in KINDS.values()
    ]
    return render(request, "exercises/list.html", space_context(organisation, kinds=kinds))


def start(request, slug, kind):
    organisation = get_org_for_user(request, slug, ability="pilot")
    if kind not in KIND_PATHS:
        raise Http404("Exercice introuvable")
    spec = KINDS[KIND_PATHS[kind]]
    form = StartForm(request.POST or None, kind=spec)
    if form.is_valid():
        exercise, created = actions.start_exercise(
            organisation, by=request.user, kind=spec.key, **form.cleaned_data
        )
        if created:
            messages.success(request, f"L'exercice « {exercise.title} » est commencé.")
        return redirect(exercise)
    return render(
        request,
        "exercises/start.html",
        space_context(organisation, form=form, spec=spec),
        status=400 if form.is_bound else 200,
    )


def detail(request, slug, exercise_id):
    """The exercise as the team reads it, and prints it: its output."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    exercise = _exercise(organisation, exercise_id)
    return render(
        request,
        "exercises/detail.html",
        space_context(
            organisation,
            exercise=exercise,
            sections=exercise.sections(),
            followup=exercise.followups.first() if exercise.may_follow_up else None,
        ),
    )


def edit(request, slug, exercise_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    exercise = _exercise(organisation, exercise_id)
    form = EntriesForm(request.POST or None, exercise=exercise)
    if form.is_valid():
        actions.save_entries(
            exercise, by=request.user, title=form.cleaned_data["title"], entries=form.entries()
        )
        messages.success(request, "Les réponses de l'équipe sont enregistrées.")
        return redirect(exercise)
    return render(
        request,
        "exercises/edit.html",
        space_context(organisation, exercise=exercise, form=form),
        status=400 if form.is_bound else 200,
    )


@require_POST
def after_review(request, slug, exercise_id):
    """The « after adoption » review of a tool, started from its « before » review."""
    organisation = get_org_for_user(request, slug, ability="pilot")
    before = _exercise(organisation, exercise_id)
    if not before.may_follow_up:
        raise Http404("Exercice introuvable")
    after, created = actions.start_after_review(before, by=request.user)
    if created:
        messages.success(
            request, "La revue après l'adoption est commencée : les réponses d'avant sont rappelées."
        )
    return redirect(after)


@require_POST
def entry_action(request, slug, exercise_id, key):
    """What the team decided on one section becomes an action of the plan."""
    organisation = get_org_for_user(request, slug, ability="pilot")
    exercise = _exercise(organisation, exercise_id)
    if exercise.spec.section(key) is None:
        raise Http404("Section introuvable")
    action, created = actions.entry_to_action(exercise, key, by=request.user)
    if action is None:
        messages.error(
            request,
            "Rien n'est encore décidé pour cette partie : complétez « ce que nous retenons » d'abord.",
        )
        return redirect(exercise)
    if created:
        messages.success(
            request, "La décision est devenue une action du plan : précisez qui s'en charge et quand."
        )
    else:
        messages.info(request, "Cette décision est déjà une action du plan.")
    return redirect(action)
