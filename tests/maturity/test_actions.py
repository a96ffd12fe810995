"""The maturity verbs: start or resume, save a dimension, complete, delete a draft."""

import pytest

from reperes.instruments.models import Questionnaire
from reperes.lib.actions import ActionRefused
from reperes.maturity import actions
from reperes.maturity.models import NOTE_MAX_LENGTH, Assessment
from reperes.organisations.models import Event
from tests.maturity.helpers import answer_all, completed, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org_a, alice):
    load()
    assessment, _ = actions.start_assessment(org_a, mode="pilots", by=alice)
    return assessment


def test_starting_creates_a_draft_on_the_latest_version_and_writes_the_journal(org_a, alice):
    load()
    assessment, created = actions.start_assessment(org_a, mode="meeting", by=alice)

    assert created and assessment.is_draft and assessment.mode == "meeting"
    assert assessment.started_by == alice
    assert (
        assessment.questionnaire_version
        == Questionnaire.objects.get(slug="maturite-numerique").latest_version()
    )
    event = Event.objects.get(organisation=org_a, verb="maturity.started")
    assert event.actor == alice and "en réunion d'équipe" in event.description


def test_a_second_start_resumes_the_draft(draft, org_a, carol):
    again, created = actions.start_assessment(org_a, mode="meeting", by=carol)

    assert not created and again == draft and again.mode == "pilots"
    assert Assessment.objects.filter(organisation=org_a).count() == 1


def test_starting_with_an_unknown_mode_is_refused(org_a, alice):
    load()
    with pytest.raises(ActionRefused, match="Choisissez comment vous répondez"):
        actions.start_assessment(org_a, mode="sondage", by=alice)
    assert not Assessment.objects.exists()


def test_starting_before_the_content_is_loaded_is_refused(org_a, alice):
    with pytest.raises(ActionRefused, match="n'est pas installé"):
        actions.start_assessment(org_a, mode="pilots", by=alice)


def test_each_organisation_has_its_own_draft(draft, org_b, dave):
    other, created = actions.start_assessment(org_b, mode="pilots", by=dave)

    assert created and other != draft


def test_saving_merges_answers_and_keeps_a_note(draft, alice):
    dimension = draft.dimensions[0]
    first, second = dimension["items"][0]["id"], dimension["items"][1]["id"]
    actions.save_answers(draft, "equipement", {first: "etabli"}, "", by=alice)
    actions.save_answers(
        draft, "equipement", {second: "pas-encore", first: ""}, "  Deux postes à changer. ", by=alice
    )

    draft.refresh_from_db()
    assert draft.answers == {first: "etabli", second: "pas-encore"}
    assert draft.notes == {"equipement": "Deux postes à changer."}


@pytest.mark.parametrize(
    "tampered",
    [
        {"equipement-1": "excellent"},
        {"equipement-1": ["etabli"]},
        {"securite-1": "etabli"},  # a statement of another dimension
        {"inconnu-1": "etabli"},
    ],
)
def test_a_tampered_value_is_refused_and_nothing_is_lost(draft, alice, tampered):
    actions.save_answers(draft, "equipement", {"equipement-2": "en-bonne-partie"}, "Note", by=alice)

    with pytest.raises(ActionRefused, match="Une réponse n'est pas valide"):
        actions.save_answers(draft, "equipement", {"equipement-3": "etabli", **tampered}, "Autre", by=alice)

    draft.refresh_from_db()
    assert draft.answers == {"equipement-2": "en-bonne-partie"}
    assert draft.notes == {"equipement": "Note"}


def test_an_unknown_dimension_is_refused(draft, alice):
    with pytest.raises(ActionRefused, match="Cette dimension n'existe pas"):
        actions.save_answers(draft, "bien-etre", {}, "", by=alice)


def test_a_note_too_long_is_refused(draft, alice):
    with pytest.raises(ActionRefused, match=f"dépasse {NOTE_MAX_LENGTH} caractères"):
        actions.save_answers(draft, "equipement", {}, "x" * (NOTE_MAX_LENGTH + 1), by=alice)


def test_completing_with_unanswered_statements_is_refused_naming_the_dimensions(draft, alice):
    answer_all(draft, by=alice)
    for dimension_id in ("securite", "inclusion"):
        draft.answers = {k: v for k, v in draft.answers.items() if not k.startswith(dimension_id + "-1")}
    Assessment.objects.filter(pk=draft.pk).update(answers=draft.answers)

    with pytest.raises(ActionRefused) as refusal:
        actions.complete_assessment(draft, by=alice)

    assert str(refusal.value) == (
        "Il reste des affirmations sans réponse dans : « Sécurité des données et sauvegardes », "
        "« Inclusion et logiciels libres »."
    )
    draft.refresh_from_db()
    assert draft.is_draft and draft.scores is None


def test_completing_scores_and_freezes_the_assessment(draft, alice, carol):
    answer_all(draft, by=alice, points=2, per_dimension={"securite": 0, "sens": 3})

    done = actions.complete_assessment(draft, by=carol)

    assert done.is_completed and done.completed_by == carol and done.completed_at
    assert done.scores["dimensions"]["securite"] == {"score": 0.0, "level": "premiers-pas"}
    assert done.scores["dimensions"]["sens"] == {"score": 100.0, "level": "integre"}
    assert done.scores["dimensions"]["equipement"] == {"score": 66.7, "level": "structure"}
    assert done.overall_level["label"] == "Structurée"
    assert Event.objects.filter(verb="maturity.completed", actor=carol).exists()
    with pytest.raises(ActionRefused, match="est terminé"):
        actions.save_answers(done, "equipement", {"equipement-1": "pas-encore"}, "", by=alice)
    with pytest.raises(ActionRefused, match="est terminé"):
        actions.complete_assessment(done, by=alice)


def test_scores_stay_as_stored_when_the_content_changes(org_a, alice):
    done = completed(org_a, alice, points=1)
    stored = done.scores
    # A new version of the file reweights the scale: past results do not move.
    version = done.questionnaire_version
    changed = dict(version.definition)
    changed["scale"] = {
        **changed["scale"],
        "choices": [{**c, "points": 3} for c in changed["scale"]["choices"]],
    }
    version.questionnaire.versions.create(number=version.number + 1, content_hash="autre", definition=changed)

    done.refresh_from_db()
    assert done.scores == stored and done.overall_score == 33.3
    assert actions.current_version().number == version.number + 1


def test_after_completion_a_new_start_is_a_new_assessment(org_a, alice):
    done = completed(org_a, alice)

    again, created = actions.start_assessment(org_a, mode="pilots", by=alice)

    assert created and again != done and again.is_draft


def test_deleting_a_draft(draft, alice, org_a):
    actions.delete_draft(draft, by=alice)

    assert not Assessment.objects.exists()
    assert Event.objects.filter(organisation=org_a, verb="maturity.draft_deleted").exists()


def test_a_completed_assessment_cannot_be_deleted(org_a, alice):
    done = completed(org_a, alice)

    with pytest.raises(ActionRefused):
        actions.delete_draft(done, by=alice)
    assert Assessment.objects.filter(pk=done.pk).exists()


def test_a_draft_never_finished_goes_after_a_year(draft):
    from datetime import timedelta

    from django.utils import timezone

    from reperes.maturity.actions import DRAFT_RETENTION_DAYS, purge_stale_drafts

    assert purge_stale_drafts() == 0
    later = timezone.localdate() + timedelta(days=DRAFT_RETENTION_DAYS + 1)
    assert purge_stale_drafts(today=later) == 1
    assert not Assessment.objects.exists()
