"""Survey pages. On the network's side, every role reads the surveys, their response rates and
their results; administrators and analysts prepare, open, remind, postpone and close them. On the
organisation's side, its pilots (and the colleague they hand it to) answer in its name and read
the results once the survey is closed."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.organisations.access import get_network_for_user, get_org_for_user, space_context
from reperes.surveys import actions
from reperes.surveys.access import get_recipient_for_user, get_survey_for_user, may_answer
from reperes.surveys.forms import AnswerForm, HandOverForm, PostponeForm, SurveyForm
from reperes.surveys.models import Recipient, Survey
from reperes.surveys.results import (
    BREAKDOWNS,
    answered_recipients,
    breakdown_or_default,
    question_tables,
    quotes,
    response_rates,
    theme_overview,
    unquoted_count,
)

RUN = "run_surveys"


def _context(network, **extra):
    return {"network": network, "abilities": network.abilities, **extra}


# The network's side


def surveys(request, slug):
    network = get_network_for_user(request, slug, ability="see_surveys")
    items = list(
        Survey.objects.filter(network=network).select_related("questionnaire_version__questionnaire")
    )
    counts = Recipient.objects.filter(survey__network=network).values_list("survey_id", "state")
    figures = {}
    for survey_id, state in counts:
        targeted, answered = figures.get(survey_id, (0, 0))
        figures[survey_id] = (targeted + 1, answered + (state == Recipient.State.SUBMITTED))
    for survey in items:
        survey.targeted, survey.answered = figures.get(survey.pk, (0, 0))
    return render(request, "surveys/list.html", _context(network, surveys=items))


def create(request, slug):
    network = get_network_for_user(request, slug, ability=RUN)
    form = SurveyForm(request.POST or None, network=network)
    if form.is_valid():
        try:
            survey = actions.create_survey(network, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "L'enquête est préparée. Relisez-la, puis programmez son ouverture.")
            return redirect(survey)
    return render(request, "surveys/form.html", _context(network, form=form, survey=None))


def edit(request, slug, survey_id):
    survey = get_survey_for_user(request, slug, survey_id, ability=RUN)
    if not survey.is_draft:
        messages.info(request, "L'enquête est ouverte : seule sa date de clôture peut encore changer.")
        return redirect(survey)
    initial = {
        "title": survey.title,
        "introduction": survey.introduction,
        "questionnaire_version": str(survey.questionnaire_version_id),
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "attributed": survey.attributed,
        "breakdown": survey.breakdown,
        "regions": survey.regions,
        "sectors": survey.sectors,
        "size_bands": survey.size_bands,
    }
    form = SurveyForm(request.POST or None, initial=initial, network=survey.network)
    if form.is_valid():
        try:
            actions.update_survey(survey, by=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "L'enquête est modifiée.")
            return redirect(survey)
    return render(request, "surveys/form.html", _context(survey.network, form=form, survey=survey))


def _act(request, survey, verb, success, **kwargs):
    try:
        verb(survey, by=request.user, **kwargs)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success)
    return redirect(survey)


@require_POST
def schedule(request, slug, survey_id):
    survey = get_survey_for_user(request, slug, survey_id, ability=RUN)
    today = timezone.localdate()
    success = (
        "L'enquête est ouverte : les pilotes des structures concernées sont prévenu·es par e-mail."
        if survey.opens_on <= today
        else f"L'enquête ouvrira le {survey.opens_on:%d/%m/%Y} ; les structures seront alors prévenues."
    )
    return _act(request, survey, actions.schedule_survey, success)


@require_POST
def delete(request, slug, survey_id):
    survey = get_survey_for_user(request, slug, survey_id, ability=RUN)
    network = survey.network
    try:
        actions.delete_draft(survey, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(survey)
    messages.success(request, "L'enquête en préparation est supprimée.")
    return redirect("surveys:list", network.slug)


@require_POST
def remind(request, slug, survey_id):
    survey = get_survey_for_user(request, slug, survey_id, ability=RUN)
    try:
        count = actions.remind(survey, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"Relance envoyée aux pilotes de {count} structure(s) qui n'ont pas encore répondu."
        )
    return redirect(survey)


@require_POST
def postpone(request, slug, survey_id):
    survey = get_survey_for_user(request, slug, survey_id, ability=RUN)
    form = PostponeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la nouvelle date de clôture au format jj/mm/aaaa.")
        return redirect(survey)
    closes_on = form.cleaned_data["closes_on"]
    return _act(
        request,
        survey,
        actions.postpone,
        f"La clôture est maintenant le {closes_on:%d/%m/%Y}.",
        closes_on=closes_on,
    )


@require_POST
def close(request, slug, survey_id):
    survey = get_survey_for_user(request, slug, survey_id, ability=RUN)
    return _act(request, survey, actions.close_survey, "L'enquête est clôturée : voici ses résultats.")


def survey(request, slug, survey_id):
    survey = get_survey_for_user(request, slug, survey_id)
    breakdown = breakdown_or_default(request.GET.get("par", ""))
    rates, total = response_rates(survey, breakdown)
    # The answers of organisations the network's staff belong to are known to them (padding).
    known = survey.network.staff_organisation_ids() if survey.is_closed else frozenset()
    tables = question_tables(survey, survey.breakdown, known=known) if survey.is_closed else []
    return render(
        request,
        "surveys/survey.html",
        _context(
            survey.network,
            survey=survey,
            breakdown=breakdown,
            breakdown_label=_breakdown_label(breakdown),
            breakdowns=BREAKDOWNS,
            rates=rates,
            total=total,
            tables=tables if survey.breakdown else [],
            overview=theme_overview(tables),
            results_label=_breakdown_label(survey.breakdown),
            quotes=quotes(survey) if survey.is_closed else [],
            unquoted=unquoted_count(survey) if survey.is_closed else 0,
            postpone_form=PostponeForm(initial={"closes_on": survey.closes_on}),
            today=timezone.localdate(),
        ),
    )


def _breakdown_label(breakdown):
    return BREAKDOWNS[breakdown] if breakdown else "Structures"


def answers(request, slug, survey_id):
    """Each organisation's answers, for a survey that said from the start they are attributed."""
    survey = get_survey_for_user(request, slug, survey_id)
    if not survey.attributed:
        raise Http404("Enquête confidentielle")
    recipients = answered_recipients(survey)
    spec = survey.spec
    labels = {choice["value"]: choice["label"] for choice in spec.scale["choices"]}
    rows = [
        {
            "recipient": recipient,
            "where": " · ".join(
                label
                for label in (recipient.segment_label("region"), recipient.segment_label("size_band"))
                if label
            ),
            "pairs": [(item, labels.get(recipient.answers.get(item["id"]), "—")) for item in spec.items],
            "text_pairs": [(item, recipient.texts.get(item["id"], "")) for item in spec.text_items],
        }
        for recipient in recipients
    ]
    return render(request, "surveys/answers.html", _context(survey.network, survey=survey, rows=rows))


def results_csv(request, slug, survey_id):
    """The results by the chosen breakdown, as the page shows them: hidden figures stay hidden."""
    survey = get_survey_for_user(request, slug, survey_id)
    if not survey.is_closed:
        raise Http404("Enquête en cours")
    breakdown = survey.breakdown
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="enquete-{survey.closed_on:%Y-%m-%d}-resultats.csv"'
    )
    response.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Question", BREAKDOWNS[breakdown], "Réponse", "Structures"])
    for table in question_tables(survey, breakdown, known=survey.network.staff_organisation_ids()):
        for line in table.rows + ([table.totals] if table.totals else []):
            for (_value, label), cell in zip(table.columns, line["cells"], strict=True):
                writer.writerow([table.item["text"], line["label"], label, _csv_cell(cell)])
            writer.writerow([table.item["text"], line["label"], "Total", _csv_cell(line["total"])])
    return response


def _csv_cell(cell):
    if not cell["shown"]:
        return "masqué"
    return "" if cell["value"] is None else cell["value"]


# The organisation's side


def inbox(request, slug):
    organisation = get_org_for_user(request, slug)
    recipients = [
        recipient
        for recipient in Recipient.objects.filter(
            organisation=organisation, survey__state__in=(Survey.State.OPEN, Survey.State.CLOSED)
        )
        .select_related("survey", "survey__network")
        .order_by("-survey__opens_on")
        if may_answer(_with_org(recipient, organisation), request.user)
    ]
    return render(request, "surveys/inbox.html", space_context(organisation, recipients=recipients))


def _with_org(recipient, organisation):
    recipient.organisation = organisation
    return recipient


def answer(request, slug, survey_id):
    recipient = get_recipient_for_user(request, slug, survey_id)
    survey, organisation = recipient.survey, recipient.organisation
    if survey.is_closed:
        return redirect("surveys:org_results", organisation.slug, survey.pk)
    initial = {**recipient.answers, **recipient.texts, "quote_consent": recipient.quote_consent}
    form = AnswerForm(request.POST or None, initial=initial, spec=survey.spec)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("envoyer") is not None
        fields = {
            "answers": form.answers(),
            "texts": form.texts(),
            "quote_consent": form.cleaned_data["quote_consent"],
        }
        try:
            actions.save_answer(recipient, submit=submit, by=request.user, **fields)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
            if submit and survey.is_open:  # incomplete: keep what was given as a draft
                try:
                    actions.save_answer(recipient, submit=False, by=request.user, **fields)
                except ActionRefused:
                    pass
                else:
                    form.add_error(None, "Ce que vous avez répondu est enregistré en brouillon.")
        else:
            if submit:
                messages.success(
                    request,
                    "La réponse de la structure est envoyée. Vous pouvez la modifier jusqu'à la clôture : "
                    "la dernière envoyée compte.",
                )
            else:
                messages.success(request, "Brouillon enregistré. Vous pouvez revenir le compléter.")
            return redirect("surveys:answer", organisation.slug, survey.pk)
    recipient.refresh_from_db(fields=["state", "submitted_on"])
    return render(
        request,
        "surveys/answer.html",
        space_context(
            organisation,
            recipient=recipient,
            survey=survey,
            form=form,
            hand_over_form=HandOverForm(organisation=organisation)
            if organisation.abilities["pilot"]
            else None,
        ),
    )


@require_POST
def hand_over(request, slug, survey_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    recipient = get_recipient_for_user(request, organisation.slug, survey_id)
    form = HandOverForm(request.POST, organisation=organisation)
    if not form.is_valid():
        messages.error(request, "Choisissez une personne de l'équipe de la structure.")
    else:
        try:
            actions.hand_over(recipient, form.cleaned_data["membership"], by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                f"{form.cleaned_data['membership'].user} peut maintenant répondre ; un e-mail l'a prévenu·e.",
            )
    return redirect("surveys:answer", organisation.slug, survey_id)


@require_POST
def take_back(request, slug, survey_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    recipient = get_recipient_for_user(request, organisation.slug, survey_id)
    try:
        actions.take_back(recipient, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Le questionnaire n'est plus confié à personne : les pilotes y répondent.")
    return redirect("surveys:answer", organisation.slug, survey_id)


def org_results(request, slug, survey_id):
    """A closed survey's results as an organisation that was asked sees them: its own answers
    are known to it, so no figure may rest on too few organisations besides it."""
    recipient = get_recipient_for_user(request, slug, survey_id)
    survey, organisation = recipient.survey, recipient.organisation
    if not survey.is_closed:
        return redirect("surveys:answer", organisation.slug, survey.pk)
    known = {organisation.pk} | set(request.user.memberships.values_list("organisation_id", flat=True))
    tables = question_tables(survey, survey.breakdown, known=frozenset(known))
    return render(
        request,
        "surveys/org_results.html",
        space_context(
            organisation,
            recipient=recipient,
            survey=survey,
            tables=tables if survey.breakdown else [],
            overview=theme_overview(tables),
            results_label=_breakdown_label(survey.breakdown),
            quotes=quotes(survey),
            total=response_rates(survey, "")[1],
        ),
    )
