"""Collections of fiches (the guide, telework), questions without a statement, step anchors and
legal references shown on the page."""

import json
import re

import pytest
import yaml
from django.template.defaultfilters import date as date_filter
from django.urls import reverse

from reperes.fiches.definition import CONTENT_DIR, SECTION_ANCHORS, FicheError, fiche_files, parse_fiche
from reperes.fiches.loading import load_fiches
from reperes.fiches.models import Collection, Fiche
from reperes.legal.references import get_references
from tests.fiches.factories import create_fiche, minimal_fiche, telework_fiche
from tests.helpers import page_text

TELEWORK_SLUGS = {
    "teletravail-cadre-juridique",
    "teletravail-frais-indemnite",
    "teletravail-accidents",
    "teletravail-acces-pour-toutes",
    "teletravail-charge-de-travail",
    "teletravail-collectif",
    "teletravail-circonstances-exceptionnelles",
    "teletravail-petites-structures",
}


def test_a_fiche_belongs_to_the_guide_unless_told_otherwise():
    assert parse_fiche(minimal_fiche(), source="f.yaml")["collection"] == "guide"
    assert parse_fiche(telework_fiche(), source="f.yaml")["collection"] == "teletravail"


def test_a_telework_question_may_stand_alone_without_a_statement():
    content = parse_fiche(telework_fiche(), source="f.yaml")
    assert content["theme"] == ""
    assert content["questions"] == [
        {"item": "", "text": "Qui peut télétravailler ?"},
        {"item": "tele-2", "text": "Et comment ?"},
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (minimal_fiche(collection="atelier"), "f.yaml, collection : collection inconnue 'atelier'"),
        (minimal_fiche(questions=[{"text": "Sans affirmation ?"}]), "f.yaml, questions, question 1"),
        (
            telework_fiche(questions=[{"item": "tele-1", "text": "a"}, {"item": "tele-1", "text": "b"}]),
            "f.yaml, questions, question 2 : affirmation « tele-1 » en double",
        ),
        (telework_fiche(questions=[{"item": "Pas Valide", "text": "a"}]), "identifiant invalide"),
        (
            telework_fiche(references=["l1222-9", "code-imaginaire"]),
            "f.yaml, references, entrée 2 : référence juridique inconnue « code-imaginaire »",
        ),
        (telework_fiche(references="l1222-9"), "f.yaml, references : doit être une liste"),
        (telework_fiche(references=["l1222-9", "l1222-9"]), "référence « l1222-9 » en double"),
        (
            telework_fiche(steps=[{"title": "a", "text": "b", "anchor": "questions"}]),
            "f.yaml, steps, étape 1 : l'ancre « questions » est réservée à la page",
        ),
        (
            telework_fiche(
                steps=[
                    {"title": "a", "text": "b", "anchor": "frais"},
                    {"title": "c", "text": "d", "anchor": "frais"},
                ]
            ),
            "ancre « frais » en double",
        ),
    ],
)
def test_bad_collections_statements_references_and_anchors_are_refused_in_french(data, message):
    with pytest.raises(FicheError) as error:
        parse_fiche(data, source="f.yaml")
    assert message in str(error.value)


def test_the_guide_still_requires_a_theme():
    data = minimal_fiche()
    data.pop("theme")
    with pytest.raises(FicheError, match="f.yaml, theme : identifiant invalide"):
        parse_fiche(data, source="f.yaml")


@pytest.mark.django_db
def test_a_file_citing_an_unknown_reference_loads_nothing(tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(minimal_fiche(), allow_unicode=True), encoding="utf-8")
    bad = telework_fiche(references=["l9999-1"])
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FicheError, match="^b.yaml, references, entrée 1 : référence juridique inconnue"):
        load_fiches(tmp_path)
    assert not Fiche.objects.exists()


@pytest.mark.django_db
def test_numbers_count_within_a_collection(tmp_path):
    for name, data in [
        ("a.yaml", minimal_fiche()),
        ("b.yaml", telework_fiche(number=1)),
        ("c.yaml", telework_fiche(slug="teletravail-autre", number=2)),
    ]:
        (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_fiches(tmp_path)
    assert [(f.collection, f.number) for f in Fiche.objects.all()] == [
        ("guide", 1),
        ("teletravail", 1),
        ("teletravail", 2),
    ]
    taken = telework_fiche(slug="teletravail-doublon", number=2)
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(taken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FicheError, match="^d.yaml, number : le numéro 2 est déjà pris .* par c.yaml"):
        load_fiches(tmp_path)


@pytest.mark.django_db
def test_every_fiche_file_loads_and_the_eight_telework_fiches_are_numbered_one_to_eight():
    report = load_fiches(CONTENT_DIR)
    assert len(report) == Fiche.objects.count() >= 14
    telework = Fiche.objects.filter(collection=Collection.TELETRAVAIL)
    assert set(telework.values_list("slug", flat=True)) == TELEWORK_SLUGS
    assert sorted(telework.values_list("number", flat=True)) == list(range(1, 9))
    for fiche in telework:
        content = fiche.latest_version().content
        assert content["references"], f"{fiche.slug} ne cite aucun texte"
        assert len(content["questions"]) == 5


@pytest.mark.django_db
def test_list_groups_fiches_by_collection_with_a_heading_each(client, django_assert_num_queries):
    create_fiche()
    create_fiche(telework_fiche(title="Le cadre juridique du télétravail"))
    with django_assert_num_queries(1):
        page = page_text(client.get(reverse("fiches:list")))
    guide = page.index('<h2 id="collection-guide-titre">Qualité de vie au travail et numérique</h2>')
    telework = page.index('<h2 id="collection-teletravail-titre">Télétravail</h2>')
    assert guide < page.index("Fiche 1 — Conduite d'un projet") < telework
    assert telework < page.index("Fiche 1 — Le cadre juridique du télétravail")


@pytest.mark.django_db
def test_telework_page_shows_its_references_with_their_version_date_and_a_notice(client):
    fiche = create_fiche(
        telework_fiche(
            references=["l1222-9", "ani-2020-teletravail"],
            steps=[
                {"title": "Les frais", "text": "Qui paie quoi.", "anchor": "frais"},
                {"title": "b", "text": "c"},
            ],
        )
    )
    page = page_text(client.get(fiche.get_absolute_url()))
    assert "Fiche télétravail 1" in page
    assert "pas un avis juridique" in page and 'id="avertissement"' in page
    section = page[page.index('id="textes-de-reference"') :]
    for ref_id in ["l1222-9", "ani-2020-teletravail"]:
        reference = get_references()[ref_id]
        assert f'<a href="{reference.url}">{reference.label}</a>' in section
        assert f"version du {date_filter(reference.version_date, 'j F Y')}" in section
    assert 'href="#textes-de-reference"' in page
    assert 'id="question-1"' in page and 'id="question-tele-2"' in page
    assert 'id="frais"' in page and 'id="etape-2"' in page
    assert "Une situation imaginée" in page


@pytest.mark.django_db
def test_guide_page_has_no_legal_notice_nor_reference_list(client):
    page = page_text(client.get(create_fiche().get_absolute_url()))
    assert "Fiche 1" in page and "Fiche télétravail" not in page
    assert 'id="avertissement"' not in page and 'id="textes-de-reference"' not in page
    assert "D'après le témoignage recueilli dans le guide" in page


def test_links_between_fiches_point_to_an_existing_fiche_and_anchor():
    contents = {}
    for path in fiche_files(CONTENT_DIR):
        content = parse_fiche(yaml.safe_load(path.read_text(encoding="utf-8")), source=path.name)
        contents[content["slug"]] = content
    anchors = {
        slug: SECTION_ANCHORS
        | {step["anchor"] for step in content["steps"]}
        | {f"question-{q['item'] or n}" for n, q in enumerate(content["questions"], start=1)}
        for slug, content in contents.items()
    }
    links = [
        (slug, target, anchor)
        for slug, content in contents.items()
        for target, anchor in re.findall(r"\]\(\.\./([a-z0-9-]+)/(?:#([a-z0-9-]+))?\)", json.dumps(content))
    ]
    assert links, "aucun lien entre fiches trouvé"
    for slug, target, anchor in links:
        assert target in contents, f"{slug} renvoie vers une fiche inconnue « {target} »"
        assert not anchor or anchor in anchors[target], (
            f"{slug} renvoie vers une ancre inconnue {target}#{anchor}"
        )
