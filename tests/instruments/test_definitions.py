"""Questionnaire files: validated on load, refused with a French message, stored as versions."""

import copy
import functools
import shutil

import pytest
import yaml
from django.core.management import CommandError, call_command

from reperes.instruments import loading
from reperes.instruments.definition import (
    DEFINITIONS_DIR,
    SCALES_FILE,
    Definition,
    DefinitionError,
    content_hash,
    definition_files,
    load_scales,
    parse_definition,
)
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire, QuestionnaireVersion

QVT_FILE = DEFINITIONS_DIR / "qvt-numerique.yaml"

MINIMAL = {
    "slug": "essai",
    "title": "Questionnaire d'essai",
    "scale": "oui-nsp-non",
    "scoring": "sum-points",
    "themes": [
        {
            "id": "a",
            "title": "Thème A",
            "items": [{"id": "a-1", "text": "Première affirmation."}, {"id": "a-2", "text": "Deuxième."}],
        },
        {
            "id": "b",
            "title": "Thème B",
            "items": [{"id": "b-1", "text": "Troisième affirmation."}],
        },
    ],
}


def minimal():
    return copy.deepcopy(MINIMAL)


def as_yaml(data):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def refusal(data_or_text, source="essai.yaml"):
    """The message of the DefinitionError raised on parsing."""
    text = data_or_text if isinstance(data_or_text, str) else as_yaml(data_or_text)
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, source=source)
    return str(caught.value)


# the real files


def test_the_real_questionnaire_parses_into_six_themes_of_five_statements():
    definition = parse_definition(QVT_FILE.read_text(encoding="utf-8"), source=QVT_FILE.name)
    spec = Definition(definition)

    assert definition["slug"] == "qvt-numerique"
    assert [len(theme["items"]) for theme in spec.themes] == [5] * 6
    assert len(set(spec.item_ids)) == 30
    assert spec.points == {"oui": 1, "nsp": 0, "non": 0}
    assert all(theme["interpretation"][level] for theme in spec.themes for level in ("low", "medium", "high"))


def test_the_real_scales_parse():
    scales = load_scales()

    assert [choice["value"] for choice in scales["oui-nsp-non"]["choices"]] == ["oui", "nsp", "non"]


def test_every_definition_file_parses_and_scales_are_not_a_questionnaire():
    files = definition_files()

    assert QVT_FILE in files
    assert SCALES_FILE not in files
    for path in files:
        parse_definition(path.read_text(encoding="utf-8"), source=path.name)


def test_a_valid_file_is_normalised():
    data = minimal()
    data["themes"][0]["items"][0]["text"] = "  Une   affirmation\n sur deux lignes. "

    definition = parse_definition(as_yaml(data), source="essai.yaml")

    assert definition["themes"][0]["items"][0]["text"] == "Une affirmation sur deux lignes."
    assert definition["themes"][0]["short_title"] == "Thème A"
    assert definition["scale"]["code"] == "oui-nsp-non"
    assert definition["duration_minutes"] == 5


# malformed files


def test_a_duplicate_statement_id_is_refused():
    data = minimal()
    data["themes"][1]["items"][0]["id"] = "a-1"

    assert refusal(data) == (
        "essai.yaml, thème 2 (« b »), affirmation 1 : identifiant d'affirmation « a-1 » en double"
    )


def test_a_duplicate_theme_id_is_refused():
    data = minimal()
    data["themes"][1]["id"] = "a"

    assert refusal(data) == "essai.yaml, thème 2 (« a ») : identifiant de thème « a » en double"


@pytest.mark.parametrize("items", [[], None])
def test_a_theme_without_statements_is_refused(items):
    data = minimal()
    data["themes"][1]["items"] = items

    assert refusal(data) == "essai.yaml, thème 2 (« b ») : ce thème n'a aucune affirmation"


def test_an_unknown_scale_is_refused():
    data = minimal()
    data["scale"] = "likert-5"

    assert refusal(data) == (
        "essai.yaml, scale : échelle inconnue « likert-5 » "
        "(connues : accord-4, frequence-4, maturite-4, oui-nsp-non)"
    )


def test_an_unknown_scoring_rule_is_refused():
    data = minimal()
    data["scoring"] = "moyenne"

    assert refusal(data) == (
        "essai.yaml, scoring : règle de calcul inconnue « moyenne » (connues : sum-points)"
    )


def test_unreadable_yaml_is_refused():
    message = refusal("slug: essai\nthemes: [\n  - id: a\n", source="cassé.yaml")

    assert message.startswith("cassé.yaml : YAML illisible (")


@pytest.mark.parametrize("text", [None, "", "   ", 12])
def test_a_statement_without_text_is_refused(text):
    data = minimal()
    if text is None:
        del data["themes"][0]["items"][1]["text"]
    else:
        data["themes"][0]["items"][1]["text"] = text

    assert (
        refusal(data) == "essai.yaml, thème 1 (« a »), affirmation 2 : « text » doit être un texte non vide"
    )


def test_a_file_that_is_not_a_questionnaire_is_refused():
    assert refusal("- une\n- liste\n") == "essai.yaml, racine : le fichier doit décrire un questionnaire"


def test_an_identifier_with_capitals_or_spaces_is_refused():
    data = minimal()
    data["themes"][0]["items"][0]["id"] = "A 1"

    assert refusal(data) == (
        "essai.yaml, thème 1 (« a »), affirmation 1 : "
        "« id » doit être fait de minuscules, chiffres et tirets (reçu : 'A 1')"
    )


# loading into versions


@pytest.fixture
def content_dir(tmp_path):
    shutil.copy(SCALES_FILE, tmp_path / "scales.yaml")
    return tmp_path


def write(directory, name, data):
    (directory / name).write_text(as_yaml(data), encoding="utf-8")


@pytest.mark.django_db
def test_the_first_load_creates_version_1(content_dir):
    write(content_dir, "essai.yaml", minimal())

    report = load_definitions(content_dir)

    assert report == [("essai", 1, True)]
    version = QuestionnaireVersion.objects.get()
    assert version.questionnaire.slug == "essai"
    assert version.questionnaire.title == "Questionnaire d'essai"
    assert version.source == "essai.yaml"
    assert version.definition == parse_definition(as_yaml(minimal()), source="essai.yaml")
    assert version.content_hash == content_hash(version.definition)


@pytest.mark.django_db
def test_reloading_an_unchanged_file_creates_nothing(content_dir):
    write(content_dir, "essai.yaml", minimal())
    load_definitions(content_dir)

    report = load_definitions(content_dir)

    assert report == [("essai", 1, False)]
    assert QuestionnaireVersion.objects.count() == 1


@pytest.mark.django_db
def test_rewording_a_statement_creates_version_2_and_keeps_version_1(content_dir):
    write(content_dir, "essai.yaml", minimal())
    load_definitions(content_dir)
    first = QuestionnaireVersion.objects.get()
    original_definition, original_hash = copy.deepcopy(first.definition), first.content_hash
    data = minimal()
    data["themes"][0]["items"][0]["text"] = "Première affirmation, reformulée."
    write(content_dir, "essai.yaml", data)

    report = load_definitions(content_dir)

    assert report == [("essai", 2, True)]
    first.refresh_from_db()
    assert first.definition == original_definition
    assert first.content_hash == original_hash
    second = Questionnaire.objects.get(slug="essai").latest_version()
    assert second.number == 2
    assert second.content_hash != first.content_hash
    assert second.spec.items[0]["text"] == "Première affirmation, reformulée."


@pytest.mark.django_db
def test_reverting_a_file_makes_its_text_current_again(content_dir):
    write(content_dir, "essai.yaml", minimal())
    load_definitions(content_dir)
    data = minimal()
    data["themes"][0]["items"][0]["text"] = "Première affirmation, reformulée."
    write(content_dir, "essai.yaml", data)
    load_definitions(content_dir)
    write(content_dir, "essai.yaml", minimal())

    load_definitions(content_dir)

    # New campaigns take the latest version: it must be the text now in the file.
    latest = Questionnaire.objects.get(slug="essai").latest_version()
    assert latest.spec.items[0]["text"] == "Première affirmation."


@pytest.mark.django_db
def test_one_bad_file_loads_nothing_and_is_named(content_dir):
    write(content_dir, "a-bon.yaml", minimal())
    bad = minimal()
    bad["slug"] = "mauvais"
    bad["themes"][1]["items"] = []
    write(content_dir, "b-mauvais.yaml", bad)

    with pytest.raises(DefinitionError, match=r"^b-mauvais\.yaml, thème 2 \(« b »\) : ce thème n'a aucune"):
        load_definitions(content_dir)

    assert not Questionnaire.objects.exists()
    assert not QuestionnaireVersion.objects.exists()


@pytest.mark.django_db
def test_one_bad_file_keeps_the_other_files_changes_out(content_dir):
    write(content_dir, "a-bon.yaml", minimal())
    load_definitions(content_dir)
    data = minimal()
    data["title"] = "Nouveau titre"
    data["themes"][0]["items"][0]["text"] = "Reformulée."
    write(content_dir, "a-bon.yaml", data)
    (content_dir / "b-mauvais.yaml").write_text("slug: [", encoding="utf-8")

    with pytest.raises(DefinitionError, match=r"^b-mauvais\.yaml : YAML illisible"):
        load_definitions(content_dir)

    assert QuestionnaireVersion.objects.count() == 1
    assert Questionnaire.objects.get().title == "Questionnaire d'essai"


@pytest.mark.django_db
def test_two_files_with_the_same_slug_are_refused(content_dir):
    write(content_dir, "a.yaml", minimal())
    write(content_dir, "b.yaml", minimal())

    with pytest.raises(DefinitionError, match=r"^b\.yaml, slug : « essai » est déjà utilisé par a\.yaml$"):
        load_definitions(content_dir)

    assert not Questionnaire.objects.exists()


@pytest.mark.django_db
def test_a_file_not_in_utf8_is_refused_with_its_name(content_dir):
    (content_dir / "latin.yaml").write_bytes(as_yaml(minimal()).encode("latin-1"))

    with pytest.raises(DefinitionError, match=r"^latin\.yaml"):
        load_definitions(content_dir)


# the management command


@pytest.mark.django_db
def test_load_content_loads_the_real_files_and_says_so(capsys):
    call_command("load_content")
    call_command("load_content")

    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Questionnaires")]
    # Every shipped file, in the order of the file names (other apps add theirs).
    slugs = sorted(yaml.safe_load(path.read_text(encoding="utf-8"))["slug"] for path in definition_files())
    assert {"qvt-numerique", "maturite-numerique", "satisfaction-atelier"} <= set(slugs)
    assert out == [
        f"Questionnaires : {len(slugs)} à jour, nouvelles versions : "
        + ", ".join(f"{slug} v1" for slug in slugs)
        + ".",
        f"Questionnaires : {len(slugs)} à jour.",
    ]


@pytest.mark.django_db
def test_load_content_turns_a_refused_file_into_a_command_error(content_dir, monkeypatch):
    write(content_dir, "a-bon.yaml", minimal())
    (content_dir / "b-mauvais.yaml").write_text("slug: [", encoding="utf-8")
    monkeypatch.setattr(loading, "load_definitions", functools.partial(load_definitions, content_dir))

    with pytest.raises(CommandError) as caught:
        call_command("load_content")

    assert str(caught.value).startswith(
        "Contenu refusé, rien n'a été chargé : b-mauvais.yaml : YAML illisible"
    )
    assert not QuestionnaireVersion.objects.exists()
