"""The subjects vocabulary (reperes/offers/subjects.yaml): the five request themes, labels,
themes that exist in the questionnaires, and French errors that name the place of a problem."""

import pytest

from reperes.instruments.definition import definition_files
from reperes.lib.content import read_yaml
from reperes.offers import subjects as vocabulary
from reperes.offers.subjects import (
    REQUEST_SUBJECTS,
    SubjectsError,
    parse_subjects,
    subject_label,
    subjects,
    subjects_for_themes,
)

THEMES = {"qvt-numerique": {"temps", "espaces"}, "maturite-numerique": {"securite"}}


def minimal(*extra):
    """A valid file: the five request subjects, plus `extra` entries."""
    return {
        "subjects": [{"code": code, "label": f"Sujet {code}", "themes": []} for code in REQUEST_SUBJECTS]
        + list(extra)
    }


def test_the_shipped_file_has_the_five_request_themes_first_with_their_labels():
    codes = [subject.code for subject in subjects()]
    assert codes[:5] == ["activites", "pratiques", "hybride", "collectif", "charte"]
    assert subject_label("activites") == "Repérer avec l'équipe les activités télétravaillables"
    assert subject_label("charte") == "Rédiger une charte ou un accord"
    assert {"competences-numeriques", "management-distance", "securite-donnees", "emploi-rh"} <= set(codes)


def test_every_theme_a_subject_names_exists_in_a_questionnaire_or_the_maturity_dimensions():
    known = {}
    for path in definition_files():
        data = read_yaml(path)
        known[data["slug"]] = {theme["id"] for theme in data.get("themes", [])}
    for subject in subjects():
        for ref in subject.themes:
            slug, _, theme = ref.partition(":")
            assert theme in known[slug], (subject.code, ref)


def test_every_maturity_dimension_and_readiness_theme_leads_to_a_subject():
    for dimension in vocabulary.known_themes()["maturite-numerique"]:
        assert subjects_for_themes([f"maturite-numerique:{dimension}"]), dimension
    for theme in ("tt-activites", "tt-organisation", "tt-collectif", "tt-cadre", "tt-equipement"):
        assert subjects_for_themes([f"teletravail-preparation:{theme}"]), theme


def test_subjects_for_themes_follows_the_file_order_without_duplicates():
    codes = subjects_for_themes(
        ["maturite-numerique:securite", "qvt-numerique:temps", "qvt-numerique:information"]
    )
    order = [subject.code for subject in subjects()]
    assert codes == sorted(set(codes), key=order.index)
    assert "securite-donnees" in codes and "temps-deconnexion" in codes


def test_unknown_code_and_unknown_theme_give_nothing():
    assert subject_label("n-existe-pas") == ""
    assert subjects_for_themes(["qvt-numerique:inconnu", "n-importe-quoi"]) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "subjects.yaml, racine : le fichier doit contenir une seule clé"),
        ({"subjects": []}, "subjects.yaml, subjects : au moins un sujet"),
        (minimal("pas un dict"), "subjects.yaml, subjects, sujet 6 : un sujet a"),
        (minimal({"code": "Majuscules", "label": "x"}), "sujet 6 : « code » doit être fait de minuscules"),
        (
            minimal({"code": "charte", "label": "Deux fois"}),
            "sujet 6 (« charte ») : code « charte » en double",
        ),
        (
            minimal({"code": "neuf", "label": "  "}),
            "sujet 6 (« neuf ») : « label » doit être un texte non vide",
        ),
        (minimal({"code": "neuf", "label": "Neuf", "couleur": "vert"}), "clé inconnue « couleur »"),
        (
            minimal({"code": "neuf", "label": "Neuf", "themes": "qvt-numerique:temps"}),
            "« themes » doit être une liste",
        ),
        (
            minimal({"code": "neuf", "label": "Neuf", "themes": ["inconnu:temps"]}),
            "sujet 6 (« neuf ») : « inconnu:temps » : aucun questionnaire",
        ),
        (
            minimal({"code": "neuf", "label": "Neuf", "themes": ["qvt-numerique:cuisine"]}),
            "le questionnaire « qvt-numerique » n'a pas de thème « cuisine »",
        ),
        (
            minimal(
                {"code": "neuf", "label": "Neuf", "themes": ["qvt-numerique:temps", "qvt-numerique:temps"]}
            ),
            "un thème est cité deux fois",
        ),
        (
            {"subjects": [{"code": "activites", "label": "Activités"}]},
            "subjects.yaml, subjects : le sujet « pratiques » manque",
        ),
    ],
)
def test_a_malformed_file_is_refused_in_french_naming_the_place(data, message):
    with pytest.raises(SubjectsError) as refused:
        parse_subjects(data, source="subjects.yaml", themes=THEMES)
    assert message in str(refused.value)


def test_a_valid_file_gives_subjects_in_order():
    parsed = parse_subjects(
        minimal({"code": "neuf", "label": "  Un   sujet neuf ", "themes": ["qvt-numerique:temps"]}),
        source="subjects.yaml",
        themes=THEMES,
    )
    assert [s.code for s in parsed][-1] == "neuf"
    assert parsed[-1].label == "Un sujet neuf"
    assert parsed[-1].themes == ("qvt-numerique:temps",)


def test_an_unreadable_file_is_a_french_error(tmp_path, monkeypatch):
    broken = tmp_path / "subjects.yaml"
    broken.write_text("subjects: [\n", encoding="utf-8")
    monkeypatch.setattr(vocabulary, "SUBJECTS_FILE", broken)
    vocabulary.subjects.cache_clear()
    try:
        with pytest.raises(SubjectsError, match="subjects.yaml : YAML illisible"):
            vocabulary.subjects()
    finally:
        monkeypatch.undo()
        vocabulary.subjects.cache_clear()


def test_load_content_checks_the_file(db):
    assert vocabulary.check_subjects() == [("subjects.yaml", len(subjects()), False)]
