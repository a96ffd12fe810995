"""The QVT frameworks as a shared vocabulary: the frameworks file, and the tags (`determinants`)
that questionnaire statements carry, checked on load with a French message."""

import copy

import pytest
import yaml

from reperes.instruments.definition import (
    DEFINITIONS_DIR,
    Definition,
    DefinitionError,
    content_hash,
    definition_files,
    parse_definition,
)
from reperes.instruments.frameworks import (
    FRAMEWORKS_FILE,
    known_tags,
    label,
    load_frameworks,
    parse_frameworks,
)

TEAM_QUESTIONNAIRES = ["qvt-numerique", "teletravail-preparation", "teletravail-crise", "droit-deconnexion"]
LABQVT = {
    "labqvt:relations-climat",
    "labqvt:contenu-travail",
    "labqvt:sante",
    "labqvt:competences-parcours",
    "labqvt:egalite-professionnelle",
    "labqvt:management",
}

MINIMAL = {
    "slug": "essai",
    "title": "Questionnaire d'essai",
    "scale": "oui-nsp-non",
    "scoring": "sum-points",
    "themes": [
        {"id": "a", "title": "Thème A", "items": [{"id": "a-1", "text": "Première affirmation."}]},
        {
            "id": "temps",
            "title": "Thème B",
            "items": [
                {"id": "b-1", "text": "Deuxième."},
                {"id": "b-2", "text": "Troisième."},
                {"id": "b-3", "text": "Quatrième.", "determinants": ["labqvt:sante"]},
            ],
        },
    ],
}


def minimal():
    return copy.deepcopy(MINIMAL)


def parse(data):
    return parse_definition(yaml.safe_dump(data, allow_unicode=True), source="essai.yaml")


def framework(code):
    return next(framework for framework in load_frameworks() if framework["code"] == code)


def entry_ids(group):
    return [entry["id"] for entry in group["entries"]]


# the frameworks file


def test_the_frameworks_file_holds_labqvt_and_the_anact_diagram():
    frameworks = load_frameworks()

    assert [framework["code"] for framework in frameworks] == ["labqvt", "anact"]
    assert all(
        framework["title"] and framework["description"] and framework["source"] for framework in frameworks
    )


def test_labqvt_has_its_six_determinants():
    (group,) = framework("labqvt")["groups"]

    assert {entry["tag"] for entry in group["entries"]} == LABQVT
    assert label("labqvt:sante") == "Santé au travail"


def test_the_anact_diagram_has_three_inputs_five_domains_with_their_factors_and_two_effects():
    groups = {group["id"]: group for group in framework("anact")["groups"]}

    assert list(groups) == ["inputs", "domains", "outcomes"]
    assert entry_ids(groups["inputs"]) == ["entree-expression", "entree-conditions", "entree-contenu"]
    factors = {
        entry["id"]: [factor["id"] for factor in entry["factors"]] for entry in groups["domains"]["entries"]
    }
    assert factors == {
        "contenu-travail": ["sens-travail", "information-partagee", "clarte-travail", "autonomie"],
        "parcours": ["realisation-developpement", "egalite-professionnelle"],
        "articulation-temps": ["plannings", "conciliation-vies"],
        "relations": ["relations-travail", "dialogue-social", "temps-echange"],
        "conditions-travail": ["environnement-physique", "organisation-travail"],
    }
    assert entry_ids(groups["outcomes"]) == ["qualite-service", "sante-bien-etre"]


def test_every_entry_and_factor_is_a_namespaced_tag_with_a_label():
    tags = known_tags()

    assert LABQVT <= tags
    assert {
        "anact:entree-expression",
        "anact:contenu-travail",
        "anact:autonomie",
        "anact:sante-bien-etre",
    } <= tags
    assert len(tags) == 6 + 3 + 5 + 13 + 2
    assert all(tag.split(":")[0] in ("labqvt", "anact") for tag in tags)
    assert label("anact:autonomie") == "Autonomie dans le travail"


def test_a_tag_the_file_no_longer_knows_is_shown_as_it_is():
    assert label("anact:disparu") == "anact:disparu"


def test_the_frameworks_file_is_not_a_questionnaire():
    assert FRAMEWORKS_FILE.parent == DEFINITIONS_DIR
    assert FRAMEWORKS_FILE not in definition_files()


def valid_frameworks():
    return {
        "frameworks": [
            {
                "code": "essai",
                "title": "Un référentiel",
                "description": "Pour essayer.",
                "source": "Les tests.",
                "groups": [
                    {
                        "id": "domains",
                        "label": "Domaines",
                        "entries": [
                            {
                                "id": "un",
                                "label": "Un",
                                "description": "Le premier.",
                                "factors": [{"id": "deux", "label": "Deux", "description": "Son facteur."}],
                            }
                        ],
                    }
                ],
            }
        ]
    }


def test_a_valid_frameworks_file_gives_each_entry_and_factor_its_tag():
    (parsed,) = parse_frameworks(valid_frameworks(), source="f.yaml")

    (entry,) = parsed["groups"][0]["entries"]
    assert entry["tag"] == "essai:un"
    assert entry["factors"][0]["tag"] == "essai:deux"


def _duplicate_code(data):
    data["frameworks"].append(copy.deepcopy(data["frameworks"][0]))


def _factor_taking_an_entry_id(data):
    data["frameworks"][0]["groups"][0]["entries"][0]["factors"][0]["id"] = "un"


def _factor_with_factors(data):
    factor = data["frameworks"][0]["groups"][0]["entries"][0]["factors"][0]
    factor["factors"] = [{"id": "trois", "label": "Trois", "description": "Trop loin."}]


def _code_with_a_colon(data):
    data["frameworks"][0]["code"] = "es:sai"


def _entry_without_description(data):
    del data["frameworks"][0]["groups"][0]["entries"][0]["description"]


def _no_frameworks(data):
    data["frameworks"] = []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_no_frameworks, "f.yaml, racine : le fichier doit avoir une liste « frameworks »"),
        (_duplicate_code, "f.yaml, référentiel 2 (« essai ») : code de référentiel « essai » en double"),
        (
            _factor_taking_an_entry_id,
            "f.yaml, référentiel 1 (« essai »), groupe 1 (« domains »), entrée 1 (« un »), "
            "facteur 1 (« un ») : identifiant « un » déjà pris dans le référentiel « essai »",
        ),
        (_factor_with_factors, "facteur 1 (« deux ») : un facteur n'a pas lui-même de facteurs"),
        (_code_with_a_colon, "référentiel 1 : « code » doit être fait de minuscules, chiffres et tirets"),
        (_entry_without_description, "entrée 1 (« un ») : « description » doit être un texte non vide"),
    ],
)
def test_a_malformed_frameworks_file_is_refused_in_french(change, message):
    data = valid_frameworks()
    change(data)

    with pytest.raises(DefinitionError) as caught:
        parse_frameworks(data, source="f.yaml")
    assert message in str(caught.value)


# tags on statements


def statements(slug):
    path = DEFINITIONS_DIR / f"{slug}.yaml"
    return Definition(parse_definition(path.read_text(encoding="utf-8"), source=path.name)).items


@pytest.mark.parametrize("slug", TEAM_QUESTIONNAIRES)
def test_every_statement_of_the_team_questionnaires_names_a_labqvt_determinant(slug):
    items = statements(slug)

    assert [item["id"] for item in items if not LABQVT & set(item.get("determinants", []))] == []
    assert all(set(item["determinants"]) <= known_tags() for item in items)


def test_the_team_questionnaires_together_use_all_six_labqvt_determinants():
    used = {tag for slug in TEAM_QUESTIONNAIRES for item in statements(slug) for tag in item["determinants"]}

    assert used >= LABQVT


def test_a_statement_keeps_its_determinants_in_order():
    data = minimal()
    data["themes"][0]["items"][0]["determinants"] = ["labqvt:management", "anact:temps-echange"]

    definition = parse(data)

    assert definition["themes"][0]["items"][0] == {
        "id": "a-1",
        "text": "Première affirmation.",
        "determinants": ["labqvt:management", "anact:temps-echange"],
    }


@pytest.mark.parametrize(
    ("determinants", "problem"),
    [
        (
            ["labqvt:bonheur"],
            "déterminant inconnu « labqvt:bonheur » (voir reperes/instruments/definitions/frameworks.yaml)",
        ),
        (["sante"], "déterminant inconnu « sante »"),
        (["labqvt:sante", "anact:plannings", "labqvt:sante"], "déterminant « labqvt:sante » en double"),
        ("labqvt:sante", "« determinants » doit être une liste de déterminants (par exemple [labqvt:sante])"),
        ({"labqvt": "sante"}, "« determinants » doit être une liste de déterminants"),
        ([["labqvt:sante"]], "déterminant inconnu « ['labqvt:sante'] »"),
    ],
)
def test_malformed_determinants_are_refused_naming_the_statement(determinants, problem):
    data = minimal()
    data["themes"][1]["items"][2]["determinants"] = determinants

    with pytest.raises(DefinitionError) as caught:
        parse(data)
    assert str(caught.value).startswith(f"essai.yaml, thème 2 (« temps »), affirmation 3 : {problem}")


@pytest.mark.parametrize("empty", [[], None])
def test_a_statement_without_determinants_keeps_the_definition_hash(empty):
    untagged = minimal()
    del untagged["themes"][1]["items"][2]["determinants"]
    with_empty_key = copy.deepcopy(untagged)
    with_empty_key["themes"][0]["items"][0]["determinants"] = empty

    definition = parse(with_empty_key)

    assert "determinants" not in definition["themes"][0]["items"][0]
    assert content_hash(definition) == content_hash(parse(untagged))
    assert content_hash(definition) != content_hash(parse(minimal()))
