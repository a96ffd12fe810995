from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from reperes.organisations.access import get_org_for_user
from reperes.questionnaires.access import get_campaign
from reperes.questionnaires.models import Campaign
from reperes.results.compute import build_results


def _render_results(request, campaign, *, template, extra, shared):
    k = settings.ANONYMITY_THRESHOLD
    context = {
        "campaign": campaign,
        "threshold": k,
        "shared": shared,
        "results": build_results(campaign, k=k) if campaign.results_visible else None,
        **extra,
    }
    return render(request, template, context)


def detail(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="view_campaigns")
    campaign = get_campaign(organisation, campaign_id)
    return _render_results(
        request,
        campaign,
        template="results/detail.html",
        extra={"organisation": organisation, "abilities": organisation.abilities},
        shared=False,
    )


def theme(request, slug, campaign_id, theme_id):
    organisation = get_org_for_user(request, slug, ability="view_campaigns")
    campaign = get_campaign(organisation, campaign_id)
    return _theme(
        request, campaign, theme_id, {"organisation": organisation, "abilities": organisation.abilities}
    )


def _shared_campaign(token):
    campaign = (
        Campaign.objects.select_related("organisation", "questionnaire_version")
        .filter(results_token=token)
        .first()
    )
    if campaign is None:
        raise Http404("Lien de résultats introuvable")
    return campaign


@login_not_required
def shared(request, token):
    campaign = _shared_campaign(token)
    return _render_results(
        request, campaign, template="results/detail.html", extra={"token": token}, shared=True
    )


@login_not_required
def shared_theme(request, token, theme_id):
    campaign = _shared_campaign(token)
    return _theme(request, campaign, theme_id, {"token": token}, shared=True)


def _theme(request, campaign, theme_id, extra, shared=False):
    definition = campaign.spec.theme(theme_id)
    if definition is None:
        raise Http404("Thème introuvable")
    k = settings.ANONYMITY_THRESHOLD
    results = build_results(campaign, k=k) if campaign.results_visible else None
    theme_result = next((t for t in results.themes if t.id == theme_id), None) if results else None
    return render(
        request,
        "results/theme.html",
        {
            "campaign": campaign,
            "theme": definition,
            "theme_result": theme_result,
            "results": results,
            "threshold": k,
            "shared": shared,
            **extra,
        },
    )
