from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.action_plans.models import Action
from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Campaign
from reperes.discussions import actions
from reperes.discussions.models import AnonymousBallot, Decision, Discussion, Vote, VoterRecord
from reperes.fiches.loading import load_fiches
from reperes.lib.actions import ActionRefused
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def discussion(org_a, alice):
    return actions.open_discussion(org_a, by=alice, title="Parlons du temps", agenda="")


@pytest.fixture
def proposal(discussion, alice):
    return actions.propose(discussion, by=alice, text="Pas de mails après 19 h")


def test_agenda_is_prefilled_from_the_results_and_the_fiche(client, alice, org_a):
    load_fiches()
    campaign = CampaignFactory(organisation=org_a, groups=[])
    for _ in range(5):
        draft, _ = campaign_actions.start_draft(campaign)
        campaign_actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "non"))
        campaign_actions.submit(draft)
    Campaign.objects.filter(pk=campaign.pk).update(state="closed", closed_on=today())
    client.force_login(alice)
    url = reverse("discussions:create", args=[org_a.slug]) + f"?diagnostic={campaign.pk}&theme=temps"
    form = page_text(client.get(url))
    assert "Discussion : Organisation du temps de travail" in form
    assert "Non 100 %" in form
    assert "Les questions de la fiche" in form
    response = client.post(url, {"title": "Discussion : temps", "agenda": "Ordre du jour"})
    discussion = Discussion.objects.get()
    assert response["Location"] == discussion.get_absolute_url()
    assert (discussion.campaign_id, discussion.theme_id) == (campaign.pk, "temps")


def test_meeting_is_recorded_and_a_future_one_refused(client, alice, org_a, discussion):
    client.force_login(alice)
    url = reverse("discussions:meeting_add", args=[org_a.slug, discussion.pk])
    client.post(url, {"held_on": today().isoformat(), "participants": 9, "notes": "Bon échange"})
    assert discussion.meetings.get().participants == 9
    later = page_text(
        client.post(
            url, {"held_on": (today() + timedelta(days=10)).isoformat(), "participants": 3}, follow=True
        )
    )
    assert "pas celles à venir" in later
    assert discussion.meetings.count() == 1


def test_named_vote_changeable_until_close_then_decides(alice, bob, carol, proposal):
    vote = actions.open_vote(proposal, by=alice, anonymous=False, closes_on=today())
    actions.cast(vote, user=bob, choice="against")
    actions.cast(vote, user=bob, choice="for", reason="Finalement oui")
    actions.cast(vote, user=carol, choice="for")
    assert actions.tally(vote, k=5) is None  # no counts before the close
    result = actions.close_vote(vote, by=alice, k=5)
    assert result["counts"] == {"for": 2, "abstain": 0, "against": 0, "block": 0}
    proposal.refresh_from_db()
    assert proposal.decision == Decision.ADOPTED and proposal.decided_by_vote
    with pytest.raises(ActionRefused, match="terminé"):
        actions.cast(vote, user=alice, choice="against")


def test_blocking_objection_rejects(alice, bob, proposal):
    vote = actions.open_vote(proposal, by=alice, anonymous=False, closes_on=today())
    actions.cast(vote, user=alice, choice="for")
    actions.cast(vote, user=bob, choice="block", reason="Pas tenable pour l'astreinte")
    actions.close_vote(vote, by=alice, k=5)
    proposal.refresh_from_db()
    assert proposal.decision == Decision.REJECTED


def test_anonymous_ballot_is_final_unlinked_and_counted_only_from_k(alice, org_a, proposal, settings):
    vote = actions.open_vote(proposal, by=alice, anonymous=True, closes_on=today())
    voters = [UserFactory() for _ in range(4)]
    for user in voters:
        MembershipFactory(organisation=org_a, user=user)
    actions.cast(vote, user=voters[0], choice="for")
    with pytest.raises(ActionRefused, match="déjà voté"):
        actions.cast(vote, user=voters[0], choice="against")
    for user in voters[1:]:
        actions.cast(vote, user=user, choice="for")
    assert {f.name for f in AnonymousBallot._meta.concrete_fields} == {"id", "vote", "choice", "reason"}
    assert VoterRecord.objects.count() == 4 and AnonymousBallot.objects.count() == 4
    assert actions.close_vote(vote, by=alice, k=5) is None  # 4 voters < k: no counts, no decision
    proposal.refresh_from_db()
    assert proposal.decision == Decision.PENDING


def test_vote_after_its_date_is_refused_through_the_page(client, alice, bob, org_a, proposal):
    vote = actions.open_vote(proposal, by=alice, anonymous=False, closes_on=today())
    vote.closes_on = today() - timedelta(days=1)
    vote.save()
    client.force_login(bob)
    page = page_text(
        client.post(
            reverse("discussions:vote_cast", args=[org_a.slug, proposal.discussion.pk, proposal.pk]),
            {f"p{proposal.pk}-choice": "for"},
            follow=True,
        )
    )
    assert "il n'est plus possible de voter" in page


def test_adopted_proposal_becomes_an_action_in_one_click(client, alice, org_a, proposal):
    client.force_login(alice)
    url = reverse("action_plans:from_proposal", args=[org_a.slug, proposal.pk])
    refused = page_text(client.post(url, follow=True))
    assert "Seule une proposition adoptée" in refused
    actions.decide(proposal, by=alice, decision=Decision.ADOPTED)
    response = client.post(url)
    action = Action.objects.get()
    assert response["Location"] == reverse("action_plans:edit", args=[org_a.slug, action.pk])
    assert action.proposal == proposal and action.title == proposal.text
    again = page_text(client.post(url, follow=True))
    assert "déjà une action" in again


def test_deciding_twice_is_refused(alice, proposal):
    actions.decide(proposal, by=alice, decision=Decision.REJECTED)
    with pytest.raises(ActionRefused):
        actions.decide(proposal, by=alice, decision=Decision.ADOPTED)


def test_member_proposes_and_votes_but_does_not_decide(client, bob, alice, org_a, discussion):
    client.force_login(bob)
    client.post(reverse("discussions:proposal_add", args=[org_a.slug, discussion.pk]), {"text": "Une idée"})
    proposal = discussion.proposals.get()
    url = reverse("discussions:decide", args=[org_a.slug, discussion.pk, proposal.pk])
    assert client.post(url, {"decision": "adopted"}).status_code == 404


def test_discussion_of_another_organisation_is_a_404(client, dave, org_b, discussion):
    client.force_login(dave)
    assert client.get(reverse("discussions:detail", args=[org_b.slug, discussion.pk])).status_code == 404


def members_of(org_a, count):
    return [MembershipFactory(organisation=org_a, user=UserFactory()).user for _ in range(count)]


def proposal_card(client, proposal):
    page = page_text(client.get(proposal.discussion.get_absolute_url()))
    start = page.index(f"<h3>{proposal.text}</h3>")
    return page[start : page.index("</article>", start)]


def test_an_open_vote_shows_how_many_voted_never_what(client, alice, org_a, proposal):
    """Issue 9, point 4: reading the page before and after a colleague votes says that they
    voted, not what; no count of choices exists before the close."""
    vote = actions.open_vote(proposal, by=alice, anonymous=True, closes_on=today())
    client.force_login(alice)
    for n, user in enumerate(members_of(org_a, 6), start=1):
        actions.cast(vote, user=user, choice="against" if n == 6 else "for")
        card = proposal_card(client, proposal)
        assert f"{n} votant·e" in card
        assert "Pour :" not in card and "Contre :" not in card
        assert "Le décompte s'affichera à la clôture du vote, s'il y a au moins 5 votant·es" in card
    assert actions.tally(vote, k=5) is None


def test_a_vote_past_its_date_is_closed_once_by_its_first_reader_even_a_member(
    client, alice, bob, org_a, proposal
):
    vote = actions.open_vote(proposal, by=alice, anonymous=True, closes_on=today())
    for user in members_of(org_a, 5):
        actions.cast(vote, user=user, choice="for")
    Vote.objects.filter(pk=vote.pk).update(closes_on=today() - timedelta(days=1))
    vote.refresh_from_db()
    assert actions.tally(vote, k=5) is None  # past its date but not closed yet: still nothing
    client.force_login(bob)
    card = proposal_card(client, proposal)
    assert "Pour : 5" in card and "clos" in card
    vote.refresh_from_db()
    proposal.refresh_from_db()
    assert vote.closed and proposal.decision == Decision.ADOPTED and proposal.decided_by_vote
    proposal_card(client, proposal)
    assert actions.close_vote(vote, by=alice, k=5)["counts"]["for"] == 5  # closing again changes nothing
    assert org_a.events.filter(verb="discussion.decided").count() == 1


def test_a_closed_vote_refuses_ballots_and_its_tally_never_moves(alice, org_a, proposal):
    vote = actions.open_vote(proposal, by=alice, anonymous=True, closes_on=today())
    voters = members_of(org_a, 6)
    for user in voters[:5]:
        actions.cast(vote, user=user, choice="for")
    closed = actions.close_vote(vote, by=alice, k=5)
    with pytest.raises(ActionRefused, match="terminé"):
        actions.cast(vote, user=voters[5], choice="against")
    assert actions.tally(vote, k=5)["counts"] == closed["counts"]
    assert AnonymousBallot.objects.count() == VoterRecord.objects.count() == 5
