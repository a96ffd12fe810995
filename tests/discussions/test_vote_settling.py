"""Votes past their end close through close_vote exactly once, whoever reads them first (the
shared settle-on-read mechanism of lib/settling.py, as for campaigns)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.discussions import actions
from reperes.discussions.models import Decision, Vote
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory
from tests.organisations.test_invitation_races import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(org_a, alice):
    discussion = actions.open_discussion(org_a, by=alice, title="Temps", agenda="")
    return actions.propose(discussion, by=alice, text="Pas de mails après 19 h")


def ended_vote(proposal, alice, org_a, *, voters=5):
    vote = actions.open_vote(proposal, by=alice, anonymous=True, closes_on=timezone.localdate())
    for _ in range(voters):
        actions.cast(vote, user=MembershipFactory(organisation=org_a, user=UserFactory()).user, choice="for")
    Vote.objects.filter(pk=vote.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    return vote


def detail_url(org, proposal):
    return reverse("discussions:detail", args=[org.slug, proposal.discussion_id])


def test_a_get_closes_an_ended_vote_once_through_close_vote(client, alice, bob, org_a, proposal):
    vote = ended_vote(proposal, alice, org_a)
    client.force_login(bob)
    with mock.patch.object(actions, "close_vote", wraps=actions.close_vote) as close_vote:
        assert client.get(detail_url(org_a, proposal)).status_code == 200
        assert client.get(detail_url(org_a, proposal)).status_code == 200
    close_vote.assert_called_once()
    assert close_vote.call_args.kwargs["by"] is None
    vote.refresh_from_db()
    proposal.refresh_from_db()
    assert vote.closed and proposal.decision == Decision.ADOPTED
    closed = org_a.events.get(verb="discussion.vote_closed")
    assert closed.actor is None and "à sa date de fin" in closed.description
    assert org_a.events.filter(verb="discussion.decided").count() == 1


def test_two_stale_readers_close_it_once(alice, org_a, proposal):
    ended_vote(proposal, alice, org_a)
    first, second = Vote.objects.get(proposal=proposal), Vote.objects.get(proposal=proposal)
    assert actions.settle_vote(first, k=5) is True
    assert actions.settle_vote(second, k=5) is False
    assert second.closed
    assert org_a.events.filter(verb="discussion.vote_closed").count() == 1


def test_a_ballot_is_also_a_reader_and_closes_it(client, alice, bob, org_a, proposal):
    vote = ended_vote(proposal, alice, org_a)
    client.force_login(bob)
    url = reverse("discussions:vote_cast", args=[org_a.slug, proposal.discussion_id, proposal.pk])
    client.post(url, {f"p{proposal.pk}-choice": "against"})
    vote.refresh_from_db()
    assert vote.closed and org_a.events.filter(verb="discussion.vote_closed").count() == 1


def test_a_pilot_closing_is_recorded_with_its_author(alice, org_a, proposal):
    vote = actions.open_vote(proposal, by=alice, anonymous=False, closes_on=timezone.localdate())
    actions.close_vote(vote, by=alice, k=5)
    actions.close_vote(vote, by=alice, k=5)
    assert list(org_a.events.filter(verb="discussion.vote_closed").values_list("actor", flat=True)) == [
        alice.pk
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_reads_close_it_once(alice, bob, org_a, proposal):
    vote = ended_vote(proposal, alice, org_a)

    def read(client):
        client.force_login(bob)
        return client.get(detail_url(org_a, proposal))

    assert at_once(3, read) == [200, 200, 200]
    vote.refresh_from_db()
    assert vote.closed
    assert org_a.events.filter(verb="discussion.vote_closed").count() == 1
    assert org_a.events.filter(verb="discussion.decided").count() == 1
