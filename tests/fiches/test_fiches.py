import pytest
import yaml
from django.urls import reverse

from reperes.fiches.definition import CONTENT_DIR, FicheError, fiche_files, parse_fiche
from reperes.fiches.loading import load_fiches
from reperes.fiches.models import Fiche
from reperes.instruments.definition import DEFINITIONS_DIR, parse_definition
from reperes.lib.markdown import render_markdown
from tests.fiches.factories import create_fiche, minimal_fiche
from tests.helpers import page_text


def test_a_complete_fiche_parses():
    content = parse_fiche(minimal_fiche(), source="f.yaml")
    assert content["questions"][0] == {"item": "projet-1", "text": "Question 1 ?"}
    assert content["reading"][0]["publisher"] == "Anact"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"questions": []}, "questions : au moins une question est nécessaire"),
        ({"questions": [{"item": "projet-1", "text": "a"}, {"item": "projet-1", "text": "b"}]}, "en double"),
        ({"context": ""}, "« context » doit être un texte non vide"),
        ({"number": "un"}, "numéro de fiche invalide"),
        ({"slug": "Pas Valide"}, "identifiant invalide"),
        ({"reading": [{"title": "x", "url": "javascript:alert(1)"}]}, "l'adresse doit commencer par http"),
        ({"steps": ["juste un texte"]}, "steps, étape 1"),
    ],
)
def test_malformed_fiches_are_refused_with_the_file_and_the_place(change, message):
    with pytest.raises(FicheError) as error:
        parse_fiche(minimal_fiche(**change), source="ma-fiche.yaml")
    assert str(error.value).startswith("ma-fiche.yaml")
    assert message in str(error.value)


@pytest.mark.django_db
def test_loading_is_versioned_and_all_or_nothing(tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(minimal_fiche(), allow_unicode=True), encoding="utf-8")
    assert load_fiches(tmp_path) == [("conduite-projet", 1, True)]
    assert load_fiches(tmp_path) == [("conduite-projet", 1, False)]
    changed = minimal_fiche(summary="Un autre résumé.")
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("slug: [", encoding="utf-8")
    with pytest.raises(FicheError, match="^b.yaml"):
        load_fiches(tmp_path)
    assert Fiche.objects.get().versions.count() == 1  # nothing half-loaded
    (tmp_path / "b.yaml").unlink()
    assert load_fiches(tmp_path) == [("conduite-projet", 2, True)]


def test_markdown_goes_through_an_allow_list():
    html = render_markdown(
        "**gras** <script>alert(1)</script> [lien](javascript:alert(1)) [bon](https://anact.fr) "
        '<img src=x onerror="alert(1)">'
    )
    assert "<strong>gras</strong>" in html
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert 'href="https://anact.fr"' in html and 'rel="noopener noreferrer"' in html


def test_every_content_file_matches_its_questionnaire_theme():
    questionnaire = parse_definition((DEFINITIONS_DIR / "qvt-numerique.yaml").read_text(), source="qvt")
    themes = {theme["id"]: theme for theme in questionnaire["themes"]}
    guide = {}
    for path in fiche_files(CONTENT_DIR):
        content = parse_fiche(yaml.safe_load(path.read_text(encoding="utf-8")), source=path.name)
        if content["collection"] == "guide":
            guide[path] = content
    assert {theme["fiche"] for theme in themes.values()} == {path.stem for path in guide}
    for path, content in guide.items():
        theme = themes[content["theme"]]
        assert theme["fiche"] == content["slug"] == path.stem
        assert [q["item"] for q in content["questions"]] == [item["id"] for item in theme["items"]]


@pytest.mark.django_db
def test_fiche_page_has_anchors_for_each_question(client):
    fiche = create_fiche()
    page = page_text(client.get(fiche.get_absolute_url()))
    assert 'id="question-projet-3"' in page
    assert "<strong>contexte</strong>" in page
    assert 'id="opportunites-risques"' in page and "Une coopérative" in page


@pytest.mark.django_db
def test_unknown_fiche_is_a_404(client):
    assert client.get(reverse("fiches:detail", args=["inconnue"])).status_code == 404


@pytest.mark.django_db
def test_fiche_list(client):
    create_fiche()
    assert "Fiche 1 — Conduite d'un projet de transformation" in page_text(client.get(reverse("fiches:list")))
