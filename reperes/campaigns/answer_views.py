"""The respondent's pages: no account, no JavaScript needed, nothing identifying stored.

A draft lives behind a random token kept in a cookie scoped to this campaign's path (and in a
resume link shown to the respondent; using that link moves the draft to a new token). Every
view hides POST data from error reports. A GET never changes state: starting, resuming and
starting an invitation again are buttons (POST), so a mail scanner fetching a link uses up
nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from reperes.campaigns import actions
from reperes.campaigns.forms import FreeTextForm, ThemeAnswersForm
from reperes.campaigns.models import Campaign, CampaignInvitation, hash_token
from reperes.lib import retention
from reperes.lib.actions import ActionRefused

NO_GROUP = "aucun"
DRAFT_COOKIE = "brouillon"
DONE_COOKIE = "repondu"


def _cookie_name(name):
    """`__Secure-` in production: the browser then refuses the cookie over plain HTTP and from
    a sub-domain. (`__Host-` would forbid the path that scopes the cookie to one campaign.)"""
    return f"__Secure-{name}" if settings.SESSION_COOKIE_SECURE else name


def draft_cookie():
    return _cookie_name(DRAFT_COOKIE)


def done_cookie():
    return _cookie_name(DONE_COOKIE)


def answering(view):
    """The decorators every answering page shares."""
    return login_not_required(never_cache(sensitive_post_parameters()(view)))


def _campaign(share_id):
    campaign = (
        Campaign.objects.select_related("organisation", "questionnaire_version")
        .filter(share_id=share_id)
        .first()
    )
    if campaign is None:
        raise Http404("Diagnostic introuvable")
    actions.settle_if_due(campaign)
    return campaign


def _path(campaign):
    return reverse("answer:intro", args=[campaign.share_id])


def _unavailable(request, campaign):
    """The page for a campaign that cannot be answered: not open yet, or closed. Answers posted
    after the close are said to be lost, not thanked for."""
    return render(
        request,
        "answer/unavailable.html",
        {
            "campaign": campaign,
            "results_url": campaign.results_url() if campaign.results_token else "",
            "answers_lost": request.method == "POST" and campaign.is_closed,
        },
        status=410 if campaign.is_closed else 403,
    )


def _set_cookie(response, campaign, name, value):
    """A cookie for this campaign's pages only, that dies the day after its closing date."""
    days_left = (campaign.closes_on - timezone.localdate()).days + 1
    response.set_cookie(
        name,
        value,
        max_age=int(timedelta(days=max(days_left, 0) + 1).total_seconds()),
        path=_path(campaign),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _draft(request, campaign):
    return actions.find_draft(campaign, request.COOKIES.get(draft_cookie()))


def _guard(request, campaign):
    """None if the respondent may go on, else the page to show instead."""
    if not campaign.is_open:
        return _unavailable(request, campaign)
    if request.COOKIES.get(done_cookie()) and _draft(request, campaign) is None:
        return render(request, "answer/already.html", {"campaign": campaign}, status=409)
    return None


def _invitations_only(request, campaign):
    return render(request, "answer/invitations_only.html", {"campaign": campaign}, status=403)


def _resume_url(request, campaign):
    token = request.COOKIES.get(draft_cookie(), "")
    return settings.SITE_URL + reverse("answer:resume", args=[campaign.share_id, token]) if token else ""


def _step(request, share_id):
    """(campaign, draft, None) for a step of the answering, or (…, page to show instead):
    the unavailable or already-answered page, or back to the intro without a draft."""
    campaign = _campaign(share_id)
    if problem := _guard(request, campaign):
        return campaign, None, problem
    draft = _draft(request, campaign)
    if draft is None:
        return campaign, None, redirect("answer:intro", campaign.share_id)
    return campaign, draft, None


def _next_theme(campaign, draft):
    """The number of the first theme with a missing answer, or None when all are answered."""
    for number, theme in enumerate(campaign.spec.themes, start=1):
        if any(item["id"] not in draft.answers for item in theme["items"]):
            return number
    return None


@answering
def intro(request, share_id):
    campaign = _campaign(share_id)
    if problem := _guard(request, campaign):
        return problem
    draft = _draft(request, campaign)
    if draft is None and campaign.is_invitations_only:
        return _invitations_only(request, campaign)
    return render(
        request,
        "answer/intro.html",
        {
            "campaign": campaign,
            "spec": campaign.spec,
            "draft": draft,
            "threshold": campaign.threshold,
            "item_count": len(campaign.spec.item_ids),
        },
    )


@answering
@require_POST
def start(request, share_id):
    campaign = _campaign(share_id)
    if problem := _guard(request, campaign):
        return problem
    draft = _draft(request, campaign)
    response = redirect("answer:group", campaign.share_id)
    if draft is None:
        if campaign.is_invitations_only:
            return _invitations_only(request, campaign)
        draft, token = actions.start_draft(campaign)
        _set_cookie(response, campaign, draft_cookie(), token)
    return response


@answering
def invitation(request, token):
    """The emailed link. It changes nothing (mail scanners fetch it): it leads to the page under
    the campaign's path, where the browser's draft cookie, if any, can be read."""
    invitation = (
        CampaignInvitation.objects.select_related("campaign").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        return render(request, "answer/invitation_problem.html", status=404)
    campaign = invitation.campaign
    if not campaign.is_open:
        return _unavailable(request, campaign)
    return redirect("answer:invitation_start", campaign.share_id, token)


@answering
def invitation_start(request, share_id, token):
    """One invitation, one draft, one response. The browser that holds the draft goes on; any
    other browser is offered to start again, which deletes the earlier draft unseen."""
    campaign = _campaign(share_id)
    if not campaign.is_open:
        return _unavailable(request, campaign)
    invitation = campaign.invitations.filter(token_hash=hash_token(token)).first()
    if invitation is None:
        return render(request, "answer/invitation_problem.html", status=404)
    existing = campaign.drafts.filter(invitation=invitation).first()
    held = _draft(request, campaign)
    if request.method == "POST":
        try:
            draft, draft_token = actions.start_invitation_draft(invitation)
        except actions.InvitationAnswered:
            return render(request, "answer/invitation_answered.html", {"campaign": campaign}, status=409)
        response = redirect("answer:group", campaign.share_id)
        response.delete_cookie(done_cookie(), path=_path(campaign))
        return _set_cookie(response, campaign, draft_cookie(), draft_token)
    if existing is not None and held is not None and held.pk == existing.pk:
        return redirect("answer:group", campaign.share_id)
    if invitation.used and existing is None:
        return render(request, "answer/invitation_answered.html", {"campaign": campaign}, status=409)
    return render(
        request,
        "answer/invitation_start.html",
        {
            "campaign": campaign,
            "spec": campaign.spec,
            "token": token,
            "started_elsewhere": existing is not None,
            "threshold": campaign.threshold,
            "item_count": len(campaign.spec.item_ids),
        },
    )


@answering
def resume(request, share_id, token):
    """A resume link shows a button; pressing it moves the draft to a new token for this
    browser, and the link and every other holder of the old token are left with nothing."""
    campaign = _campaign(share_id)
    if not campaign.is_open:
        return _unavailable(request, campaign)
    if request.method == "POST":
        new_token = actions.rotate_draft_token(campaign, token)
        if new_token is None:
            return render(request, "answer/resume_problem.html", {"campaign": campaign}, status=404)
        response = redirect("answer:intro", campaign.share_id)
        return _set_cookie(response, campaign, draft_cookie(), new_token)
    if actions.find_draft(campaign, token) is None:
        return render(request, "answer/resume_problem.html", {"campaign": campaign}, status=404)
    return render(request, "answer/resume.html", {"campaign": campaign, "token": token})


@answering
def group(request, share_id):
    campaign, draft, problem = _step(request, share_id)
    if problem:
        return problem
    groups = list(campaign.groups.all())
    if not groups:  # nothing to choose, and a GET writes nothing
        return redirect("answer:theme", campaign.share_id, _next_theme(campaign, draft) or 1)
    error = ""
    if request.method == "POST":
        choice = request.POST.get("group", "")
        chosen = next((g for g in groups if str(g.pk) == choice), None)
        if chosen is not None or choice == NO_GROUP:
            actions.choose_group(draft, chosen)
            return redirect("answer:theme", campaign.share_id, _next_theme(campaign, draft) or 1)
        error = "Choisissez une réponse (ou « Je préfère ne pas le dire »)."
    current = str(draft.group_id) if draft.group_id else (NO_GROUP if draft.group_chosen else "")
    return render(
        request,
        "answer/group.html",
        {
            "campaign": campaign,
            "groups": groups,
            "current": current,
            "no_group": NO_GROUP,
            "error": error,
            "threshold": campaign.threshold,
        },
        status=400 if error else 200,
    )


@answering
def theme(request, share_id, number):
    campaign, draft, problem = _step(request, share_id)
    if problem:
        return problem
    spec = campaign.spec
    if not 1 <= number <= len(spec.themes):
        raise Http404("Thème introuvable")
    current = spec.themes[number - 1]
    form = ThemeAnswersForm(
        request.POST or None,
        initial={item["id"]: draft.answers.get(item["id"]) for item in current["items"]},
        theme=current,
        scale=spec.scale,
    )
    if form.is_valid():
        actions.save_answers(draft, form.answers())
        if request.POST.get("nav") == "prev":
            if number == 1:
                return redirect("answer:group", campaign.share_id)
            return redirect("answer:theme", campaign.share_id, number - 1)
        if number < len(spec.themes):
            return redirect("answer:theme", campaign.share_id, number + 1)
        if spec.text_items:
            return redirect("answer:texts", campaign.share_id)
        return redirect("answer:review", campaign.share_id)
    return render(
        request,
        "answer/theme.html",
        {
            "campaign": campaign,
            "theme": current,
            "number": number,
            "theme_count": len(spec.themes),
            "has_texts": bool(spec.text_items),
            "form": form,
            "resume_url": _resume_url(request, campaign),
        },
        status=400 if form.is_bound else 200,
    )


@answering
def texts(request, share_id):
    """The open questions, after the statements: optional; a text that is too long is pointed
    out, and every other answer on the page is saved all the same."""
    campaign, draft, problem = _step(request, share_id)
    if problem:
        return problem
    spec = campaign.spec
    if not spec.text_items:
        raise Http404("Pas de question ouverte")
    form = FreeTextForm(
        request.POST or None,
        initial={item["id"]: draft.answers.get(item["id"], "") for item in spec.text_items},
        items=spec.text_items,
    )
    if form.is_bound:
        valid = form.is_valid()
        actions.save_answers(draft, form.answers())
        if valid:
            if request.POST.get("nav") == "prev":
                return redirect("answer:theme", campaign.share_id, len(spec.themes))
            return redirect("answer:review", campaign.share_id)
    return render(
        request,
        "answer/texts.html",
        {
            "campaign": campaign,
            "free_text": spec.free_text,
            "form": form,
            "theme_count": len(spec.themes),
            "threshold": campaign.free_text_threshold,
            "resume_url": _resume_url(request, campaign),
        },
        status=400 if form.is_bound else 200,
    )


@answering
def review(request, share_id):
    campaign, draft, problem = _step(request, share_id)
    if problem:
        return problem
    error = ""
    if request.method == "POST":
        try:
            actions.submit(draft)
        except ActionRefused:
            error = "Il manque des réponses : elles sont signalées ci-dessous."
        except actions.AlreadySubmitted:
            pass
        except actions.CampaignClosedBeforeSubmit:
            campaign.refresh_from_db()
            response = _unavailable(request, campaign)
            response.delete_cookie(draft_cookie(), path=_path(campaign))
            return response
        except actions.DraftReplaced:
            response = render(request, "answer/draft_replaced.html", {"campaign": campaign}, status=409)
            response.delete_cookie(draft_cookie(), path=_path(campaign))
            return response
        if not error:
            response = redirect("answer:thanks", campaign.share_id)
            response.delete_cookie(draft_cookie(), path=_path(campaign))
            return _set_cookie(response, campaign, done_cookie(), "1")
    spec = campaign.spec
    labels = {c["value"]: c["label"] for c in spec.scale["choices"]}
    themes = []
    missing = 0
    for number, theme_def in enumerate(spec.themes, start=1):
        rows = []
        for item in theme_def["items"]:
            value = draft.answers.get(item["id"])
            missing += value is None
            rows.append({"item": item, "label": labels.get(value, "")})
        themes.append({"number": number, "theme": theme_def, "rows": rows})
    open_answers = [{"item": item, "text": draft.answers.get(item["id"], "")} for item in spec.text_items]
    return render(
        request,
        "answer/review.html",
        {
            "campaign": campaign,
            "themes": themes,
            "free_text": spec.free_text,
            "open_answers": open_answers,
            "missing": missing,
            "error": error,
            "group": draft.group,
            "group_chosen": draft.group_chosen or not campaign.groups.exists(),
            "resume_url": _resume_url(request, campaign),
        },
        status=400 if error else 200,
    )


@answering
def thanks(request, share_id):
    campaign = _campaign(share_id)
    return render(
        request,
        "answer/thanks.html",
        {
            "campaign": campaign,
            "threshold": campaign.threshold,
            "results_url": campaign.results_url() if campaign.results_token else "",
        },
    )


@login_not_required
def privacy(request):
    return render(
        request,
        "answer/privacy.html",
        {"threshold": settings.ANONYMITY_THRESHOLD, "retention": retention.by_topic()},
    )
