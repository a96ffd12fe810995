"""The QVT framework entries a fiche deals with (`determinants`). fiches does not import the
questionnaires app, where the frameworks live: its parser checks the form of the tags, and this
test checks every shipped fiche against the frameworks file."""

import pytest

from reperes.fiches.definition import FicheError, fiche_files, parse_fiche
from reperes.instruments.frameworks import known_tags
from reperes.lib.content import content_hash, read_yaml
from tests.fiches.factories import minimal_fiche


@pytest.mark.parametrize("path", fiche_files(), ids=lambda path: path.stem)
def test_every_shipped_fiche_names_known_determinants_with_a_labqvt_one(path):
    content = parse_fiche(read_yaml(path), source=path.name, known_determinants=known_tags())

    assert any(tag.startswith("labqvt:") for tag in content["determinants"])
    assert any(tag.startswith("anact:") for tag in content["determinants"])


def test_a_fiche_keeps_its_determinants_in_order():
    content = parse_fiche(
        minimal_fiche(determinants=["labqvt:management", "anact:entree-expression"]),
        source="f.yaml",
        known_determinants=known_tags(),
    )

    assert content["determinants"] == ["labqvt:management", "anact:entree-expression"]


@pytest.mark.parametrize("empty", [[], None])
def test_a_fiche_without_determinants_keeps_its_hash(empty):
    untagged = parse_fiche(minimal_fiche(), source="f.yaml")
    with_empty_key = parse_fiche(minimal_fiche(determinants=empty), source="f.yaml")

    assert "determinants" not in with_empty_key
    assert content_hash(with_empty_key) == content_hash(untagged)


@pytest.mark.parametrize(
    ("determinants", "message"),
    [
        (["labqvt:bonheur"], "determinants, entrée 1 : déterminant inconnu « labqvt:bonheur »"),
        (["labqvt:sante", "labqvt:sante"], "determinants, entrée 2 : déterminant « labqvt:sante » en double"),
        ("labqvt:sante", "determinants : doit être une liste de déterminants (par exemple [labqvt:sante])"),
        (["sante"], "determinants, entrée 1 : déterminant invalide 'sante' (« référentiel:entrée »"),
        (["labqvt:Santé"], "déterminant invalide 'labqvt:Santé'"),
        (["a:b:c"], "déterminant invalide 'a:b:c'"),
        ([3], "déterminant invalide 3"),
    ],
)
def test_malformed_determinants_are_refused_in_french(determinants, message):
    with pytest.raises(FicheError) as caught:
        parse_fiche(
            minimal_fiche(determinants=determinants), source="ma-fiche.yaml", known_determinants=known_tags()
        )

    assert str(caught.value).startswith("ma-fiche.yaml, ")
    assert message in str(caught.value)


def test_without_the_known_tags_only_the_form_is_checked():
    """The loader (load_fiches) cannot reach the frameworks: a well-formed tag passes there, and
    the test above is what keeps the shipped fiches honest."""
    content = parse_fiche(minimal_fiche(determinants=["labqvt:bonheur"]), source="f.yaml")

    assert content["determinants"] == ["labqvt:bonheur"]


def test_the_fiches_reading_of_the_frameworks_agrees_with_the_questionnaires():
    """fiches reads the frameworks file as data (reperes/fiches/determinants.py), without importing
    the questionnaires app that parses and checks it: both readings give the same tags and labels."""
    from reperes.fiches import determinants
    from reperes.instruments import frameworks

    assert determinants.known_tags() == frameworks.known_tags()
    for tag in frameworks.known_tags():
        assert determinants.label(tag) == frameworks.label(tag)
    offered = {tag for _, choices in determinants.author_choices() for tag, _ in choices}
    assert offered == frameworks.known_tags()  # an author may tag as a content file does
