from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from reperes.campaigns.access import get_campaign
from reperes.campaigns.models import Campaign
from reperes.lib.actions import ActionRefused
from reperes.lib.panels import collect
from reperes.organisations.access import get_org_for_user
from reperes.results import actions
from reperes.results.compute import build_results
from reperes.results.forms import PrioritiesForm
from reperes.results.fragments import RELATED, figures


def render_results(request, campaign, *, results_url, extra, shared, template="results/detail.html"):
    """The results page of `campaign`, for its team or (`shared`) for readers outside it: the
    public results link, or the facilitators the organisation shared the campaign with (who pass
    `hide_open_answers` in `extra`). Theme pages hang from `results_url`. What the apps above
    offer beside a team's results comes after the page, from `panels` below."""
    context = _results_context(campaign, results_url=results_url, extra=extra, shared=shared)
    if campaign.results_visible:
        # Rendered once for a closed diagnostic, then read from the fragments cache.
        context["figures"] = figures(request, campaign, context)
    if not shared and context.get("figures"):
        context["panels_url"] = reverse("results:panels", args=[campaign.organisation.slug, campaign.pk])
    if not shared and campaign.organisation.abilities["pilot"]:
        context["priorities_form"] = extra.get("priorities_form") or PrioritiesForm(
            initial={"themes": [p.theme_id for p in context["priorities"]]}, themes=campaign.spec.themes
        )
    return render(request, template, context)


def _results_context(campaign, *, results_url, extra, shared):
    return {
        "campaign": campaign,
        "threshold": settings.ANONYMITY_THRESHOLD,
        "shared": shared,
        "results_url": results_url,
        "priorities": list(campaign.priorities.all()),
        **extra,
    }


def detail(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id, related=RELATED)
    return render_results(
        request,
        campaign,
        results_url=reverse("results:detail", args=[slug, campaign.pk]),
        extra={"organisation": organisation, "abilities": organisation.abilities},
        shared=False,
    )


def panels(request, slug, campaign_id):
    """What the apps above offer beside a team's results, for its weakest themes: offers,
    listings, resources, accompaniment, « structures comparables » (reperes.lib.panels). The
    results page loads it with htmx once the figures are shown, so that the figures never wait
    for five other apps; without JavaScript, the page links here and this is a page of its own."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id, related=RELATED)
    results_url = reverse("results:detail", args=[slug, campaign.pk])
    if not campaign.results_visible:
        return redirect(results_url)
    context = _results_context(
        campaign,
        results_url=results_url,
        extra={"organisation": organisation, "abilities": organisation.abilities},
        shared=False,
    )
    # The same figures as the page's (from the cache): the weakest themes the panels start from.
    shown = figures(request, campaign, context)
    question_slug = campaign.questionnaire_version.questionnaire.slug
    context["panels"] = collect(
        "results_panel",
        organisation=organisation,
        campaign=campaign,
        # the weakest themes, or those tied for it when no theme stands out
        weak_themes=[f"{question_slug}:{theme_id}" for theme_id in shown.weak_themes],
        theme_scores=shown.theme_scores,
        heading_level=2,
    )
    template = "results/panels.html#panels" if request.htmx else "results/panels.html"
    return render(request, template, context)


@require_POST
def priorities(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    form = PrioritiesForm(request.POST, themes=campaign.spec.themes)
    if form.is_valid():
        try:
            actions.set_priorities(campaign, theme_ids=form.cleaned_data["themes"], by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                "Les priorités de l'équipe sont enregistrées ; elles apparaissent au tableau de bord.",
            )
        return redirect(reverse("results:detail", args=[slug, campaign.pk]) + "#priorites")
    return render_results(
        request,
        campaign,
        results_url=reverse("results:detail", args=[slug, campaign.pk]),
        extra={"organisation": organisation, "abilities": organisation.abilities, "priorities_form": form},
        shared=False,
    )


def theme(request, slug, campaign_id, theme_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id)
    return render_theme(
        request,
        campaign,
        theme_id,
        results_url=reverse("results:detail", args=[slug, campaign.pk]),
        extra={"organisation": organisation, "abilities": organisation.abilities},
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
    return render_results(
        request, campaign, results_url=reverse("results:shared", args=[token]), extra={}, shared=True
    )


@login_not_required
def shared_theme(request, token, theme_id):
    campaign = _shared_campaign(token)
    return render_theme(
        request,
        campaign,
        theme_id,
        results_url=reverse("results:shared", args=[token]),
        extra={},
        shared=True,
    )


def render_theme(request, campaign, theme_id, *, results_url, extra, shared=False):
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
            "results_url": results_url,
            **extra,
        },
    )
