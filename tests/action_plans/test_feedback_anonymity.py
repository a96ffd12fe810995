"""Issue 9, points 4 and 5, for « cela a-t-il aidé ? »: the published figures move only by
batches of at least k answers, and the order in which answers and participation records are
stored (what a dump emits) pairs no answer with the member who gave it, on SQLite and on
PostgreSQL."""

import random

import pytest
from django.db import models
from django.urls import reverse

from reperes.action_plans import actions
from reperes.action_plans.models import Action, Feedback, FeedbackParticipation, Status
from reperes.lib import storage
from reperes.lib.actions import ActionRefused
from tests.accounts.factories import UserFactory
from tests.dumps import spearman, storage_order
from tests.helpers import page_text
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

MEMBERS = 50
RANK = {"yes": 0, "partly": 1, "no": 2}


@pytest.fixture
def action(org_a):
    return Action.objects.create(organisation=org_a, title="Réunion mensuelle", status=Status.DONE)


@pytest.fixture
def members(org_a):
    return [
        MembershipFactory(organisation=org_a, user=UserFactory(email=f"membre{n:02d}@example.org")).user
        for n in range(MEMBERS)
    ]


def figures_on_the_page(client, action):
    """The « cela a-t-il aidé ? » card as a member who already answered sees it."""
    page = page_text(client.get(action.get_absolute_url()))
    return page[page.index("Cela a-t-il aidé ?") : page.index("</section>", page.index("Cela a-t-il aidé ?"))]


def test_figures_move_only_by_batches_of_k(client, settings, org_a, action, members):
    settings.ANONYMITY_THRESHOLD = 3
    watcher = members[-1]
    actions.give_feedback(action, user=watcher, value="yes")
    client.force_login(watcher)
    seen = [figures_on_the_page(client, action)]
    for user, value in zip(members[:7], ["no", "partly", "yes", "no", "no", "yes", "partly"], strict=True):
        actions.give_feedback(action, user=user, value=value)
        seen.append(figures_on_the_page(client, action))
    assert action.feedback_figures() == {
        "counts": {"yes": 2, "partly": 1, "no": 3},
        "counted": 6,
        "pending": 2,
    }
    # Before the first batch: no figures, only how many answered.
    assert "Oui :" not in seen[1] and "2 avis pour l'instant" in seen[1]
    # The first batch of 3 (the watcher's and two others), then nothing moves for two answers…
    assert "Oui : 1" in seen[2] and "En partie : 1" in seen[2] and "Non : 1" in seen[2]
    assert "1 avis pas encore compté" in seen[3] and "2 avis pas encore comptés" in seen[4]
    strip = [text.split("Les résultats")[0] for text in seen]
    assert strip[2] == strip[3] == strip[4]
    # … then the next three at once.
    assert "Oui : 2" in seen[5] and "Non : 3" in seen[5] and "Tous les avis sont comptés" in seen[5]
    assert strip[5] == strip[6] == strip[7] != strip[4]


def test_a_member_answers_once_and_nothing_links_them_to_their_answer(settings, action, members):
    settings.ANONYMITY_THRESHOLD = 3
    actions.give_feedback(action, user=members[0], value="yes")
    with pytest.raises(ActionRefused, match="déjà donné"):
        actions.give_feedback(action, user=members[0], value="no")
    assert {f.name for f in Feedback._meta.concrete_fields} == {"id", "action", "value", "counted"}
    for model in (Feedback, FeedbackParticipation):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert not any(
            isinstance(f, models.DateField | models.TimeField) for f in model._meta.concrete_fields
        )
    assert (Feedback.objects.count(), FeedbackParticipation.objects.count()) == (1, 1)


def test_answers_below_k_are_kept_and_never_published_on_their_own(settings, action, members):
    """Choosing batches of k over the action's review date: nothing publishes a remainder."""
    settings.ANONYMITY_THRESHOLD = 5
    for user in members[:4]:
        actions.give_feedback(action, user=user, value="no")
    assert action.feedback_figures() == {"counts": None, "counted": 0, "pending": 4}
    assert Feedback.objects.filter(action=action).count() == 4


@pytest.fixture
def seeded(monkeypatch):
    """Deterministic shuffles and keys; production uses random.SystemRandom."""
    monkeypatch.setattr(storage, "RNG", random.Random(2026))


def check_nothing_pairs(members, values):
    """Members answered in order, their values in blocks (yes, then partly, then no), so that a
    value's rank tells roughly when it arrived and whose it may be."""
    index = {user.pk: n for n, user in enumerate(members)}
    answers = [RANK[value] for (value,) in storage_order("action_plans_feedback", ["value"])]
    records = [
        index[user_id] for (user_id,) in storage_order("action_plans_feedbackparticipation", ["user_id"])
    ]
    assert sorted(records) == list(range(len(values)))  # nothing lost
    assert sorted(answers) == sorted(RANK[v] for v in values)
    positions = range(len(values))
    assert abs(spearman(positions, answers)) < 0.3, "answers stored in arrival order"
    assert abs(spearman(positions, records)) < 0.3, "participation records stored in arrival order"
    assert abs(spearman([RANK[values[n]] for n in records], answers)) < 0.3, (
        "n-th record pairs with n-th answer"
    )
    by_key = [RANK[value] for value in Feedback.objects.order_by("id").values_list("value", flat=True)]
    assert abs(spearman(positions, by_key)) < 0.3, "answer keys follow arrival"


def test_a_dump_pairs_no_answer_with_its_member_between_and_after_batches(seeded, settings, action, members):
    settings.ANONYMITY_THRESHOLD = 5
    values = ["yes"] * 17 + ["partly"] * 17 + ["no"] * 16
    for n, (user, value) in enumerate(zip(members, values, strict=True)):
        actions.give_feedback(action, user=user, value=value)
        if n == 47:  # 45 counted, 3 waiting for the next batch
            assert action.feedback_figures()["pending"] == 3
            check_nothing_pairs(members[:48], values[:48])
    assert action.feedback_figures()["counted"] == 50
    check_nothing_pairs(members, values)


def test_the_measure_sees_arrival_order_when_rows_are_written_naively(action, members):
    """Control: pairs written one after another, as before issue 9, are dumped in that order."""
    values = ["yes"] * 17 + ["partly"] * 17 + ["no"] * 16
    for user, value in zip(members, values, strict=True):
        FeedbackParticipation.objects.create(action=action, user=user)
        Feedback.objects.create(action=action, value=value)
    answers = [RANK[value] for (value,) in storage_order("action_plans_feedback", ["value"])]
    assert spearman(range(MEMBERS), answers) > 0.9


def test_feedback_through_the_page_says_it_is_recorded_not_counted(client, bob, org_a, action):
    client.force_login(bob)
    page = page_text(
        client.post(
            reverse("action_plans:feedback", args=[org_a.slug, action.pk]), {"value": "yes"}, follow=True
        )
    )
    assert "votre avis est enregistré, sans votre nom" in page
    assert "1 avis pour l'instant : les résultats s'affichent par paquets de 5 avis" in page
