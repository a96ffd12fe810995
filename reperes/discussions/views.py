from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.discussions import actions
from reperes.discussions.forms import (
    BallotForm,
    DecisionForm,
    DiscussionForm,
    MeetingForm,
    OpenVoteForm,
    ProposalForm,
)
from reperes.discussions.models import Ballot, Discussion, Proposal, VoterRecord
from reperes.fiches.models import Fiche
from reperes.lib.actions import ActionRefused
from reperes.organisations.access import get_org_for_user, space_context
from reperes.results.compute import build_results


def _discussion(organisation, discussion_id):
    try:
        return organisation.discussions.get(pk=discussion_id)
    except (Discussion.DoesNotExist, ValueError):
        raise Http404("Discussion introuvable") from None


def _proposal(discussion, proposal_id):
    try:
        return discussion.proposals.get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError):
        raise Http404("Proposition introuvable") from None


def discussion_list(request, slug):
    organisation = get_org_for_user(request, slug, ability="take_part")
    discussions = organisation.discussions.prefetch_related("meetings", "proposals")
    return render(request, "discussions/list.html", space_context(organisation, discussions=discussions))


def _prefill(request, organisation):
    """Title and agenda from ?diagnostic=…&theme=… (a priority theme of a campaign)."""
    try:
        campaign = organisation.campaigns.filter(pk=request.GET.get("diagnostic") or None).first()
    except ValidationError:
        campaign = None
    theme = campaign.spec.theme(request.GET.get("theme", "")) if campaign else None
    if theme is None:
        return None, "", {}
    results = build_results(campaign, k=settings.ANONYMITY_THRESHOLD) if campaign.results_visible else None
    fiche = Fiche.objects.filter(slug=theme.get("fiche", "")).first()
    version = fiche.latest_version() if fiche else None
    questions = [q["text"] for q in version.content["questions"]] if version else []
    initial = {
        "title": f"Discussion : {theme['title']}",
        "agenda": actions.agenda_for(campaign, theme, results, questions),
    }
    return campaign, theme["id"], initial


def discussion_create(request, slug):
    organisation = get_org_for_user(request, slug, ability="pilot")
    campaign, theme_id, initial = _prefill(request, organisation)
    form = DiscussionForm(request.POST or None, initial=initial)
    if form.is_valid():
        discussion = actions.open_discussion(
            organisation, by=request.user, campaign=campaign, theme_id=theme_id, **form.cleaned_data
        )
        messages.success(request, "L'espace de discussion est ouvert.")
        return redirect(discussion)
    return render(request, "discussions/form.html", space_context(organisation, form=form))


def discussion_detail(request, slug, discussion_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    discussion = _discussion(organisation, discussion_id)
    k = settings.ANONYMITY_THRESHOLD
    proposals = []
    for proposal in discussion.proposals.all():
        # A vote past its end is closed by its first reader, whoever they are (settle_vote).
        vote = actions.vote_for(proposal, k=k)
        entry = {"proposal": proposal, "vote": vote}
        if vote:
            entry["is_open"] = actions.vote_is_open(vote)
            entry["tally"] = actions.tally(vote, k=k)
            entry["voters"] = vote.voters.count() if vote.anonymous else vote.ballots.count()
            if vote.anonymous:
                entry["has_voted"] = VoterRecord.objects.filter(vote=vote, user=request.user).exists()
                entry["my_ballot"] = None
            else:
                entry["my_ballot"] = Ballot.objects.filter(vote=vote, user=request.user).first()
                entry["has_voted"] = entry["my_ballot"] is not None
            if entry["is_open"] and not (vote.anonymous and entry["has_voted"]):
                initial = (
                    {"choice": entry["my_ballot"].choice, "reason": entry["my_ballot"].reason}
                    if entry["my_ballot"]
                    else None
                )
                entry["ballot_form"] = BallotForm(initial=initial, prefix=f"p{proposal.pk}")
        proposals.append(entry)
    return render(
        request,
        "discussions/detail.html",
        space_context(
            organisation,
            discussion=discussion,
            proposals=proposals,
            meeting_form=MeetingForm(),
            proposal_form=ProposalForm(),
            decision_form=DecisionForm(),
            vote_form=OpenVoteForm(),
            threshold=k,
        ),
    )


@require_POST
def meeting_add(request, slug, discussion_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    discussion = _discussion(organisation, discussion_id)
    form = MeetingForm(request.POST)
    if form.is_valid():
        actions.record_meeting(discussion, by=request.user, **form.cleaned_data)
        messages.success(request, "La réunion est notée.")
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect(discussion)


@require_POST
def proposal_add(request, slug, discussion_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    discussion = _discussion(organisation, discussion_id)
    form = ProposalForm(request.POST)
    if form.is_valid():
        actions.propose(discussion, by=request.user, **form.cleaned_data)
        messages.success(request, "La proposition est ajoutée.")
    else:
        messages.error(request, "Écrivez la proposition (300 caractères au plus).")
    return redirect(discussion)


@require_POST
def proposal_decide(request, slug, discussion_id, proposal_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    proposal = _proposal(_discussion(organisation, discussion_id), proposal_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez « Adoptée » ou « Écartée ».")
        return redirect(proposal.discussion)
    try:
        actions.decide(proposal, by=request.user, decision=form.cleaned_data["decision"])
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"La proposition est {proposal.get_decision_display().lower()}.")
    return redirect(proposal.discussion)


@require_POST
def vote_open(request, slug, discussion_id, proposal_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    proposal = _proposal(_discussion(organisation, discussion_id), proposal_id)
    form = OpenVoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le type de vote et sa date de fin.")
        return redirect(proposal.discussion)
    try:
        actions.open_vote(proposal, by=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Le vote est ouvert aux membres de la structure.")
    return redirect(proposal.discussion)


@require_POST
def vote_cast(request, slug, discussion_id, proposal_id):
    organisation = get_org_for_user(request, slug, ability="take_part")
    proposal = _proposal(_discussion(organisation, discussion_id), proposal_id)
    vote = actions.vote_for(proposal, k=settings.ANONYMITY_THRESHOLD)
    if vote is None:
        raise Http404("Aucun vote pour cette proposition")
    form = BallotForm(request.POST, prefix=f"p{proposal.pk}")
    if not form.is_valid():
        messages.error(request, "Choisissez Pour, Abstention, Contre ou Objection bloquante.")
        return redirect(proposal.discussion)
    try:
        actions.cast(vote, user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Votre vote est enregistré.")
    return redirect(proposal.discussion)


@require_POST
def vote_close(request, slug, discussion_id, proposal_id):
    organisation = get_org_for_user(request, slug, ability="pilot")
    proposal = _proposal(_discussion(organisation, discussion_id), proposal_id)
    vote = actions.vote_for(proposal, k=settings.ANONYMITY_THRESHOLD)
    if vote is None or vote.closed:
        return redirect(proposal.discussion)
    result = actions.close_vote(vote, by=request.user, k=settings.ANONYMITY_THRESHOLD)
    if result is None:
        messages.info(
            request,
            f"Le vote est clos avec moins de {settings.ANONYMITY_THRESHOLD} votant·es : pour protéger "
            "l'anonymat, le décompte n'est pas affiché. Notez la décision de la réunion.",
        )
    else:
        messages.success(request, "Le vote est clos ; la décision est enregistrée.")
    return redirect(proposal.discussion)
