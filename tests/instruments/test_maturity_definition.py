"""Self-diagnostics of the organisation (use: organisation): levels and next steps, validated on
load, refused with a French message naming the file and the place."""

import copy

import pytest
import yaml

from reperes.instruments.definition import (
    DEFINITIONS_DIR,
    Definition,
    DefinitionError,
    parse_definition,
    shipped_fiche_slugs,
)
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire, Use

MATURITY_FILE = DEFINITIONS_DIR / "maturite-numerique.yaml"
DIMENSIONS = [
    "equipement",
    "communication",
    "collaboration",
    "securite",
    "distance",
    "competences",
    "sens",
    "inclusion",
]


def steps(*level_ids, fiches=("conduite-projet",)):
    return {
        level_id: {"text": f"Ce que demande la suite de {level_id}.", "fiches": list(fiches)}
        for level_id in level_ids
    }


MINIMAL = {
    "slug": "essai-structure",
    "use": "organisation",
    "title": "Autodiagnostic d'essai",
    "scale": "maturite-4",
    "scoring": "sum-points",
    "levels": [
        {"id": "bas", "label": "Bas", "description": "Peu.", "min": 0, "max": 49},
        {"id": "haut", "label": "Haut", "description": "Beaucoup.", "min": 50, "max": 100},
    ],
    "themes": [
        {
            "id": "a",
            "title": "Thème A",
            "items": [{"id": "a-1", "text": "La structure fait ceci."}],
            "next_steps": steps("bas", "haut"),
        },
        {
            "id": "b",
            "title": "Thème B",
            "items": [{"id": "b-1", "text": "La structure fait cela."}],
            "next_steps": steps("bas", "haut"),
        },
    ],
}


def minimal():
    return copy.deepcopy(MINIMAL)


def refusal(data):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(yaml.safe_dump(data, allow_unicode=True), source="essai.yaml")
    return str(caught.value)


# the real file


def test_the_maturity_file_has_eight_fixed_dimensions_of_four_to_six_statements():
    definition = parse_definition(MATURITY_FILE.read_text(encoding="utf-8"), source=MATURITY_FILE.name)
    spec = Definition(definition)

    assert definition["slug"] == "maturite-numerique"
    assert spec.use == "organisation"
    assert [theme["id"] for theme in spec.themes] == DIMENSIONS
    assert all(4 <= len(theme["items"]) <= 6 for theme in spec.themes)
    assert spec.points == {"etabli": 3, "en-bonne-partie": 2, "quelques-initiatives": 1, "pas-encore": 0}
    assert not any(choice.get("neutral") for choice in spec.scale["choices"])


def test_the_maturity_levels_cover_0_to_100_in_four_bands_and_each_has_next_steps():
    spec = Definition(parse_definition(MATURITY_FILE.read_text(encoding="utf-8"), source=MATURITY_FILE.name))

    assert [(level["min"], level["max"]) for level in spec.levels] == [(0, 25), (26, 50), (51, 75), (76, 100)]
    assert all(level["label"] and level["description"] for level in spec.levels)
    fiches = shipped_fiche_slugs()
    for theme in spec.themes:
        assert list(theme["next_steps"]) == [level["id"] for level in spec.levels]
        for step in theme["next_steps"].values():
            assert step["text"] and step["fiches"] and set(step["fiches"]) <= fiches


def test_a_team_questionnaire_is_stored_as_before_without_levels():
    path = DEFINITIONS_DIR / "qvt-numerique.yaml"
    definition = parse_definition(path.read_text(encoding="utf-8"), source=path.name)

    assert "levels" not in definition and "use" not in definition
    assert all("next_steps" not in theme for theme in definition["themes"])


@pytest.mark.django_db
def test_loading_stores_the_maturity_questionnaire_with_the_organisation_use():
    load_definitions()

    questionnaire = Questionnaire.objects.get(slug="maturite-numerique")
    assert questionnaire.use == Use.ORGANISATION
    assert questionnaire.get_use_display() == "Autodiagnostic de la structure"
    assert questionnaire.latest_version().spec.levels[0]["id"] == "premiers-pas"


def test_a_minimal_self_diagnostic_is_normalised():
    definition = parse_definition(yaml.safe_dump(minimal()), source="essai.yaml")

    assert definition["use"] == "organisation"
    assert definition["levels"][1] == {
        "id": "haut",
        "label": "Haut",
        "description": "Beaucoup.",
        "min": 50,
        "max": 100,
    }
    assert definition["themes"][0]["next_steps"]["bas"]["fiches"] == ["conduite-projet"]


# malformed files


def test_missing_levels_are_refused():
    data = minimal()
    del data["levels"]

    assert refusal(data) == (
        "essai.yaml, levels : un autodiagnostic de structure a au moins deux niveaux "
        "(id, label, description, min, max)"
    )


def test_overlapping_thresholds_are_refused():
    data = minimal()
    data["levels"][1]["min"] = 40

    assert refusal(data) == (
        "essai.yaml, levels, niveau 2 : ce niveau (40–100) chevauche le niveau « bas » (0–49)"
    )


def test_a_gap_between_levels_is_refused():
    data = minimal()
    data["levels"][1]["min"] = 60

    assert refusal(data) == "essai.yaml, levels, niveau 2 : aucun niveau ne couvre les scores de 50 à 59"


def test_levels_must_start_at_0_and_end_at_100():
    data = minimal()
    data["levels"][0]["min"] = 10
    assert refusal(data) == "essai.yaml, levels, niveau 1 : le premier niveau commence à 0 (reçu : 10)"

    data = minimal()
    data["levels"][1]["max"] = 90
    assert refusal(data) == "essai.yaml, levels, niveau 2 : le dernier niveau va jusqu'à 100 (reçu : 90)"


@pytest.mark.parametrize("bound", [-1, 101, "50", 12.5, True, None])
def test_a_bad_threshold_is_refused(bound):
    data = minimal()
    data["levels"][1]["max"] = bound

    assert refusal(data) == (
        f"essai.yaml, levels, niveau 2 : « max » doit être un nombre entier de 0 à 100 (reçu : {bound!r})"
    )


def test_a_level_whose_min_is_above_its_max_is_refused():
    data = minimal()
    data["levels"][1].update(min=70, max=65)

    assert refusal(data) == "essai.yaml, levels, niveau 2 : « min » (70) dépasse « max » (65)"


def test_a_duplicate_level_id_is_refused():
    data = minimal()
    data["levels"][1]["id"] = "bas"

    assert refusal(data) == "essai.yaml, levels, niveau 2 : identifiant de niveau « bas » en double"


def test_a_level_without_label_is_refused():
    data = minimal()
    del data["levels"][0]["label"]

    assert refusal(data) == "essai.yaml, levels, niveau 1 : « label » doit être un texte non vide"


def test_a_level_without_next_steps_is_refused():
    data = minimal()
    del data["themes"][1]["next_steps"]["haut"]

    assert refusal(data) == (
        "essai.yaml, thème 2 (« b »), next_steps, niveau « haut » : ce niveau n'a pas de prochaine étape "
        "(text, fiches)"
    )


def test_a_theme_without_next_steps_is_refused():
    data = minimal()
    del data["themes"][0]["next_steps"]

    assert refusal(data) == (
        "essai.yaml, thème 1 (« a »), next_steps : chaque thème dit, pour chaque niveau (bas, haut), "
        "ce que demanderait le suivant"
    )


def test_next_steps_for_an_unknown_level_are_refused():
    data = minimal()
    data["themes"][0]["next_steps"]["moyen"] = {"text": "Un peu plus."}

    assert refusal(data) == (
        "essai.yaml, thème 1 (« a »), next_steps : niveau inconnu « moyen » (niveaux : bas, haut)"
    )


def test_a_next_step_without_text_is_refused():
    data = minimal()
    data["themes"][0]["next_steps"]["bas"]["text"] = " "

    assert refusal(data) == (
        "essai.yaml, thème 1 (« a »), next_steps, niveau « bas » : « text » doit être un texte non vide"
    )


def test_an_unknown_fiche_is_refused():
    data = minimal()
    data["themes"][1]["next_steps"]["haut"]["fiches"] = ["conduite-projet", "fiche-inexistante"]

    assert refusal(data) == (
        "essai.yaml, thème 2 (« b »), next_steps, niveau « haut », fiche 2 : aucune fiche de "
        "reperes/fiches/content/ ne s'appelle « fiche-inexistante »"
    )


def test_fiches_must_be_a_list():
    data = minimal()
    data["themes"][1]["next_steps"]["haut"]["fiches"] = "conduite-projet"

    assert refusal(data) == (
        "essai.yaml, thème 2 (« b »), next_steps, niveau « haut » : « fiches » doit être une liste de "
        "slugs de fiches"
    )


def test_levels_are_refused_in_a_team_questionnaire():
    data = minimal()
    data["use"] = "team"
    for theme in data["themes"]:
        del theme["next_steps"]

    assert refusal(data) == (
        "essai.yaml, levels : les niveaux sont réservés aux autodiagnostics de structure "
        "(« use: organisation »)"
    )


def test_next_steps_are_refused_in_a_workshop_questionnaire():
    data = minimal()
    data["use"] = "workshop"
    del data["levels"]

    assert refusal(data) == (
        "essai.yaml, thème 1 (« a ») : « next_steps » est réservé aux autodiagnostics de structure "
        "(« use: organisation »)"
    )


def test_a_malformed_maturity_file_fails_the_whole_loading(tmp_path):
    (tmp_path / "scales.yaml").write_text((DEFINITIONS_DIR / "scales.yaml").read_text(encoding="utf-8"))
    data = yaml.safe_load(MATURITY_FILE.read_text(encoding="utf-8"))
    data["levels"][2]["min"] = 45
    (tmp_path / "maturite-numerique.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))

    with pytest.raises(DefinitionError) as caught:
        load_definitions(tmp_path)

    assert str(caught.value) == (
        "maturite-numerique.yaml, levels, niveau 3 : ce niveau (45–75) chevauche le niveau "
        "« en-construction » (26–50)"
    )
