"""The shared « settle on read » mechanism (lib/settling.py), on a vote: the row is locked,
tested again, and closed once through the close action given."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from reperes.discussions import actions
from reperes.discussions.models import Vote
from reperes.lib.settling import settle_if_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote(org_a, alice):
    discussion = actions.open_discussion(org_a, by=alice, title="Temps", agenda="")
    proposal = actions.propose(discussion, by=alice, text="Pas de mails après 19 h")
    return actions.open_vote(proposal, by=alice, anonymous=False, closes_on=timezone.localdate())


def past(vote):
    Vote.objects.filter(pk=vote.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    vote.refresh_from_db()
    return vote


def test_not_due_is_left_alone_without_calling_close(vote):
    close = mock.Mock()
    assert settle_if_due(vote, is_due=actions.vote_is_due, close=close) is False
    close.assert_not_called()


def test_due_is_closed_once_through_the_close_given(vote):
    close = mock.Mock(side_effect=lambda v: Vote.objects.filter(pk=v.pk).update(closed=True))
    assert settle_if_due(past(vote), is_due=actions.vote_is_due, close=close) is True
    close.assert_called_once_with(vote)


def test_a_stale_reader_finds_it_settled_under_the_lock_and_is_refreshed(vote):
    first, second = past(vote), Vote.objects.get(pk=vote.pk)  # both read before either closed
    close = mock.Mock(side_effect=lambda v: Vote.objects.filter(pk=v.pk).update(closed=True))
    assert settle_if_due(first, is_due=actions.vote_is_due, close=close) is True
    assert settle_if_due(second, is_due=actions.vote_is_due, close=close) is False
    assert close.call_count == 1
    assert second.closed  # refreshed: the caller reads it closed


def test_a_failing_close_leaves_it_due(vote):
    close = mock.Mock(side_effect=RuntimeError("panne"))
    with pytest.raises(RuntimeError):
        settle_if_due(past(vote), is_due=actions.vote_is_due, close=close)
    assert actions.vote_is_due(Vote.objects.get(pk=vote.pk))
