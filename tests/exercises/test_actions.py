"""The actions of the team exercises: starting one, saving the team's answers, a decision
becoming an action of the plan, the « after adoption » review of a tool."""

import uuid

import pytest

from reperes.action_plans.models import Action
from reperes.exercises import actions
from reperes.exercises.guide import FAMILIES, KINDS, all_tags
from reperes.exercises.models import Entry, Exercise
from reperes.instruments.frameworks import author_choices

pytestmark = pytest.mark.django_db


def _review(org, by, **fields):
    exercise, _ = actions.start_exercise(
        org,
        by=by,
        kind="tool_review",
        title="Revue de « agenda partagé »",
        tool_name="Agenda partagé",
        family="collaboration",
        stage="before",
        **fields,
    )
    return exercise


def test_every_determinant_named_by_the_exercises_is_one_authors_may_choose():
    choosable = {tag for _, choices in author_choices() for tag, _ in choices}
    assert all_tags() <= choosable


def test_the_guide_families_and_checks_are_all_there():
    assert [f.key for f in FAMILIES] == [
        "communication",
        "collaboration",
        "management",
        "decision",
        "training",
    ]
    assert all(f.opportunities and f.risks for f in FAMILIES)
    assert [s.key for s in KINDS["tool_review"].sections] == ["sens", "utilite", "regles", "evolution"]


def test_start_a_tool_review_records_who_started_it(alice, org_a):
    review = _review(org_a, alice)
    assert review.organisation == org_a and review.created_by == alice
    assert review.family_spec.label == "Collaboration" and review.may_follow_up


def test_the_same_form_sent_twice_starts_one_exercise(alice, org_a):
    key = uuid.uuid4()
    first = _review(org_a, alice, submit_key=key)
    second, created = actions.start_exercise(
        org_a, by=alice, kind="tool_review", submit_key=key, title="x", tool_name="x", family="training"
    )
    assert second == first and not created
    assert Exercise.objects.count() == 1


def test_save_entries_keeps_the_guide_sections_only(alice, carol, org_a):
    review = _review(org_a, alice)
    actions.save_entries(
        review,
        by=carol,
        title="Notre agenda",
        entries={
            "regles": {
                "notes": "Pas d'invitation après 18 h.",
                "decision": "adjust",
                "agreed": "Règles d'agenda",
            },
            "inconnue": {"notes": "x", "decision": "", "agreed": ""},
        },
    )
    review.refresh_from_db()
    assert review.title == "Notre agenda" and review.updated_by == carol
    assert list(review.entries.values_list("key", flat=True)) == ["regles"]


def test_a_decision_becomes_a_prefilled_action_once(alice, org_a):
    review = _review(org_a, alice)
    actions.save_entries(
        review,
        by=alice,
        title=review.title,
        entries={"regles": {"notes": "Trop de notifications.", "decision": "adjust", "agreed": ""}},
    )
    action, created = actions.entry_to_action(review, "regles", by=alice)
    assert created and action.organisation == org_a and action.created_by == alice
    assert action.title.startswith("Ajuster « Agenda partagé »")
    assert "Trop de notifications." in action.description and "Décision : Ajuster." in action.description
    assert action.determinants == ["labqvt:sante", "anact:articulation-temps"]
    assert action.document_url == review.get_absolute_url()
    again, created = actions.entry_to_action(review, "regles", by=alice)
    assert again == action and not created
    assert Action.objects.count() == 1
    assert Entry.objects.get(exercise=review, key="regles").action == action


def test_nothing_decided_makes_no_action(alice, org_a):
    review = _review(org_a, alice)
    actions.save_entries(
        review,
        by=alice,
        title=review.title,
        entries={"sens": {"notes": "On en parle.", "decision": "keep", "agreed": ""}},
    )
    assert actions.entry_to_action(review, "sens", by=alice) == (None, False)
    assert actions.entry_to_action(review, "utilite", by=alice) == (None, False)
    assert not Action.objects.exists()


def test_a_time_rule_becomes_an_action_with_its_fiche(alice, org_a):
    compromise, _ = actions.start_exercise(org_a, by=alice, kind="time_compromise", title="Notre compromis")
    actions.save_entries(
        compromise,
        by=alice,
        title=compromise.title,
        entries={"deconnexion": {"notes": "", "decision": "drop", "agreed": "Pas de message après 19 h"}},
    )
    assert compromise.entries.get().decision == ""  # decisions belong to tool reviews
    action, created = actions.entry_to_action(compromise, "deconnexion", by=alice)
    assert created and action.title == "Pas de message après 19 h" and action.fiche == "temps-de-travail"


def test_after_review_from_before_review_shows_the_earlier_answers(alice, org_a):
    before = _review(org_a, alice)
    actions.save_entries(
        before,
        by=alice,
        title=before.title,
        entries={"sens": {"notes": "Pour le planning.", "decision": "keep", "agreed": ""}},
    )
    after, created = actions.start_after_review(before, by=alice)
    assert created and after.previous == before and after.stage == "after"
    assert (after.tool_name, after.family) == (before.tool_name, before.family)
    sections = after.sections()
    assert sections[0]["earlier"].notes == "Pour le planning." and sections[0]["entry"] is None
    again, created = actions.start_after_review(before, by=alice)
    assert again == after and not created
    assert not after.may_follow_up
