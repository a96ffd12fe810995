"""The exercise pages: who reads, who edits, another organisation's exercise, bad input."""

import uuid

import pytest
from django.urls import reverse

from reperes.action_plans.models import Action
from reperes.exercises import actions
from reperes.exercises.models import Exercise
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(alice, org_a):
    exercise, _ = actions.start_exercise(
        org_a,
        by=alice,
        kind="tool_review",
        title="Revue de « messagerie »",
        tool_name="Messagerie",
        family="communication",
        stage="before",
    )
    actions.save_entries(
        exercise,
        by=alice,
        title=exercise.title,
        entries={
            "regles": {"notes": "Des mails à 23 h.", "decision": "adjust", "agreed": "Pas de mail après 19 h"}
        },
    )
    return exercise


def start_data(**overrides):
    return {
        "tool_name": "Agenda partagé",
        "family": "collaboration",
        "stage": "before",
        "title": "",
        "submit_key": str(uuid.uuid4()),
        **overrides,
    }


def entries_data(exercise, **overrides):
    data = {"title": exercise.title}
    for section in exercise.spec.sections:
        data |= {f"{section.key}-notes": "", f"{section.key}-decision": "", f"{section.key}-agreed": ""}
    return data | overrides


def test_member_reads_the_review_with_its_family_prompts_but_cannot_edit(client_of, bob, org_a, review):
    client = client_of(bob)
    page = page_text(client.get(review.get_absolute_url()))
    assert "Des relations entre personnes qui se dégradent" in page  # the family's risks
    assert "Pas de mail après 19 h" in page
    assert "Inscrire au plan d'action" not in page and "Compléter les réponses" not in page
    assert "Revue de « messagerie »" in page_text(client.get(reverse("exercises:list", args=[org_a.slug])))
    assert client.get(reverse("exercises:edit", args=[org_a.slug, review.pk])).status_code == 404
    assert (
        client.post(reverse("exercises:edit", args=[org_a.slug, review.pk]), entries_data(review)).status_code
        == 404
    )
    assert (
        client.post(reverse("exercises:entry_action", args=[org_a.slug, review.pk, "regles"])).status_code
        == 404
    )
    assert client.post(reverse("exercises:after_review", args=[org_a.slug, review.pk])).status_code == 404
    assert (
        client.post(reverse("exercises:start", args=[org_a.slug, "revue-outil"]), start_data()).status_code
        == 404
    )
    assert not Action.objects.exists() and Exercise.objects.count() == 1


def test_staff_representative_turns_a_decision_into_an_action(client_of, carol, org_a, review):
    client = client_of(carol)
    response = client.post(reverse("exercises:entry_action", args=[org_a.slug, review.pk, "regles"]))
    action = Action.objects.get()
    assert response["Location"] == action.get_absolute_url()
    assert action.title == "Pas de mail après 19 h" and action.determinants
    again = client.post(reverse("exercises:entry_action", args=[org_a.slug, review.pk, "regles"]))
    assert again["Location"] == action.get_absolute_url() and Action.objects.count() == 1
    assert "Voir l'action du plan" in page_text(client.get(review.get_absolute_url()))


def test_other_organisation_gets_404(client_of, dave, org_a, review):
    client = client_of(dave)
    for name, args in [
        ("exercises:list", []),
        ("exercises:detail", [review.pk]),
        ("exercises:edit", [review.pk]),
    ]:
        assert client.get(reverse(name, args=[org_a.slug, *args])).status_code == 404
    assert (
        client.post(reverse("exercises:entry_action", args=[org_a.slug, review.pk, "regles"])).status_code
        == 404
    )
    # Its own slug does not reach A's exercise either.
    assert client.get(reverse("exercises:detail", args=["bois", review.pk])).status_code == 404


def test_unknown_kind_or_section_is_404(client_of, alice, org_a, review):
    client = client_of(alice)
    assert client.get(reverse("exercises:start", args=[org_a.slug, "autre"])).status_code == 404
    assert (
        client.post(reverse("exercises:entry_action", args=[org_a.slug, review.pk, "autre"])).status_code
        == 404
    )


def test_start_a_review_then_a_double_submit_starts_one(client_of, alice, org_a):
    client = client_of(alice)
    url = reverse("exercises:start", args=[org_a.slug, "revue-outil"])
    assert client.get(url).status_code == 200
    data = start_data()
    first = client.post(url, data)
    second = client.post(url, data)
    exercise = Exercise.objects.get()
    assert first["Location"] == second["Location"] == exercise.get_absolute_url()
    assert exercise.title == "Revue de « Agenda partagé »" and exercise.created_by == alice


def test_tampered_start_form_is_refused_in_french_and_keeps_what_was_typed(client_of, alice, org_a):
    client = client_of(alice)
    url = reverse("exercises:start", args=[org_a.slug, "revue-outil"])
    response = client.post(url, start_data(family="piratage", submit_key="pas-une-cle", tool_name="x" * 101))
    page = page_text(response)
    assert response.status_code == 400
    assert "« piratage » ne fait pas partie des choix proposés." in page
    assert "Le formulaire est incomplet" in page
    assert "au plus 100 caractères" in page
    assert 'value="' + "x" * 101 + '"' in response.content.decode()
    assert not Exercise.objects.exists()


def test_oversized_notes_are_refused_and_nothing_is_lost(client_of, alice, org_a, review):
    client = client_of(alice)
    url = reverse("exercises:edit", args=[org_a.slug, review.pk])
    long_notes = "Trop long. " * 300
    data = entries_data(
        review, **{"sens-notes": long_notes, "utilite-agreed": "Former l'équipe", "regles-decision": "x"}
    )
    response = client.post(url, data)
    page = page_text(response)
    assert response.status_code == 400
    assert "au plus 2000 caractères" in page and "« x » ne fait pas partie des choix proposés." in page
    assert "Former l'équipe" in page and long_notes.strip() in page
    review.refresh_from_db()
    assert list(review.entries.values_list("key", flat=True)) == ["regles"]  # unchanged


def test_pilot_saves_the_answers(client_of, alice, org_a, review):
    client = client_of(alice)
    url = reverse("exercises:edit", args=[org_a.slug, review.pk])
    data = entries_data(review, **{"sens-notes": "Se joindre plus vite.", "sens-decision": "keep"})
    assert client.post(url, data)["Location"] == review.get_absolute_url()
    assert review.entries.get(key="sens").decision == "keep"


def test_after_review_is_started_from_the_before_one_and_shows_earlier_answers(
    client_of, alice, org_a, review
):
    client = client_of(alice)
    response = client.post(reverse("exercises:after_review", args=[org_a.slug, review.pk]))
    after = Exercise.objects.get(previous=review)
    assert response["Location"] == after.get_absolute_url()
    assert (
        client.post(reverse("exercises:after_review", args=[org_a.slug, review.pk]))["Location"]
        == response["Location"]
    )
    page = " ".join(page_text(client.get(after.get_absolute_url())).split())
    assert "Avant l'adoption :</strong> Ajuster. Pas de mail après 19 h" in page
    # An « after » review is not followed up again.
    assert client.post(reverse("exercises:after_review", args=[org_a.slug, after.pk])).status_code == 404


def test_time_compromise_and_workspace_design_start_with_their_fiche(client_of, alice, org_a):
    client = client_of(alice)
    for path, fiche, step in [
        ("temps-de-travail", "temps-de-travail", "Ce qui est vraiment urgent"),
        ("espaces-de-travail", "espaces-de-travail", "5. Choisir le meilleur compromis"),
    ]:
        url = reverse("exercises:start", args=[org_a.slug, path])
        form_page = client.get(url)
        title = form_page.context["form"]["title"].initial
        response = client.post(url, {"title": title, "submit_key": str(uuid.uuid4())})
        exercise = Exercise.objects.get(title=title)
        assert response["Location"] == exercise.get_absolute_url()
        page = client.get(exercise.get_absolute_url())
        assert reverse("fiches:detail", args=[fiche]) in page.content.decode()
        assert step in page_text(page)


def test_list_page_queries_are_bounded(client_of, alice, org_a, django_assert_max_num_queries):
    for number in range(6):
        actions.start_exercise(org_a, by=alice, kind="time_compromise", title=f"Compromis {number}")
    client = client_of(alice)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exercises:list", args=[org_a.slug])).status_code == 200


def test_detail_page_queries_are_bounded(client_of, alice, org_a, django_assert_max_num_queries):
    exercise, _ = actions.start_exercise(org_a, by=alice, kind="workspace_design", title="Nos locaux")
    actions.save_entries(
        exercise,
        by=alice,
        title=exercise.title,
        entries={s.key: {"notes": "n", "decision": "", "agreed": "a"} for s in exercise.spec.sections},
    )
    client = client_of(alice)
    with django_assert_max_num_queries(14):
        assert client.get(exercise.get_absolute_url()).status_code == 200
