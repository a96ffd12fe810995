from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from reperes.action_plans.models import Action
from reperes.campaigns.access import get_campaign
from reperes.campaigns.actions import start_follow_up
from reperes.campaigns.forms import FollowUpForm
from reperes.lib.actions import ActionRefused
from reperes.lib.http import XLSX, download
from reperes.lib.spreadsheet import to_csv, to_xlsx
from reperes.lib.svg import radar
from reperes.organisations.access import get_org_for_user
from reperes.reports.actions import LIMIT_REASONS, request_document, retry_document
from reperes.reports.comparison import NotComparable, check_comparable, compare
from reperes.reports.documents import BelowThreshold, action_rows, export_refusal, results_rows
from reperes.reports.models import PreparedDocument
from reperes.reports.prepared import kinds, prepare_page, respond_with
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
    """The PDF report, built by a task: a GET shows the button, the POST asks for it."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id)
    if reason := export_refusal(campaign):
        return _refused(request, organisation, campaign, reason, EXPORT_REFUSED)
    if request.method != "POST":
        return prepare_page(
            request,
            organisation,
            title=f"Rapport PDF — {campaign.title}",
            button="Préparer le PDF",
            back_url=campaign.get_absolute_url(),
            back_label="Revenir au diagnostic",
        )
    document = request_document(
        organisation,
        by=request.user,
        kind="report_pdf",
        params={"campaign_id": str(campaign.pk)},
        title=f"Rapport PDF — {campaign.title}",
    )
    return respond_with(document)


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


# Prepared documents: reached through the organisation, by members with the ability that the
# document's kind asks for; anyone else gets a 404, as for a document that does not exist.


def _document(request, slug, document_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    document = (
        PreparedDocument.objects.defer("content").filter(organisation=organisation, pk=document_id).first()
    )
    kind = kinds().get(document.kind) if document else None
    if kind is None or not organisation.abilities.get(kind.ability):
        raise Http404("Document introuvable")
    document.organisation = organisation
    return organisation, document


REFRESH_SECONDS = 3


def _refused_by_a_limit(document):
    return document.is_failed and document.error in LIMIT_REASONS


def document_page(request, slug, document_id):
    """A document's page: in preparation (it reloads itself), ready, failed, or expired."""
    organisation, document = _document(request, slug, document_id)
    expired = document.is_expired
    response = render(
        request,
        "reports/document.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "document": document,
            "expired": expired,
            "refresh_seconds": REFRESH_SECONDS,
        },
        status=410 if expired else 429 if _refused_by_a_limit(document) else 200,
    )
    if document.status == PreparedDocument.Status.QUEUED and not expired:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def document_file(request, slug, document_id):
    organisation, document = _document(request, slug, document_id)
    if document.is_expired or not document.is_ready:
        return redirect(document)
    content = PreparedDocument.objects.filter(pk=document.pk).values_list("content", flat=True).get()
    return download(bytes(content), filename=document.filename, content_type=document.content_type)


@require_POST
def document_retry(request, slug, document_id):
    """A failed or expired document, asked for again with the same parameters."""
    organisation, document = _document(request, slug, document_id)
    if document.is_ready and not document.is_expired:
        return redirect(document)
    return respond_with(retry_document(document, by=request.user))
