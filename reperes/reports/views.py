from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from reperes.action_plans.models import Action
from reperes.campaigns.access import get_campaign
from reperes.campaigns.actions import start_follow_up
from reperes.campaigns.forms import FollowUpForm
from reperes.lib.actions import ActionRefused
from reperes.lib.http import PDF, XLSX, download
from reperes.lib.pdf import PdfUnavailable, html_to_pdf
from reperes.lib.spreadsheet import to_csv, to_xlsx
from reperes.lib.svg import radar
from reperes.organisations.access import get_org_for_user
from reperes.reports.comparison import NotComparable, check_comparable, compare
from reperes.reports.documents import BelowThreshold, action_rows, report_context, results_rows
from reperes.results.compute import build_results

# What a refused page says, and its status: a comparison asked with a wrong diagnostic is a bad
# request; an export the results do not allow (too few answers, no PDF library) is a conflict.
COMPARISON_REFUSED = ("Comparaison impossible", 400)
EXPORT_REFUSED = ("Export impossible", 409)


def _refused(request, organisation, campaign, reason, refusal):
    title, status = refusal
    return render(
        request,
        "reports/refused.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "campaign": campaign,
            "reason": reason,
            "title": title,
        },
        status=status,
    )


def comparison(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    after = get_campaign(organisation, campaign_id)
    before = after.follows
    if other_id := request.GET.get("avec"):
        try:
            before = organisation.campaigns.filter(pk=other_id).first()
        except ValidationError:
            before = None
        if before is None:
            return _refused(
                request,
                organisation,
                after,
                "Ce diagnostic n'existe pas dans votre structure.",
                COMPARISON_REFUSED,
            )
    if before is None:
        return _refused(
            request,
            organisation,
            after,
            "Ce diagnostic n'a pas de diagnostic précédent à comparer.",
            COMPARISON_REFUSED,
        )
    try:
        check_comparable(before, after)
    except NotComparable as reason:
        return _refused(request, organisation, after, str(reason), COMPARISON_REFUSED)
    context = {
        "organisation": organisation,
        "abilities": organisation.abilities,
        "before": before,
        "after": after,
    }
    if not (before.results_visible and after.results_visible):
        context["not_visible"] = True
        return render(request, "reports/comparison.html", context)
    k = settings.ANONYMITY_THRESHOLD
    before_results, after_results = build_results(before, k=k), build_results(after, k=k)
    start = before.effective_closed_on
    end = after.effective_closed_on
    done = Action.objects.filter(organisation=organisation).done().filter(done_on__gte=start)
    if end:
        done = done.filter(done_on__lte=end)
    changes = compare(before_results, after_results, list(done))
    labels = [change.theme["short_title"] for change in changes]
    context.update(
        changes=changes,
        chart=radar(
            labels,
            [(before.title, [c.before for c in changes]), (after.title, [c.after for c in changes])],
            maximum=max(t.maximum for t in after_results.themes),
        ),
        done_actions=done,
        before_results=before_results,
        after_results=after_results,
    )
    return render(request, "reports/comparison.html", context)


@require_POST
def follow_up(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de clôture du point de suivi.")
        return redirect(campaign)
    try:
        new = start_follow_up(campaign, by=request.user, closes_on=form.cleaned_data["closes_on"])
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(campaign)
    messages.success(
        request,
        "Le point de suivi est prêt, avec les mêmes collèges. Ouvrez-le, puis partagez le lien ou renvoyez "
        "les invitations : les adresses du premier diagnostic ont été effacées à sa clôture.",
    )
    return redirect(new)


def report_pdf(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id)
    try:
        context = report_context(campaign)
    except BelowThreshold as reason:
        return _refused(request, organisation, campaign, str(reason), EXPORT_REFUSED)
    html = render_to_string("reports/report.html", context, request=request)
    try:
        pdf = html_to_pdf(html)
    except PdfUnavailable as reason:
        return _refused(request, organisation, campaign, str(reason), EXPORT_REFUSED)
    return download(pdf, filename=f"rapport-{slugify(campaign.title)[:60]}.pdf", content_type=PDF)


FORMATS = {"csv", "xlsx"}


def results_export(request, slug, campaign_id, fmt):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id)
    try:
        header, rows = results_rows(campaign)
    except BelowThreshold as reason:
        return _refused(request, organisation, campaign, str(reason), EXPORT_REFUSED)
    name = f"resultats-{slugify(campaign.title)[:60]}"
    if fmt == "csv":
        return download(to_csv(header, rows), filename=f"{name}.csv", content_type="text/csv; charset=utf-8")
    return download(
        to_xlsx([("Résultats", header, rows)]),
        filename=f"{name}.xlsx",
        content_type=XLSX,
    )


def actions_export(request, slug, fmt):
    if fmt not in FORMATS:
        raise Http404("Format inconnu")
    organisation = get_org_for_user(request, slug, ability="take_part")
    header, rows = action_rows(organisation)
    name = f"plan-d-action-{organisation.slug}"
    if fmt == "csv":
        return download(to_csv(header, rows), filename=f"{name}.csv", content_type="text/csv; charset=utf-8")
    return download(
        to_xlsx([("Plan d'action", header, rows)]),
        filename=f"{name}.xlsx",
        content_type=XLSX,
    )
