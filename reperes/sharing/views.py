from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from reperes.campaigns.access import get_campaign
from reperes.lib.actions import ActionRefused
from reperes.lib.panels import collect
from reperes.organisations.access import get_network_for_user, get_org_for_user, space_context
from reperes.programmes.access import get_cohort_for_facilitator
from reperes.programmes.models import Enrolment
from reperes.results.views import render_results, render_theme
from reperes.sharing import actions
from reperes.sharing.forms import ShareForm
from reperes.sharing.models import ResultShare
from reperes.sharing.review import cohort_review


def shares(request, slug):
    """« Ce que nous partageons »: every member sees what leaves the team space; pilots revoke."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    result_shares = list(
        organisation.result_shares.select_related(
            "campaign", "network", "cohort", "created_by", "facilitator"
        ).order_by("-created_at")
    )
    live = set(ResultShare.objects.live().filter(organisation=organisation).values_list("pk", flat=True))
    for share in result_shares:
        share.in_force = share.pk in live
    enrolments = (
        organisation.enrolments.exclude(state=Enrolment.State.DECLINED)
        .select_related("cohort__network", "cohort__programme_version__programme")
        .prefetch_related("participants__membership__user")
        .order_by("-applied_at")
    )
    return render(
        request,
        "sharing/shares.html",
        space_context(
            organisation,
            result_shares=result_shares,
            enrolments=enrolments,
            # What else leaves the space, told by the apps above (accompaniment requests).
            panels=collect("shares_panel", organisation=organisation),
        ),
    )


def share(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    audiences = actions.audiences(organisation)
    current = list(campaign.result_shares.select_related("network", "cohort"))
    form = ShareForm(request.POST or None, audiences=audiences, current=current)
    if form.is_valid():
        network, cohort = form.cleaned_data["audience"]
        try:
            actions.share_results(campaign, network=network, cohort=cohort, by=request.user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "Les résultats sont partagés. Vous pouvez retirer ce partage à tout moment."
            )
            return redirect(campaign)
    return render(
        request,
        "sharing/share.html",
        space_context(
            organisation,
            campaign=campaign,
            form=form,
            current=current,
            threshold=settings.ANONYMITY_THRESHOLD,
        ),
    )


@require_POST
def revoke(request, slug, share_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    try:
        result_share = organisation.result_shares.select_related("campaign", "network", "cohort").get(
            pk=share_id
        )
    except (ResultShare.DoesNotExist, ValidationError):
        raise Http404("Partage introuvable") from None
    actions.revoke_share(result_share, by=request.user)
    messages.success(request, f"Le partage avec {result_share.audience_label} est retiré : l'accès a cessé.")
    next_url = request.POST.get("next")
    if next_url == "campaign":
        return redirect(result_share.campaign)
    return redirect("sharing:shares", slug)


# The facilitators' side: only what was shared with them, never the organisation's space.


def _received_share(request, slug, share_id):
    network = get_network_for_user(request, slug, ability="run_cohorts")
    try:
        result_share = (
            ResultShare.objects.visible_to(request.user, network)
            .select_related("campaign__questionnaire_version__questionnaire", "organisation", "cohort")
            .get(pk=share_id)
        )
    except (ResultShare.DoesNotExist, ValidationError):
        raise Http404("Partage introuvable") from None
    result_share.network = network  # keeps .membership and .abilities
    return network, result_share


def received(request, slug):
    network = get_network_for_user(request, slug, ability="run_cohorts")
    result_shares = (
        ResultShare.objects.visible_to(request.user, network)
        .select_related("campaign__questionnaire_version__questionnaire", "organisation", "cohort")
        .order_by("organisation__name", "-created_at")
    )
    return render(
        request,
        "sharing/received.html",
        {"network": network, "abilities": network.abilities, "result_shares": result_shares},
    )


def received_detail(request, slug, share_id):
    network, result_share = _received_share(request, slug, share_id)
    campaign = result_share.campaign
    extra = {
        "network": network,
        "abilities": network.abilities,
        "result_share": result_share,
        "hide_open_answers": True,
    }
    if campaign.results_visible:
        return render_results(
            request,
            campaign,
            results_url=reverse("sharing:received_detail", args=[slug, result_share.pk]),
            extra=extra,
            shared=True,
        )
    return render(
        request,
        "sharing/participation.html",
        {**extra, "campaign": campaign, "participation": result_share.participation()},
    )


def received_theme(request, slug, share_id, theme_id):
    network, result_share = _received_share(request, slug, share_id)
    if not result_share.campaign.results_visible:
        raise Http404("Résultats pas encore visibles")
    return render_theme(
        request,
        result_share.campaign,
        theme_id,
        results_url=reverse("sharing:received_detail", args=[slug, result_share.pk]),
        extra={
            "network": network,
            "abilities": network.abilities,
            "result_share": result_share,
            "hide_open_answers": True,
        },
        shared=True,
    )


def cohort_review_page(request, slug, cohort_id):
    """Six months later, for the cohort's facilitators: what moved in each organisation that
    shared its diagnostics, and the cohort's average from three organisations."""
    cohort = get_cohort_for_facilitator(request, slug, cohort_id)
    enrolments = list(cohort.enrolments.accepted().select_related("organisation"))
    shares = list(
        ResultShare.objects.visible_to(request.user, cohort.network)
        .filter(organisation__in=[e.organisation for e in enrolments])
        .select_related("campaign__questionnaire_version__questionnaire", "campaign__organisation")
    )
    review = cohort_review(shares)
    reviewed = {item.organisation.pk for item in review.organisations}
    return render(
        request,
        "sharing/cohort_review.html",
        {
            "network": cohort.network,
            "abilities": cohort.network.abilities,
            "cohort": cohort,
            "review": review,
            "enrolments": enrolments,
            "not_reviewed": [e.organisation for e in enrolments if e.organisation.pk not in reviewed],
            "engaged": sum(1 for e in enrolments if e.outcome == Enrolment.Outcome.ENGAGED),
            "outcomes_noted": sum(1 for e in enrolments if e.outcome),
        },
    )
