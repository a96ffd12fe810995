"""A team's results read through the QVT frameworks: each determinant (LAB'QVT) and each domain
of the Anact diagram is scored as a theme would be, over the statements tagged with it (or with
one of its factors), from the same answers."""

import pytest
from django.test import Client
from django.urls import reverse

from reperes.instruments.definition import load_scales, parse_definition
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire
from reperes.results.scoring import determinant_scores
from tests.results.test_stored import closed_campaign_with

SCALES = load_scales()


def spec_with(tags_per_item):
    from reperes.instruments.definition import Definition

    raw = {
        "slug": "essai",
        "title": "Essai",
        "scale": "accord-4",
        "scoring": "sum-points",
        "themes": [
            {
                "id": "unique",
                "title": "Un thème",
                "items": [
                    {"id": f"i-{n}", "text": f"Affirmation {n}", **({"determinants": tags} if tags else {})}
                    for n, tags in enumerate(tags_per_item, start=1)
                ],
            }
        ],
    }
    return Definition(parse_definition(raw, source="essai", scales=SCALES))


def test_each_determinant_is_scored_over_its_statements_as_a_theme_would_be():
    spec = spec_with(
        [
            ["labqvt:sante", "anact:autonomie"],  # a factor of the domain « contenu du travail »
            ["labqvt:sante"],
            ["labqvt:management", "anact:contenu-travail"],
            [],
        ]
    )
    # accord-4: tout-a-fait 3, plutot-oui 2, plutot-non 1, pas-du-tout 0 (nsp: 0, not counted
    # as an answer with points but counted in the total, as for themes).
    distribution = {
        "i-1": {"tout-a-fait": 2, "pas-du-tout": 2},  # mean 1.5
        "i-2": {"plutot-oui": 4},  # mean 2
        "i-3": {"plutot-non": 3, "tout-a-fait": 1},  # mean 1.5
        "i-4": {"tout-a-fait": 4},
    }
    blocks = {block["entry_name"]: block for block in determinant_scores(spec, distribution)}
    labqvt = {row["tag"]: row for row in blocks["Déterminant"]["rows"]}
    assert set(labqvt) == {"labqvt:sante", "labqvt:management"}  # untouched ones are left out
    # santé: (1.5 + 2) out of 2 statements × 3 points, on 0–5
    assert labqvt["labqvt:sante"]["score"] == pytest.approx(5 * 3.5 / 6)
    assert labqvt["labqvt:sante"]["statements"] == 2
    assert labqvt["labqvt:management"]["score"] == pytest.approx(5 * 1.5 / 3)
    anact = {row["tag"]: row for row in blocks["Domaine"]["rows"]}
    # The domain gathers the statement tagged with it and the one tagged with its factor.
    assert anact["anact:contenu-travail"]["statements"] == 2
    assert anact["anact:contenu-travail"]["score"] == pytest.approx(5 * (1.5 + 1.5) / 6)


def test_a_questionnaire_without_tags_shows_no_framework():
    spec = spec_with([[], []])
    assert determinant_scores(spec, {"i-1": {"tout-a-fait": 3}}) == []


def test_an_unanswered_determinant_has_no_score():
    spec = spec_with([["labqvt:sante"], ["labqvt:management"]])
    rows = determinant_scores(spec, {"i-1": {"tout-a-fait": 3}})[0]["rows"]
    assert {row["tag"]: row["score"] for row in rows} == {"labqvt:sante": 5.0, "labqvt:management": None}


@pytest.mark.django_db
def test_the_results_page_shows_the_six_determinants(org_a, alice):
    load_definitions(only=["qvt-numerique"])
    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    campaign = closed_campaign_with(org_a, alice, version, 12)
    client = Client()
    client.force_login(alice)
    html = client.get(reverse("results:detail", args=[org_a.slug, campaign.pk])).content.decode()
    assert "La même carte, par déterminant de la qualité de vie au travail" in html
    for determinant in (
        "Relations de travail et climat social",
        "Contenu du travail",
        "Santé au travail",
        "Compétences et parcours professionnels",
        "Égalité professionnelle",
        "Management",
    ):
        assert determinant in html, determinant
