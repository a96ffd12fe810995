"""Issue 9, point 5, for anonymous votes: the order in which ballots and voter records are
stored (what a dump emits) pairs no ballot with its voter, while the vote is open and once it is
closed, on SQLite and on PostgreSQL."""

import random

import pytest
from django.db import connection, models
from django.utils import timezone

from reperes.discussions import actions
from reperes.discussions.models import AnonymousBallot, VoterRecord
from reperes.lib import storage
from tests.accounts.factories import UserFactory
from tests.dumps import spearman, sqlite_dump_rows, storage_order
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

VOTERS = 50


@pytest.fixture
def seeded(monkeypatch):
    """Deterministic shuffles and keys; production uses random.SystemRandom."""
    monkeypatch.setattr(storage, "RNG", random.Random(2026))


@pytest.fixture
def vote(org_a, alice):
    discussion = actions.open_discussion(org_a, by=alice, title="Horaires", agenda="")
    proposal = actions.propose(discussion, by=alice, text="Pas de réunion après 17 h")
    return actions.open_vote(proposal, by=alice, anonymous=True, closes_on=timezone.localdate())


@pytest.fixture
def voters(org_a):
    """50 members, in the order they will vote."""
    return [
        MembershipFactory(organisation=org_a, user=UserFactory(email=f"votant{n:02d}@example.org")).user
        for n in range(VOTERS)
    ]


def cast_in_order(vote, voters):
    """Voter n votes with the reason « n », so that a ballot says whose it is, for the test only."""
    for n, user in enumerate(voters):
        actions.cast(
            vote, user=user, choice=random.Random(n).choice(["for", "against", "abstain"]), reason=f"{n}"
        )


def check_nothing_pairs(voters):
    index = {user.pk: n for n, user in enumerate(voters)}
    ballots = [int(reason) for (reason,) in storage_order("discussions_anonymousballot", ["reason"])]
    records = [index[user_id] for (user_id,) in storage_order("discussions_voterrecord", ["user_id"])]
    assert sorted(ballots) == sorted(records) == list(range(VOTERS))  # nothing lost
    positions = range(VOTERS)
    assert abs(spearman(positions, ballots)) < 0.3, "ballots stored in voting order"
    assert abs(spearman(positions, records)) < 0.3, "voter records stored in voting order"
    # Pairing the n-th record with the n-th ballot finds a voter's own ballot about once, as
    # chance would (fixed points of a random permutation), where rows written in order give 50.
    assert sum(r == b for r, b in zip(records, ballots, strict=True)) <= 5, "records pair with ballots"
    by_key = [int(b.reason) for b in AnonymousBallot.objects.order_by("id")]
    assert abs(spearman(positions, by_key)) < 0.3, "ballot keys follow voting order"
    return ballots


def test_a_dump_pairs_no_ballot_with_its_voter_while_open_and_at_close(seeded, alice, vote, voters):
    cast_in_order(vote, voters)
    while_open = check_nothing_pairs(voters)
    actions.close_vote(vote, by=alice, k=5)
    at_close = check_nothing_pairs(voters)
    assert at_close != while_open  # rewritten once more at close
    if connection.vendor == "sqlite":  # `sqlite3 .dump` prints the rowid order checked above
        # Each line: VALUES('<key>','<choice>','<reason>',<vote id>)
        dumped = [
            int(line.split(",")[2].strip("'")) for line in sqlite_dump_rows("discussions_anonymousballot")
        ]
        assert dumped == at_close


def test_the_measure_sees_arrival_order_when_rows_are_written_naively(vote, voters):
    """Control: rows written one after another, as before issue 9, are dumped in that order."""
    for n in range(VOTERS):
        AnonymousBallot.objects.create(vote=vote, choice="for", reason=f"{n}")
    ballots = [int(reason) for (reason,) in storage_order("discussions_anonymousballot", ["reason"])]
    assert spearman(range(VOTERS), ballots) == pytest.approx(1)


def test_anonymous_rows_carry_no_time_and_no_sequence():
    for model in (AnonymousBallot, VoterRecord):
        fields = model._meta.concrete_fields
        assert not any(isinstance(f, models.DateField | models.TimeField) for f in fields)
        assert isinstance(model._meta.pk, models.UUIDField)


def test_production_shuffles_with_the_system_random():
    assert isinstance(storage.RNG, random.SystemRandom)
    assert storage.new_key().version == 4


def test_sqlite_runs_with_secure_delete():
    """Rows deleted to be rewritten are overwritten in the SQLite file. PostgreSQL has no such
    setting: a logical dump holds no dead rows (docs/architecture.md says what files hold)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1
    else:
        assert connection.vendor == "postgresql"
