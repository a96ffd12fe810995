"""Discussions, proposals and votes. Anonymous ballots: who voted is stored apart from what was
voted, with nothing linking them, not even the order of the rows (storage.py), and counts
appear only at close and from k voters."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from reperes.discussions.models import (
    Ballot,
    Choice,
    Decision,
    Discussion,
    Meeting,
    Proposal,
    Vote,
)
from reperes.lib import settling, storage
from reperes.lib.actions import ActionRefused
from reperes.organisations.journal import record_event


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


@transaction.atomic
def cast(vote, *, user, choice, reason=""):
    """Record a ballot. A named ballot can be changed until the close; an anonymous one is final,
    and is stored apart from the record that its author voted, the vote's two sets of rows being
    rewritten in a random order (storage.py) so that nothing pairs them."""
    locked = Vote.objects.select_for_update().get(pk=vote.pk)  # one ballot of a vote at a time
    if not vote_is_open(locked):
        raise ActionRefused("Ce vote est terminé : il n'est plus possible de voter.")
    if not locked.anonymous:
        Ballot.objects.update_or_create(vote=locked, user=user, defaults={"choice": choice, "reason": reason})
        return
    if locked.voters.filter(user=user).exists():
        raise ActionRefused("Vous avez déjà voté : un vote anonyme ne se modifie pas.")
    _rewrite_anonymous(locked, voter=user, ballot={"choice": choice, "reason": reason})


def _rewrite_anonymous(vote, *, voter=None, ballot=None):
    """Rewrite the vote's VoterRecords and AnonymousBallots in a random order with new keys,
    adding one voter and their ballot when given. Inside the transaction that locks the vote."""
    voters = list(vote.voters.values("vote_id", "user_id"))
    ballots = list(vote.anonymous_ballots.values("vote_id", "choice", "reason"))
    if voter is not None:
        voters.append({"vote_id": vote.pk, "user_id": voter.pk})
        ballots.append({"vote_id": vote.pk, **ballot})
    storage.rewrite(vote.voters.all(), voters)
    storage.rewrite(vote.anonymous_ballots.all(), ballots)


def tally(vote, *, k):
    """Once closed: {choice: count}, the ballots (anonymous ones in random order, with their
    reasons) and the outcome. None while the vote is not closed, and for an anonymous vote
    closed with fewer than k voters: a tally is shown once, at close, never as it grows."""
    if not vote.closed:
        return None
    ballots = list(vote.anonymous_ballots.all() if vote.anonymous else vote.ballots.select_related("user"))
    if vote.anonymous and len(ballots) < k:
        return None
    counts = {choice: 0 for choice in Choice.values}
    for ballot in ballots:
        counts[ballot.choice] += 1
    adopted = counts[Choice.BLOCK] == 0 and counts[Choice.FOR] > counts[Choice.AGAINST]
    return {"counts": counts, "total": len(ballots), "ballots": ballots, "adopted": adopted}


def close_vote(vote, *, by, k):
    """Close the vote, exactly once, record it, and, when the tally can be shown, record the
    decision it gives. In the same transaction an anonymous vote's rows are rewritten in a
    random order one last time. `by` is the pilot who closes it, or None when the vote closes by
    itself after its date (settle_vote). A second call finds the vote closed and only returns
    its tally."""
    with transaction.atomic():
        locked = Vote.objects.select_for_update().select_related("proposal__discussion").get(pk=vote.pk)
        if not locked.closed:
            locked.closed = True
            locked.save(update_fields=["closed"])
            if locked.anonymous:
                _rewrite_anonymous(locked)
            proposal = locked.proposal
            record_event(
                by=by,
                verb="discussion.vote_closed",
                target=proposal.text,
                description=(
                    f"{by} a clos le vote sur « {proposal.text} »."
                    if by is not None
                    else f"Le vote sur « {proposal.text} » s'est clos à sa date de fin."
                ),
                organisation=proposal.discussion.organisation,
            )
            result = tally(locked, k=k)
            if result is not None and proposal.decision == Decision.PENDING:
                decide(
                    proposal,
                    by=by,
                    decision=Decision.ADOPTED if result["adopted"] else Decision.REJECTED,
                    by_vote=True,
                )
        else:
            result = tally(locked, k=k)
    vote.closed = True
    return result


def vote_is_due(vote):
    """Past its end and not closed yet: it reads as ended, and the next read closes it."""
    return not vote.closed and vote.closes_on < timezone.localdate()


def settle_vote(vote, *, k):
    """Close a vote whose end has passed, through close_vote, by the shared « settle on read »
    mechanism (lib/settling.py) that campaigns use too: the documented exception to « a GET
    never writes ». Every read of a vote goes through it (`vote_for`), whether a page or a
    ballot, so that a vote is closed, shuffled and decided once, whoever reads it first.
    Returns True when this call closed it."""
    return settling.settle_if_due(vote, is_due=vote_is_due, close=partial(close_vote, by=None, k=k))


def vote_for(proposal, *, k):
    """The proposal's vote, settled if its end has passed, or None when it has none."""
    vote = Vote.objects.filter(proposal=proposal).first()
    if vote is not None and settle_vote(vote, k=k):
        proposal.refresh_from_db(fields=["decision", "decided_by_vote", "decided_on"])
    return vote
