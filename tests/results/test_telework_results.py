"""Results of the telework questionnaires: any scale scored 0 to 5, open answers shown from 10
responses in a random order and never per group, and the PDF and spreadsheet exports."""

import io
import subprocess
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from reperes.campaigns import actions
from reperes.campaigns.models import FREE_TEXT_THRESHOLD, Campaign, FreeTextAnswer
from reperes.instruments.definition import DEFINITIONS_DIR, Definition, parse_definition
from reperes.results.scoring import SCORE_MAX, item_result, theme_results
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.helpers import page_text

# scoring with any scale


def make_spec(points, sizes):
    """A definition with one scale of the given points and themes of the given sizes."""
    choices = [{"value": f"v{n}", "label": f"Choix {n}", "points": p} for n, p in enumerate(points)]
    themes = [
        {
            "id": f"t{t}",
            "title": f"Thème {t}",
            "short_title": f"T{t}",
            "fiche": "",
            "interpretation": {},
            "items": [{"id": f"t{t}-{i}", "text": "."} for i in range(size)],
        }
        for t, size in enumerate(sizes)
    ]
    return Definition({"scale": {"code": "essai", "choices": choices}, "themes": themes})


scales = st.lists(st.integers(min_value=0, max_value=4), min_size=2, max_size=6).filter(lambda p: max(p) > 0)


@settings(max_examples=60, deadline=None)
@given(points=scales, sizes=st.lists(st.integers(1, 5), min_size=1, max_size=4), data=st.data())
def test_any_scale_scores_every_theme_from_0_to_5_as_a_share_of_its_most_points(points, sizes, data):
    spec = make_spec(points, sizes)
    values = spec.values
    responses = data.draw(
        st.lists(
            st.fixed_dictionaries({i: st.sampled_from(values) for i in spec.item_ids}), min_size=1, max_size=8
        )
    )
    distribution = {i: Counter(r[i] for r in responses) for i in spec.item_ids}

    for theme in theme_results(spec, distribution):
        assert theme.maximum == SCORE_MAX
        assert 0 <= theme.score <= SCORE_MAX
        got = sum(spec.points[r[i["id"]]] for r in responses for i in theme.theme["items"])
        most = len(responses) * len(theme.theme["items"]) * max(points)
        assert theme.score == pytest.approx(SCORE_MAX * got / most)
        for item in theme.items:
            assert 0 <= item.weakness <= 1
            if set(points) <= {0, max(points)}:  # yes/no scales: the share of answers below the top
                below = sum(n for v, n in item.counts.items() if spec.points[v] < max(points))
                assert item.weakness == pytest.approx(below / item.total)


def test_the_guide_scale_still_gives_one_point_per_yes():
    spec = questionnaire_version_spec("qvt-numerique")
    theme = spec.themes[0]
    answers = {item["id"]: Counter({"oui": 3, "non": 1}) for item in theme["items"]}

    assert theme_results(spec, answers)[0].score == 3.75


def test_a_graded_answer_counts_for_part_of_a_point_and_is_labelled():
    spec = questionnaire_version_spec("teletravail-preparation")
    item = spec.items[0]

    result = item_result(spec, item, "tt-activites", {"tout-a-fait": 1, "plutot-non": 1, "nsp": 2})

    assert result.points == 1.0  # (3 + 1 + 0 + 0) / 4
    assert result.weakness == pytest.approx(2 / 3)
    assert [(e["label"], e["share"], e["tone"]) for e in result.legend] == [
        ("Tout à fait d'accord", 25, 4),
        ("Plutôt d'accord", 0, 3),
        ("Plutôt pas d'accord", 25, 2),
        ("Pas du tout d'accord", 0, 1),
        ("Je ne sais pas / ne s'applique pas", 50, "neutral"),
    ]


def questionnaire_version_spec(slug):
    path = DEFINITIONS_DIR / f"{slug}.yaml"
    return Definition(parse_definition(path.read_text(encoding="utf-8"), source=path.name))


# open answers on the results page


def submit(campaign, group, value="plutot-oui", texts=None):
    draft, _ = actions.start_draft(campaign)
    actions.choose_group(draft, group)
    actions.save_answers(draft, {**dict.fromkeys(campaign.spec.item_ids, value), **(texts or {})})
    actions.submit(draft)


def close(campaign):
    actions.forget_after_close(campaign)
    Campaign.objects.filter(pk=campaign.pk).update(
        state=Campaign.State.CLOSED, closed_on=timezone.localdate()
    )
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def crisis(org_a):
    return CampaignFactory(
        organisation=org_a,
        questionnaire_version=questionnaire_version("teletravail-crise"),
        groups=["Direction", "Salarié·es"],
    )


def results_page(client, campaign):
    return page_text(client.get(reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])))


@pytest.mark.django_db
def test_open_answers_wait_for_10_responses_even_when_results_show(client, bob, crisis):
    assert FREE_TEXT_THRESHOLD == 10
    for n in range(9):
        submit(crisis, None, texts={"crise-pistes": f"Piste numéro {n}"})
    close(crisis)
    client.force_login(bob)

    page = results_page(client, crisis)

    assert "La carte de l'équipe" in page  # 9 ≥ k: the figures are shown
    assert "Les réponses écrites s'affichent à partir de 10 réponses au diagnostic (9 pour celui-ci)" in page
    assert "Piste numéro" not in page


@pytest.mark.django_db
def test_from_10_responses_open_answers_show_in_a_random_order_not_the_arrival_order(client, bob, crisis):
    written = [f"Piste numéro {n:02d}" for n in range(12)]
    for text in written:
        submit(crisis, None, texts={"crise-pistes": text, "crise-fonctionne": ""})
    close(crisis)
    client.force_login(bob)

    page = results_page(client, crisis)

    shown = sorted(written, key=page.index)
    assert shown != written
    assert shown == list(FreeTextAnswer.objects.order_by("id").values_list("text", flat=True))
    assert "Tirer les enseignements" in page
    assert page.count("Rien d'écrit.") == 2  # the two other questions


@pytest.mark.django_db
def test_open_answers_are_never_split_by_group_nor_exported(client, bob, crisis):
    direction, staff = crisis.groups.all()
    for n in range(5):
        submit(crisis, direction, "tout-a-fait", texts={"crise-fonctionne": f"Avis direction {n}"})
    for n in range(6):
        submit(crisis, staff, "pas-du-tout", texts={"crise-fonctionne": f"Avis équipe {n}"})
    close(crisis)
    client.force_login(bob)

    page = results_page(client, crisis)

    assert "Direction (5)" in page and "Salarié·es (6)" in page  # groups are shown…
    for n in range(5):
        assert page.count(f"Avis direction {n}") == 1  # …but each text once, in the team's list only
    section = page[page.index('id="expression"') : page.index('id="colleges"')]
    assert "Direction" not in section and "Salarié·es" not in section
    for fmt in ("xlsx", "csv"):
        export = client.get(
            reverse("reports:results_export", args=[crisis.organisation.slug, crisis.pk, fmt])
        )
        assert export.status_code == 200
        assert b"Avis" not in export.content
        if fmt == "xlsx":
            cells = [c for row in load_workbook(io.BytesIO(export.content)).active.values for c in row]
            assert not any(isinstance(c, str) and "Avis" in c for c in cells)


@pytest.mark.django_db
def test_the_shared_results_link_shows_open_answers_too(client, crisis):
    for n in range(10):
        submit(crisis, None, texts={"crise-pistes": f"Idée {n}"})
    close(crisis)
    actions.share_results(crisis, by=None)

    page = page_text(client.get(reverse("results:shared", args=[crisis.results_token])))

    assert all(f"Idée {n}" in page for n in range(10))


# a telework questionnaire through the results page, the PDF report and the exports


@pytest.fixture
def readiness(org_a):
    campaign = CampaignFactory(
        organisation=org_a, questionnaire_version=questionnaire_version("teletravail-preparation"), groups=[]
    )
    for _ in range(6):
        submit(campaign, None, "plutot-oui")
    return close(campaign)


@pytest.mark.django_db
def test_readiness_results_page_scores_on_0_to_5_with_the_scale_labels(client, bob, readiness):
    client.force_login(bob)
    page = results_page(client, readiness)

    assert "<caption>Score moyen par thème (0 à 5)</caption>" in page
    assert "3,3" in page  # « Plutôt d'accord » everywhere: 2 of 3 points, 3.3 out of 5
    assert "100 %</span>" in page and "Plutôt d'accord" in page
    assert "Garder le lien et la cohésion" in page
    assert reverse("fiches:detail", args=["teletravail-collectif"]) in page
    theme = client.get(
        reverse("results:theme", args=[readiness.organisation.slug, readiness.pk, "tt-collectif"])
    )
    assert theme.status_code == 200


@pytest.mark.django_db
def test_readiness_pdf_report_renders_with_the_scale(client, bob, readiness, tmp_path):
    client.force_login(bob)
    response = client.post(reverse("reports:report_pdf", args=[readiness.organisation.slug, readiness.pk]))

    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Écrire les règles : charte ou accord" in text
    assert "Plutôt d'accord" in text


@pytest.mark.django_db
def test_readiness_exports_hold_one_row_per_statement(client, bob, readiness):
    client.force_login(bob)
    xlsx = client.get(
        reverse("reports:results_export", args=[readiness.organisation.slug, readiness.pk, "xlsx"])
    )
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)

    assert rows[0][3:] == (
        "Tout à fait d'accord (%)",
        "Plutôt d'accord (%)",
        "Plutôt pas d'accord (%)",
        "Pas du tout d'accord (%)",
        "Je ne sais pas / ne s'applique pas (%)",
        "Réponses",
    )
    assert len(rows) == 1 + len(readiness.spec.item_ids) + 1 + 4  # then where responses came from
    assert rows[1][1] == pytest.approx(3.33, abs=0.01)
    assert rows[1][3:] == (0, 100, 0, 0, 0, 6)


@pytest.mark.django_db
def test_crisis_pdf_report_holds_the_open_answers_from_10_responses(client, bob, crisis, tmp_path):
    for n in range(10):
        submit(crisis, None, texts={"crise-pistes": f"Piste {n}"})
    close(crisis)
    client.force_login(bob)
    response = client.post(reverse("reports:report_pdf", args=[crisis.organisation.slug, crisis.pk]))
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(response.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )

    assert "Tirer les enseignements" in text
    assert all(f"Piste {n}" in text for n in range(10))


@pytest.mark.django_db
def test_disconnection_collective_campaign_shows_results_at_once(client, alice, org_a):
    campaign = CampaignFactory(
        organisation=org_a,
        mode=Campaign.Mode.COLLECTIVE,
        groups=[],
        questionnaire_version=questionnaire_version("droit-deconnexion"),
    )
    client.force_login(alice)
    for number, theme in enumerate(campaign.spec.themes, start=1):
        data = {f"{item['id']}__souvent": 2 for item in theme["items"]}
        response = client.post(reverse("campaigns:collective", args=[org_a.slug, campaign.pk, number]), data)

    assert response["Location"] == reverse("results:detail", args=[org_a.slug, campaign.pk])
    page = results_page(client, campaign)
    assert "Repérer l'hyperconnexion" in page
    assert "3,3" in page
