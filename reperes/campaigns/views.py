from datetime import timedelta

import segno
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from reperes.campaigns import actions
from reperes.campaigns.access import get_campaign
from reperes.campaigns.forms import (
    CampaignForm,
    CollectiveThemeForm,
    FollowUpForm,
    InviteRespondentsForm,
    OpenForm,
    PaperSheetForm,
    PostponeForm,
    SynthesisEntryForm,
)
from reperes.lib.actions import ActionRefused
from reperes.lib.limits import mail_quota
from reperes.lib.panels import collect
from reperes.organisations.access import get_org_for_user, space_context


def campaign_list(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaigns = organisation.campaigns.for_list()
    return render(request, "campaigns/list.html", space_context(organisation, campaigns=campaigns))


def campaign_create(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    # A link may choose the questionnaire (« ?questionnaire=teletravail-preparation »); an unknown
    # slug, or one the organisation may not use, chooses nothing.
    form = CampaignForm(
        request.POST or None, organisation=organisation, chosen=request.GET.get("questionnaire")
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        questionnaire = data.pop("questionnaire")
        groups = data.pop("groups")
        campaign = actions.create_campaign(
            organisation,
            by=request.user,
            groups=groups,
            questionnaire_version=questionnaire.latest_version(),
            **data,
        )
        messages.success(request, "Le diagnostic est prêt. Relisez-le, puis ouvrez-le aux réponses.")
        return redirect(campaign)
    return render(request, "campaigns/form.html", space_context(organisation, form=form))


def campaign_edit(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    if not campaign.is_draft:
        messages.error(request, "Un diagnostic ouvert ne se modifie plus ; vous pouvez repousser sa clôture.")
        return redirect(campaign)
    form = CampaignForm(request.POST or None, instance=campaign, organisation=organisation)
    if form.is_valid():
        data = dict(form.cleaned_data)
        questionnaire = data.pop("questionnaire")
        groups = data.pop("groups")
        actions.update_campaign(
            campaign,
            by=request.user,
            groups=groups,
            questionnaire_version=questionnaire.latest_version(),
            **data,
        )
        messages.success(request, "Le diagnostic est modifié.")
        return redirect(campaign)
    return render(request, "campaigns/form.html", space_context(organisation, form=form, campaign=campaign))


def _detail_context(organisation, campaign, **forms):
    """What the campaign page shows; `forms` replaces the empty forms (a refused invitation)."""
    invitations = list(campaign.invitations.all()) if campaign.is_open else []
    defaults = {
        "open_form": OpenForm(initial={"expected_respondents": organisation.headcount}),
        "postpone_form": PostponeForm(initial={"closes_on": campaign.closes_on}),
        "invite_form": InviteRespondentsForm(),
        "follow_up_form": FollowUpForm(initial={"closes_on": timezone.localdate() + timedelta(days=21)}),
    }
    return space_context(
        organisation,
        campaign=campaign,
        invitations=invitations,
        invitation_flags=campaign.invitation_flags(invitations),
        paper_batches=list(campaign.paper_batches.annotate(live_sheets=Count("responses"))),
        mail_quota=mail_quota(organisation),
        panels=campaign_panels(campaign),
        **{**defaults, **forms},
    )


def campaign_panels(campaign):
    """The panels apps above this one add to the campaign page (sharing its results…), each a
    dict with its `template` (reperes.lib.panels)."""
    return collect("campaign_panel", campaign=campaign)


def campaign_detail(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id)
    return render(request, "campaigns/detail.html", _detail_context(organisation, campaign))


@require_POST
def campaign_open(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le nombre de personnes attendues (au moins une).")
        return redirect(campaign)
    try:
        actions.open_campaign(campaign, by=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Le diagnostic est ouvert : partagez le lien ou envoyez les invitations.")
    return redirect(campaign)


def campaign_close(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    if campaign.state != campaign.State.OPEN:
        return redirect(campaign)
    if request.method == "POST":
        if (
            not campaign.has_enough_responses
            and not campaign.is_collective
            and not request.POST.get("confirm")
        ):
            messages.error(request, "Cochez la case pour confirmer la clôture.")
            return redirect("campaigns:close", slug, campaign.pk)
        actions.close_campaign(campaign, by=request.user)
        messages.success(request, "Le diagnostic est clôturé.")
        return redirect(campaign)
    return render(request, "campaigns/close.html", space_context(organisation, campaign=campaign))


@require_POST
def campaign_postpone(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    form = PostponeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez une date valide.")
        return redirect(campaign)
    try:
        actions.postpone_campaign(campaign, by=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"La clôture est repoussée au {campaign.closes_on:%d/%m/%Y}.")
    return redirect(campaign)


def campaign_invite(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    form = InviteRespondentsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = actions.invite_respondents(campaign, by=request.user, emails=form.cleaned_data["emails"])
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            if sent:
                messages.success(
                    request, f"{sent} invitation{'s' if sent > 1 else ''} envoyée{'s' if sent > 1 else ''}."
                )
            else:
                messages.info(request, "Ces personnes étaient déjà invitées : aucune nouvelle invitation.")
        return redirect(campaign)
    return render(request, "campaigns/detail.html", _detail_context(organisation, campaign, invite_form=form))


@require_POST
def campaign_remind(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    try:
        count = actions.remind_respondents(campaign, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"{count} relance{'s' if count > 1 else ''} envoyée{'s' if count > 1 else ''}."
        )
    return redirect(campaign)


def _campaign_with_link(request, slug, campaign_id):
    """A campaign answered through its share link: an invitations-only one has none to show."""
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    if not campaign.has_share_link:
        raise Http404("Ce diagnostic n'a pas de lien partagé")
    return organisation, campaign


def campaign_qr(request, slug, campaign_id):
    organisation, campaign = _campaign_with_link(request, slug, campaign_id)
    svg = segno.make(campaign.share_url(), error="m").svg_inline(scale=8, border=2, dark="#143f3c")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="diagnostic-{campaign.share_id[:6]}.svg"'
    return response


def campaign_poster(request, slug, campaign_id):
    organisation, campaign = _campaign_with_link(request, slug, campaign_id)
    qr = segno.make(campaign.share_url(), error="m").svg_inline(scale=10, border=2, dark="#000")
    return render(request, "campaigns/poster.html", space_context(organisation, campaign=campaign, qr=qr))


@require_POST
def campaign_results_link(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    if request.POST.get("action") == "revoke":
        actions.revoke_results_link(campaign, by=request.user)
        messages.success(request, "L'ancien lien vers les résultats ne fonctionne plus.")
    else:
        actions.share_results(campaign, by=request.user)
        messages.success(request, "Le lien vers les résultats est prêt : partagez-le avec l'équipe.")
    return redirect(campaign)


def collective_theme(request, slug, campaign_id, number):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    spec = campaign.spec
    if not campaign.is_collective or number < 1 or number > len(spec.themes):
        return redirect(campaign)
    if not campaign.is_open:
        messages.error(request, "Ouvrez le diagnostic pour noter les réponses de la réunion.")
        return redirect(campaign)
    theme = spec.themes[number - 1]
    existing = {a.item_id: a for a in campaign.collective_answers.all()}
    initial = {}
    for item in theme["items"]:
        answer = existing.get(item["id"])
        if answer:
            initial[f"{item['id']}__consensus"] = answer.consensus
            initial[f"{item['id']}__note"] = answer.note
            for value, count in answer.counts.items():
                initial[f"{item['id']}__{value}"] = count
    form = CollectiveThemeForm(
        request.POST or None,
        initial=initial,
        theme=theme,
        scale=spec.scale,
        method=campaign.collective_method,
    )
    if form.is_valid():
        actions.record_collective_answers(campaign, by=request.user, entries=form.entries())
        if request.POST.get("nav") == "prev" and number > 1:
            return redirect("campaigns:collective", slug, campaign.pk, number - 1)
        if number < len(spec.themes):
            return redirect("campaigns:collective", slug, campaign.pk, number + 1)
        if spec.text_items:
            return redirect("campaigns:synthesis", slug, campaign.pk)
        messages.success(request, "Les réponses de la réunion sont enregistrées : voici vos résultats.")
        return redirect("results:detail", slug, campaign.pk)
    return render(
        request,
        "campaigns/collective.html",
        space_context(
            organisation,
            campaign=campaign,
            theme=theme,
            number=number,
            theme_count=len(spec.themes),
            form=form,
        ),
    )


def _synthesis_campaign(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    if not campaign.is_collective or not campaign.spec.text_items:
        raise Http404("Pas de synthèse pour ce diagnostic")
    return organisation, campaign


def synthesis(request, slug, campaign_id):
    """In a meeting: the lists the team fills under each open question (« ce qui a fonctionné »,
    « ce qui n'a pas fonctionné », « pistes d'amélioration »), one line at a time."""
    organisation, campaign = _synthesis_campaign(request, slug, campaign_id)
    if not campaign.is_open:
        messages.error(request, "Ouvrez le diagnostic pour noter la synthèse de la réunion.")
        return redirect(campaign)
    spec = campaign.spec
    posted = request.POST.get("item") if request.method == "POST" else None
    bound = None
    if posted is not None:
        if spec.text_item(posted) is None:
            raise Http404("Question introuvable")
        bound = SynthesisEntryForm(request.POST, item=spec.text_item(posted))
        if bound.is_valid():
            try:
                actions.add_synthesis_entry(
                    campaign, by=request.user, item_id=posted, text=bound.cleaned_data["text"]
                )
            except ActionRefused as refusal:
                messages.error(request, str(refusal))
            return redirect(reverse("campaigns:synthesis", args=[slug, campaign.pk]) + f"#{posted}")
    entries = list(campaign.synthesis_entries.all())
    lists = [
        {
            "item": item,
            "entries": [entry for entry in entries if entry.item_id == item["id"]],
            "form": bound if posted == item["id"] else SynthesisEntryForm(item=item),
        }
        for item in spec.text_items
    ]
    return render(
        request,
        "campaigns/synthesis.html",
        space_context(organisation, campaign=campaign, free_text=spec.free_text, lists=lists),
        status=400 if bound is not None else 200,
    )


@require_POST
def synthesis_remove(request, slug, campaign_id, entry_id):
    organisation, campaign = _synthesis_campaign(request, slug, campaign_id)
    try:
        actions.remove_synthesis_entry(campaign, by=request.user, entry_id=entry_id)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "La ligne est retirée.")
    return redirect("campaigns:synthesis", slug, campaign.pk)


def paper_sheet(request, slug, campaign_id):
    """The questionnaire as a printable A4 answer sheet, for people who answer without a screen."""
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    return render(request, "campaigns/paper_sheet.html", {"campaign": campaign, "spec": campaign.spec})


def paper_entry(request, slug, campaign_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign = get_campaign(organisation, campaign_id)
    if campaign.is_collective:
        return redirect("campaigns:collective", slug, campaign.pk, 1)
    if not campaign.is_open:
        messages.error(request, "Les feuilles papier se saisissent pendant que le diagnostic est ouvert.")
        return redirect(campaign)
    form = PaperSheetForm(request.POST or None, campaign=campaign)
    if form.is_valid():
        try:
            actions.record_paper_response(
                campaign,
                by=request.user,
                group=form.group_object(),
                answers=form.answers(),
                texts=form.texts(),
                sheet_key=form.cleaned_data["sheet_key"],
            )
        except actions.SheetAlreadyRecorded:
            messages.info(
                request, "Cette feuille était déjà enregistrée : elle n'a pas été comptée deux fois."
            )
        else:
            batch = actions.current_paper_batch(campaign, request.user)
            sheets = batch.responses.count()
            messages.success(
                request,
                f"Feuille enregistrée ; {sheets} dans votre lot en cours. Vous pouvez saisir la suivante.",
            )
        return redirect("campaigns:paper_entry", slug, campaign.pk)
    return render(
        request,
        "campaigns/paper_entry.html",
        space_context(
            organisation,
            campaign=campaign,
            form=form,
            batch=actions.current_paper_batch(campaign, request.user),
        ),
        status=400 if form.is_bound else 200,
    )


def paper_batches(request, slug, campaign_id):
    """The batches of paper sheets, who typed them, who attested them; any member other than the
    typist may attest a batch while the campaign is open."""
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id)
    if campaign.is_collective:
        raise Http404("Pas de feuilles papier en réunion")
    batches = list(campaign.paper_batches.annotate(live_sheets=Count("responses")))
    for batch in batches:
        batch.refusal = actions.may_attest(batch, request.user)
    context = space_context(organisation, campaign=campaign, batches=batches)
    return render(request, "campaigns/paper_batches.html", context)


@require_POST
def paper_attest(request, slug, campaign_id, batch_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    campaign = get_campaign(organisation, campaign_id)
    batch = get_object_or_404(campaign.paper_batches, pk=batch_id)
    try:
        sheets = int(request.POST.get("sheets", ""))
    except ValueError:
        sheets = -1
    try:
        actions.attest_paper_batch(batch, by=request.user, sheets=sheets)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, "Le lot est attesté : ses feuilles comptent désormais pour le seuil d'anonymat."
        )
    return redirect("campaigns:paper_batches", slug, campaign.pk)
