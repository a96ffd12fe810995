"""The maturity self-diagnostic's pages: the pilots answer in the organisation's name, every
member reads the results, anyone else gets a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.lib.panels import collect
from reperes.lib.svg import radar
from reperes.maturity import actions
from reperes.maturity.access import get_assessment
from reperes.maturity.forms import CompareForm, DimensionForm, StartForm
from reperes.maturity.models import Assessment
from reperes.maturity.queries import (
    compare_assessments,
    completed_assessments,
    dimension_rows,
    previous_completed,
    weak_themes,
)
from reperes.organisations.access import get_org_for_user, space_context


def home(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    past = list(completed_assessments(organisation))
    draft = (
        Assessment.objects.filter(organisation=organisation)
        .drafts()
        .select_related("questionnaire_version", "started_by")
        .first()
    )
    return render(
        request,
        "maturity/home.html",
        space_context(
            organisation,
            past=past,
            draft=draft,
            start_form=StartForm() if draft is None else None,
            installed=actions.current_version() is not None,
        ),
    )


@require_POST
def start(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez comment vous répondez : entre pilotes ou en réunion d'équipe.")
        return redirect("maturity:home", organisation.slug)
    try:
        assessment, created = actions.start_assessment(
            organisation, mode=form.cleaned_data["mode"], by=request.user
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("maturity:home", organisation.slug)
    if not created:
        messages.info(request, "Un autodiagnostic était déjà en cours : vous le reprenez où il en était.")
    return redirect(assessment.get_absolute_url())


def answer(request, slug, assessment_id, number):
    organisation = get_org_for_user(request, slug, ability="pilot")
    assessment = get_assessment(organisation, assessment_id)
    if not assessment.is_draft:
        return redirect(assessment.get_absolute_url())
    dimension = assessment.dimension(number)
    if dimension is None:
        raise Http404("Dimension inconnue")
    meeting = assessment.mode == Assessment.Mode.MEETING
    initial = {**{item["id"]: assessment.answers.get(item["id"]) for item in dimension["items"]}}
    initial["note"] = assessment.notes.get(dimension["id"], "")
    form = DimensionForm(
        request.POST or None,
        initial=initial,
        dimension=dimension,
        scale=assessment.spec.scale,
        with_note=meeting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_answers(assessment, dimension["id"], form.answers(), form.note(), by=request.user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            count = len(assessment.dimensions)
            if request.POST.get("nav") == "prev" and number > 1:
                return redirect("maturity:answer", organisation.slug, assessment.pk, number - 1)
            if request.POST.get("nav") == "next" and number < count:
                return redirect("maturity:answer", organisation.slug, assessment.pk, number + 1)
            return redirect("maturity:finish", organisation.slug, assessment.pk)
    return render(
        request,
        "maturity/answer.html",
        space_context(
            organisation,
            assessment=assessment,
            dimension=dimension,
            number=number,
            count=len(assessment.dimensions),
            form=form,
            meeting=meeting,
            steps=_steps(assessment),
        ),
    )


def _steps(assessment):
    """Each dimension with its number and how many of its statements are answered."""
    return [
        {
            "number": number,
            "dimension": dimension,
            "answered": len(dimension["items"]) - len(assessment.unanswered(dimension)),
            "total": len(dimension["items"]),
        }
        for number, dimension in enumerate(assessment.dimensions, start=1)
    ]


def finish(request, slug, assessment_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    assessment = get_assessment(organisation, assessment_id)
    if not assessment.is_draft:
        return redirect(assessment.get_absolute_url())
    if request.method == "POST":
        try:
            actions.complete_assessment(assessment, by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "L'autodiagnostic est terminé : voici où en est la structure.")
            return redirect("maturity:results", organisation.slug, assessment.pk)
    steps = _steps(assessment)
    return render(
        request,
        "maturity/finish.html",
        space_context(
            organisation,
            assessment=assessment,
            steps=steps,
            complete=all(step["answered"] == step["total"] for step in steps),
        ),
    )


@require_POST
def delete(request, slug, assessment_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    assessment = get_assessment(organisation, assessment_id)
    try:
        actions.delete_draft(assessment, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "L'autodiagnostic en cours et ses réponses sont supprimés.")
    return redirect("maturity:home", organisation.slug)


def results(request, slug, assessment_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    assessment = get_assessment(organisation, assessment_id)
    if assessment.is_draft:
        if organisation.abilities["pilot"]:
            return redirect(assessment.get_absolute_url())
        raise Http404("Autodiagnostic en cours")
    rows = dimension_rows(assessment, with_fiches=True)
    previous = previous_completed(assessment)
    comparison = compare_assessments(previous, assessment) if previous else None
    changes = {row.dimension["id"]: row.change for row in comparison or []}
    table = [{"row": row, "change": changes.get(row.dimension["id"])} for row in rows]
    series = [(_dated("Cette fois", assessment), [row.score for row in rows])]
    if comparison:
        series.append(
            (_dated("La fois précédente", previous), [changes[row.dimension["id"]].before for row in rows])
        )
    return render(
        request,
        "maturity/results.html",
        space_context(
            organisation,
            assessment=assessment,
            rows=rows,
            table=table,
            previous=previous,
            comparison=comparison,
            chart=_chart(assessment, series),
            levels=assessment.spec.levels,
            top_level=assessment.spec.levels[-1],
            others=[a for a in completed_assessments(organisation) if a.pk != assessment.pk],
            panels=collect(
                "maturity_panel",
                organisation=organisation,
                assessment=assessment,
                weak_themes=weak_themes(assessment),
                heading_level=2,
            ),
        ),
    )


def compare(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    assessments = list(completed_assessments(organisation))
    form = CompareForm(request.GET or None, assessments=assessments)
    shown = {}
    if form.is_bound and form.is_valid():
        before, after = form.pair()
        comparison = compare_assessments(before, after)
        shown = {
            "before": before,
            "after": after,
            "comparison": comparison,
            "chart": _chart(
                after,
                [
                    (_dated("Après", after), [row.change.after for row in comparison]),
                    (_dated("Avant", before), [row.change.before for row in comparison]),
                ],
            ),
        }
    context = space_context(organisation, form=form, enough=len(assessments) >= 2, **shown)
    return render(request, "maturity/compare.html", context)


def _dated(label, assessment):
    return f"{label} ({assessment.completed_at:%d/%m/%Y})"


def _chart(assessment, series):
    labels = [dimension["short_title"] for dimension in assessment.dimensions]
    return radar(labels, series, maximum=100, rings=4)
