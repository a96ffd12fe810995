"""What the PDF report and the exports contain: aggregated figures only, never a response."""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify

from reperes.action_plans.models import Action, Status
from reperes.campaigns.actions import settle_if_due
from reperes.campaigns.models import Campaign
from reperes.lib.http import PDF
from reperes.lib.pdf import html_to_pdf
from reperes.lib.svg import radar
from reperes.reports.comparison import compare
from reperes.reports.prepared import DocumentUnavailable
from reperes.results.compute import build_results

# The report lists what is moving first, then what is planned, then what is finished.
STATUS_ORDER = [Status.IN_PROGRESS, Status.PROPOSED, Status.DONE, Status.ABANDONED]


class BelowThreshold(Exception):
    """Results are not shown for this campaign, so they are not exported either."""


def report_context(campaign):
    if not campaign.results_visible:
        raise BelowThreshold(_why_not(campaign))
    k = settings.ANONYMITY_THRESHOLD
    results = build_results(campaign, k=k)
    organisation = campaign.organisation
    context = {
        "campaign": campaign,
        "organisation": organisation,
        "results": results,
        "threshold": k,
        "priorities": list(campaign.priorities.all()),
        "actions": sorted(
            Action.objects.filter(organisation=organisation).select_related("owner"),
            key=lambda a: (STATUS_ORDER.index(a.status), a.due_on or date.max, a.title),
        ),
    }
    before = campaign.follows
    if before is not None and before.results_visible:
        before_results = build_results(before, k=k)
        changes = compare(before_results, results)
        context.update(
            before=before,
            changes=changes,
            comparison_chart=radar(
                [c.theme["short_title"] for c in changes],
                [(before.title, [c.before for c in changes]), (campaign.title, [c.after for c in changes])],
                maximum=max(t.maximum for t in results.themes),
            ),
        )
    return context


def export_refusal(campaign):
    """Why this campaign's results are not exported, or None when they are."""
    return None if campaign.results_visible else _why_not(campaign)


def build_report_pdf(organisation, params):
    """The PDF report of a campaign (a prepared document, built by a task)."""
    campaign = Campaign.objects.filter(organisation=organisation, pk=params["campaign_id"]).first()
    if campaign is None:
        raise DocumentUnavailable("Ce diagnostic n'existe plus.")
    # Past its date but not yet closed in the database: close it first (the anonymous rows
    # rewritten, the figures frozen), as a page that reads it would, before reading results.
    settle_if_due(campaign)
    try:
        context = report_context(campaign)
    except BelowThreshold as reason:
        raise DocumentUnavailable(str(reason)) from None
    pdf = html_to_pdf(render_to_string("reports/report.html", context))
    return f"rapport-{slugify(campaign.title)[:60]}.pdf", PDF, pdf


def _why_not(campaign):
    if campaign.is_collective:
        return "Les réponses de la réunion n'ont pas encore été notées."
    if not campaign.is_closed:
        return "Les résultats s'exportent une fois le diagnostic clôturé."
    return (
        f"Le diagnostic a reçu {campaign.countable_response_count} réponse(s) qui comptent pour le seuil, "
        "moins que les "
        f"{settings.ANONYMITY_THRESHOLD} qui protègent l'anonymat : ses résultats ne sont ni affichés "
        "ni exportés."
    )


def results_rows(campaign):
    """Rows of aggregated results: one per statement, with its theme's score."""
    context = report_context(campaign)
    values = [choice["label"] for choice in campaign.spec.scale["choices"]]
    header = ["Thème", "Score du thème (0-5)", "Affirmation", *[f"{v} (%)" for v in values], "Réponses"]
    rows = []
    for theme in context["results"].themes:
        for item in theme.items:
            rows.append(
                [
                    theme.theme["title"],
                    round(theme.score, 2) if theme.score is not None else "",
                    item.item["text"],
                    *item.shares.values(),
                    item.total,
                ]
            )
    if not campaign.is_collective:
        rows.append([])
        rows.extend(provenance_rows(campaign))
    return header, rows


def provenance_rows(campaign):
    """Where the responses came from, as the results page says it: how many through each
    channel, and who typed and attested each batch of paper sheets."""
    counts = campaign.channel_counts
    rows = [
        ["Réponses par le lien partagé", counts["link"]],
        ["Réponses par invitation personnelle", counts["invitation"]],
        ["Réponses sur papier", counts["paper"]],
        ["dont feuilles non attestées (ne comptent pour aucun seuil)", counts["paper_unattested"]],
    ]
    for batch in campaign.paper_batches.all():
        attested = "non attestées"
        if batch.is_attested:
            attested = f"attestées par {batch.attested_by_name} ({batch.attested_by_email})"
            attested += f" le {batch.attested_on:%d/%m/%Y}"
        typist = f"{batch.entered_by_name} ({batch.entered_by_email})"
        rows.append([f"{batch.sheet_count} feuilles saisies par {typist}", attested])
    if campaign.invitations_outside:
        rows.append(["Invitations à des adresses hors des membres", campaign.invitations_outside])
    return rows


ACTION_HEADER = [
    "Action",
    "Statut",
    "Responsable",
    "Début",
    "Échéance",
    "Indicateur",
    "Cible",
    "Étape du projet",
    "Dialogue social",
    "Thème",
]


def action_rows(organisation):
    rows = []
    for action in Action.objects.filter(organisation=organisation).select_related(
        "owner", "campaign__questionnaire_version"
    ):
        rows.append(
            [
                action.title,
                action.get_status_display(),
                action.owner_label,
                action.start_on.isoformat() if action.start_on else "",
                action.due_on.isoformat() if action.due_on else "",
                action.indicator,
                action.indicator_target,
                action.get_project_step_display() or "",
                action.social_dialogue,
                action.theme["title"] if action.theme else "",
            ]
        )
    return ACTION_HEADER, rows
