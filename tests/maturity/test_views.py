"""The maturity pages, through the Django test client: pilots answer, members read, everyone
else gets a 404."""

import html

import pytest
from django.urls import reverse

from reperes.fiches.loading import load_fiches
from reperes.maturity import actions
from reperes.maturity.models import Assessment
from reperes.maturity.queries import compare_url, maturity_summary
from tests.maturity.helpers import VALUE_OF, completed, load

pytestmark = pytest.mark.django_db


def text(response):
    """The page's HTML, unescaped, with its whitespace collapsed."""
    return " ".join(html.unescape(response.content.decode()).split())


def home(org):
    return reverse("maturity:home", args=[org.slug])


def post_dimension(client, assessment, number, points=2, nav="next", note=None):
    dimension = assessment.dimensions[number - 1]
    data = {item["id"]: VALUE_OF[points] for item in dimension["items"]}
    data["nav"] = nav
    if note is not None:
        data["note"] = note
    return client.post(
        reverse("maturity:answer", args=[assessment.organisation.slug, assessment.pk, number]), data
    )


def test_a_pilot_answers_end_to_end(client_of, alice, org_a):
    load()
    load_fiches()
    client = client_of(alice)

    page = client.get(home(org_a))
    assert page.status_code == 200
    assert "Ce n'est pas un questionnaire anonyme" in text(page)
    assert "Commencer" in text(page)

    response = client.post(reverse("maturity:start", args=[org_a.slug]), {"mode": "meeting"})
    assessment = Assessment.objects.get(organisation=org_a)
    assert response.status_code == 302
    assert response.url == reverse("maturity:answer", args=[org_a.slug, assessment.pk, 1])

    page = client.get(response.url)
    content = text(page)
    assert "Dimension 1 sur 8" in content and "<legend>" in content and 'type="radio"' in content
    assert "Ce que l'équipe en a dit" in content  # meeting mode: a note per dimension

    for number in range(1, 9):
        response = post_dimension(
            client, assessment, number, points=3 if number % 2 else 1, note="Dit en réunion"
        )
        expected = (
            reverse("maturity:answer", args=[org_a.slug, assessment.pk, number + 1])
            if number < 8
            else reverse("maturity:finish", args=[org_a.slug, assessment.pk])
        )
        assert response.url == expected

    page = client.get(reverse("maturity:finish", args=[org_a.slug, assessment.pk]))
    assert "Terminer et voir les résultats" in text(page)
    response = client.post(reverse("maturity:finish", args=[org_a.slug, assessment.pk]))
    assert response.url == reverse("maturity:results", args=[org_a.slug, assessment.pk])

    assessment.refresh_from_db()
    assert assessment.is_completed and assessment.completed_by == alice
    assert assessment.notes["securite"] == "Dit en réunion"
    page = client.get(response.url)
    content = text(page)
    assert "Niveau d'ensemble : Structurée" in content
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="radar"' in content
    assert "<caption" in content and '<th scope="row">Sécurité</th>' in content
    assert f'href="{reverse("fiches:detail", args=["gestion-information"])}"' in content
    assert "Pour passer au niveau suivant" in content and "Pour rester à ce niveau" in content
    assert "Dit en réunion" in content


def test_previous_keeps_the_answers_and_goes_back(client_of, alice, org_a):
    load()
    client = client_of(alice)
    client.post(reverse("maturity:start", args=[org_a.slug]), {"mode": "pilots"})
    assessment = Assessment.objects.get()

    response = post_dimension(client, assessment, 2, nav="prev")

    assert response.url == reverse("maturity:answer", args=[org_a.slug, assessment.pk, 1])
    assessment.refresh_from_db()
    assert assessment.answered_count == 5
    page = client.get(reverse("maturity:answer", args=[org_a.slug, assessment.pk, 2]))
    assert text(page).count("checked") == 5


def test_a_second_start_resumes_the_draft(client_of, alice, carol, org_a):
    load()
    client_of(alice).post(reverse("maturity:start", args=[org_a.slug]), {"mode": "pilots"})
    assessment = Assessment.objects.get()
    post_dimension(client_of(alice), assessment, 1)

    response = client_of(carol).post(reverse("maturity:start", args=[org_a.slug]), {"mode": "meeting"})

    assert response.url == reverse("maturity:answer", args=[org_a.slug, assessment.pk, 2])
    assert Assessment.objects.count() == 1
    page = client_of(carol).get(home(org_a))
    assert "Reprendre" in text(page)


def test_a_tampered_value_shows_an_error_and_loses_nothing(client_of, alice, org_a):
    load()
    client = client_of(alice)
    client.post(reverse("maturity:start", args=[org_a.slug]), {"mode": "pilots"})
    assessment = Assessment.objects.get()
    post_dimension(client, assessment, 1, points=3)

    response = client.post(
        reverse("maturity:answer", args=[org_a.slug, assessment.pk, 1]),
        {"equipement-1": "parfait", "equipement-2": "pas-encore", "nav": "next"},
    )

    assert response.status_code == 200
    assert "Une réponse n'est pas valide" in text(response)
    assessment.refresh_from_db()
    assert assessment.answers["equipement-1"] == "etabli" and assessment.answers["equipement-2"] == "etabli"


def test_completing_too_early_says_which_dimensions_are_left(client_of, alice, org_a):
    load()
    client = client_of(alice)
    client.post(reverse("maturity:start", args=[org_a.slug]), {"mode": "pilots"})
    assessment = Assessment.objects.get()
    post_dimension(client, assessment, 1)

    response = client.post(reverse("maturity:finish", args=[org_a.slug, assessment.pk]), follow=True)

    content = text(response)
    assert (
        "Il reste des affirmations sans réponse dans" in content
        and "« Sécurité des données et sauvegardes »" in content
    )
    assert Assessment.objects.get().is_draft


def test_an_unknown_dimension_number_is_404(client_of, alice, org_a):
    load()
    client = client_of(alice)
    client.post(reverse("maturity:start", args=[org_a.slug]), {"mode": "pilots"})
    assessment = Assessment.objects.get()

    assert client.get(reverse("maturity:answer", args=[org_a.slug, assessment.pk, 9])).status_code == 404
    assert client.get(reverse("maturity:answer", args=[org_a.slug, assessment.pk, 0])).status_code == 404


def test_a_member_reads_the_results_but_cannot_answer(client_of, alice, bob, org_a):
    done = completed(org_a, alice)
    load()
    client = client_of(bob)

    page = client.get(home(org_a))
    assert page.status_code == 200 and "Commencer" not in text(page)
    assert client.get(reverse("maturity:results", args=[org_a.slug, done.pk])).status_code == 200
    assert client.post(reverse("maturity:start", args=[org_a.slug]), {"mode": "pilots"}).status_code == 404
    assert not Assessment.objects.drafts().exists()

    client_of(alice).post(reverse("maturity:start", args=[org_a.slug]), {"mode": "pilots"})
    draft = Assessment.objects.drafts().get()
    client = client_of(bob)
    assert client.get(reverse("maturity:answer", args=[org_a.slug, draft.pk, 1])).status_code == 404
    assert post_dimension(client, draft, 1).status_code == 404
    assert client.post(reverse("maturity:finish", args=[org_a.slug, draft.pk])).status_code == 404
    assert client.post(reverse("maturity:delete", args=[org_a.slug, draft.pk])).status_code == 404
    assert client.get(reverse("maturity:results", args=[org_a.slug, draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.answers == {}


@pytest.mark.parametrize("persona", ["dave", "fiona", "nina", "hugo"])
def test_anyone_outside_the_organisation_gets_404(client_of, personas, org_a, persona):
    alice = personas["alice"]
    done = completed(org_a, alice)
    client = client_of(personas[persona])

    for url in [
        home(org_a),
        reverse("maturity:results", args=[org_a.slug, done.pk]),
        reverse("maturity:compare", args=[org_a.slug]),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("maturity:start", args=[org_a.slug]), {"mode": "pilots"}).status_code == 404


def test_another_organisations_assessment_is_404_even_for_a_lead(client_of, alice, dave, org_a, org_b):
    theirs = completed(org_b, dave)

    client = client_of(alice)

    assert client.get(reverse("maturity:results", args=[org_a.slug, theirs.pk])).status_code == 404
    assert client.get(reverse("maturity:answer", args=[org_a.slug, theirs.pk, 1])).status_code == 404


def test_answered_twice_the_results_show_the_change(client_of, alice, bob, org_a):
    first = completed(org_a, alice, points=1)
    Assessment.objects.filter(pk=first.pk).update(
        completed_at=first.completed_at.replace(year=first.completed_at.year - 1)
    )
    second = completed(org_a, alice, points=2, per_dimension={"securite": 0})

    content = text(client_of(bob).get(reverse("maturity:results", args=[org_a.slug, second.pk])))

    assert "La fois précédente" in content and "Pointillés" in content
    assert 'stroke-dasharray="8 6"' in content
    assert "+33 points, en progrès" in content
    assert "-33 points, en recul" in content
    assert "Comparer avec un autre autodiagnostic" in content


def test_comparing_any_two_assessments(client_of, alice, bob, org_a):
    first = completed(org_a, alice, points=0)
    Assessment.objects.filter(pk=first.pk).update(
        completed_at=first.completed_at.replace(year=first.completed_at.year - 1)
    )
    first.refresh_from_db()
    second = completed(org_a, alice, points=3)
    client = client_of(bob)

    # In either order, the earlier one is « avant ».
    content = text(client.get(compare_url(org_a, second, first)))

    assert "+100 points, en progrès" in content
    assert "Niveau d'ensemble : « Premiers pas » (0 sur 100), puis « Intégrée » (100 sur 100)." in content
    same = client.get(reverse("maturity:compare", args=[org_a.slug]), {"avant": first.pk, "apres": first.pk})
    assert "Choisissez deux autodiagnostics différents" in text(same)
    foreign = client.get(reverse("maturity:compare", args=[org_a.slug]), {"avant": first.pk, "apres": "x"})
    assert foreign.status_code == 200 and "+100 points" not in text(foreign)


def test_the_summary_for_the_dashboard(alice, org_a, django_assert_max_num_queries):
    assert maturity_summary(org_a)["latest"] is None
    done = completed(org_a, alice, points=3)
    actions.start_assessment(org_a, mode="pilots", by=alice)

    with django_assert_max_num_queries(2):
        summary = maturity_summary(org_a)

    assert summary["latest"]["level_label"] == "Intégrée" and summary["latest"]["score"] == 100.0
    assert summary["latest"]["url"] == reverse("maturity:results", args=[org_a.slug, done.pk])
    assert summary["draft"]["answered"] == 0 and summary["draft"]["total"] == 40
    assert summary["home_url"] == home(org_a)


def test_the_home_page_queries_do_not_grow_with_the_history(
    client_of, alice, org_a, django_assert_max_num_queries
):
    for _ in range(6):
        completed(org_a, alice)
    client = client_of(alice)
    client.get(home(org_a))  # warm the session

    with django_assert_max_num_queries(12):
        page = client.get(home(org_a))

    assert text(page).count("sur 100</td>") == 6


def test_the_results_page_collects_the_maturity_panels(client_of, alice, org_a, monkeypatch):
    done = completed(org_a, alice, points=2, per_dimension={"securite": 0, "sens": 1, "inclusion": 3})
    seen = {}

    def fake_collect(hook, **kwargs):
        seen[hook] = kwargs
        return []

    monkeypatch.setattr("reperes.maturity.views.collect", fake_collect)
    client_of(alice).get(reverse("maturity:results", args=[org_a.slug, done.pk]))

    assert seen["maturity_panel"]["weak_themes"] == [
        "maturite-numerique:securite",
        "maturite-numerique:sens",
        "maturite-numerique:equipement",
    ]
    assert seen["maturity_panel"]["assessment"] == done and seen["maturity_panel"]["heading_level"] == 2
