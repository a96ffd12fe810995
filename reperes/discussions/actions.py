"""Discussions, proposals and votes. Anonymous ballots: who voted is stored apart from what was
voted, with nothing linking them, and counts appear only at close and from k voters."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from reperes.discussions.models import (
    AnonymousBallot,
    Ballot,
    Choice,
    Decision,
    Discussion,
    Meeting,
    Proposal,
    Vote,
    VoterRecord,
)
from reperes.organisations.actions import ActionRefused, record_event


def agenda_for(campaign, theme, results, fiche_questions):
    """The prefilled agenda: the theme's weakest statements with their distribution, and the
    fiche's five questions."""
    lines = [f"Thème : {theme['title']}", ""]
    theme_result = next((t for t in results.themes if t.id == theme["id"]), None) if results else None
    if theme_result:
        lines.append("Ce que disent les résultats (de la moins partagée à la plus partagée) :")
        for item in theme_result.items_weakest_first[:3]:
            shares = " / ".join(
                f"{label} {item.shares[value]} %"
                for value, label in [("oui", "Oui"), ("nsp", "Je ne sais pas"), ("non", "Non")]
                if value in item.shares
            )
            lines.append(f"- {item.item['text']} ({shares})")
        lines.append("")
    if fiche_questions:
        lines.append("Les questions de la fiche :")
        lines.extend(f"{n}. {question}" for n, question in enumerate(fiche_questions, start=1))
    return "\n".join(lines).strip()


@transaction.atomic
def open_discussion(organisation, *, by, title, agenda, campaign=None, theme_id=""):
    discussion = Discussion.objects.create(
        organisation=organisation,
        campaign=campaign,
        theme_id=theme_id,
        title=title,
        agenda=agenda,
        opened_by=by,
        opened_on=timezone.localdate(),
    )
    record_event(
        by=by,
        verb="discussion.opened",
        target=title,
        description=f"{by} a ouvert l'espace de discussion « {title} ».",
        organisation=organisation,
    )
    return discussion


@transaction.atomic
def record_meeting(discussion, *, by, **fields):
    meeting = Meeting.objects.create(discussion=discussion, **fields)
    record_event(
        by=by,
        verb="discussion.meeting",
        target=discussion.title,
        description=(
            f"{by} a noté une réunion de « {discussion.title} » ({meeting.participants} participant·es)."
        ),
        organisation=discussion.organisation,
    )
    return meeting


@transaction.atomic
def propose(discussion, *, by, text, details=""):
    proposal = Proposal.objects.create(discussion=discussion, text=text, details=details, proposed_by=by)
    record_event(
        by=by,
        verb="discussion.proposal",
        target=text,
        description=f"{by} a fait une proposition dans « {discussion.title} » : « {text} ».",
        organisation=discussion.organisation,
    )
    return proposal


@transaction.atomic
def decide(proposal, *, by, decision, by_vote=False):
    if proposal.decision != Decision.PENDING:
        raise ActionRefused("Cette proposition est déjà décidée.")
    proposal.decision = decision
    proposal.decided_by_vote = by_vote
    proposal.decided_on = timezone.localdate()
    proposal.save(update_fields=["decision", "decided_by_vote", "decided_on"])
    record_event(
        by=by,
        verb="discussion.decided",
        target=proposal.text,
        description=f"Proposition « {proposal.text} » : {proposal.get_decision_display().lower()}"
        + (" par un vote." if by_vote else " en réunion."),
        organisation=proposal.discussion.organisation,
    )


@transaction.atomic
def open_vote(proposal, *, by, anonymous, closes_on):
    if proposal.decision != Decision.PENDING or hasattr(proposal, "vote"):
        raise ActionRefused("Un vote existe déjà pour cette proposition, ou elle est décidée.")
    if closes_on < timezone.localdate():
        raise ActionRefused("La fin du vote doit être aujourd'hui ou plus tard.")
    vote = Vote.objects.create(proposal=proposal, anonymous=anonymous, closes_on=closes_on, opened_by=by)
    record_event(
        by=by,
        verb="discussion.vote_opened",
        target=proposal.text,
        description=(
            f"{by} a ouvert un vote {'anonyme' if anonymous else 'nominatif'} sur « {proposal.text} »."
        ),
        organisation=proposal.discussion.organisation,
    )
    return vote


def vote_is_open(vote):
    return not vote.closed and vote.closes_on >= timezone.localdate()


def cast(vote, *, user, choice, reason=""):
    if not vote_is_open(vote):
        raise ActionRefused("Ce vote est terminé : il n'est plus possible de voter.")
    if vote.anonymous:
        try:
            with transaction.atomic():
                VoterRecord.objects.create(vote=vote, user=user)
                AnonymousBallot.objects.create(vote=vote, choice=choice, reason=reason)
        except IntegrityError as error:
            raise ActionRefused("Vous avez déjà voté : un vote anonyme ne se modifie pas.") from error
    else:
        Ballot.objects.update_or_create(vote=vote, user=user, defaults={"choice": choice, "reason": reason})


def tally(vote, *, k):
    """At close: {choice: count}, the reasons, and the outcome; None before, or below k voters
    for an anonymous vote."""
    ballots = list(vote.anonymous_ballots.all() if vote.anonymous else vote.ballots.select_related("user"))
    if vote_is_open(vote) or (vote.anonymous and len(ballots) < k):
        return None
    counts = {choice: 0 for choice in Choice.values}
    for ballot in ballots:
        counts[ballot.choice] += 1
    adopted = counts[Choice.BLOCK] == 0 and counts[Choice.FOR] > counts[Choice.AGAINST]
    return {"counts": counts, "total": len(ballots), "ballots": ballots, "adopted": adopted}


@transaction.atomic
def close_vote(vote, *, by, k):
    """Close the vote and, when the tally can be shown, record the decision it gives."""
    vote.closed = True
    vote.save(update_fields=["closed"])
    result = tally(vote, k=k)
    if result is not None and vote.proposal.decision == Decision.PENDING:
        decide(
            vote.proposal,
            by=by,
            decision=Decision.ADOPTED if result["adopted"] else Decision.REJECTED,
            by_vote=True,
        )
    return result
