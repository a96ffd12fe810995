"""The charter clause library: the real data files load and are complete, and a broken file is
refused with a French message naming the file and the problem."""

import re

import pytest
import yaml

from reperes.charters.library import LibraryError, build_library
from reperes.fiches.definition import CONTENT_DIR as FICHES_DIR

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@pytest.fixture(scope="module")
def library():
    return build_library()


def test_the_real_library_loads(library):
    assert len(library.slots) == 21
    assert len(library.mandatory_slots) == 7
    assert library.clauses


def test_every_slot_has_at_least_one_clause(library):
    empty = [slot.id for slot in library.slots.values() if not library.clauses_for(slot.id)]
    assert empty == []


def test_every_mandatory_slot_is_covered(library):
    covered = {slot_id for clause in library.clauses.values() for slot_id in clause.covers}
    assert {slot.id for slot in library.mandatory_slots} <= covered


def test_every_placeholder_is_a_parameter(library):
    for clause in library.clauses.values():
        for wording in clause.wordings:
            assert set(PLACEHOLDER.findall(wording.text)) <= set(library.parameters), (clause.id, wording.id)


def test_every_clause_links_to_an_existing_fiche(library):
    missing = sorted({clause.fiche for clause in library.clauses.values() if clause.fiche} - fiche_slugs())
    assert missing == []
    assert all(clause.fiche for clause in library.clauses.values())


def test_no_wording_claims_a_legal_review(library):
    for clause in library.clauses.values():
        for wording in clause.wordings:
            assert wording.review == "non-relu", (clause.id, wording.id)
            assert wording.review_label == "non relu par un·e juriste"


def test_every_clause_has_one_to_three_wordings_and_conditions_are_known(library):
    for clause in library.clauses.values():
        assert 1 <= len(clause.wordings) <= 3
        assert clause.condition in {"", "has_cse", "has_union_delegate"}


def fiche_slugs():
    return {path.stem for path in FICHES_DIR.glob("*.yaml")}


# A small library, copied to tmp_path and broken one way per test.


def small_library():
    return {
        "parameters": [
            {
                "id": "jours_travailles",
                "label": "Jours travaillés",
                "type": "int",
                "min": 1,
                "max": 6,
                "default": 5,
            },
            {
                "id": "jours_max",
                "label": "Jours de télétravail",
                "type": "int",
                "min": 1,
                "max": 6,
                "default": 2,
                "at_most": "jours_travailles",
            },
            {"id": "contact_debut", "label": "Début", "type": "time", "default": "09:30"},
            {
                "id": "contact_fin",
                "label": "Fin",
                "type": "time",
                "default": "17:00",
                "after": "contact_debut",
            },
        ],
        "slots": [
            {
                "id": "plages-contact",
                "label": "Plages",
                "mandatory": True,
                "legal": [{"ref": "l1222-9", "point": "II"}],
            },
            {"id": "formes", "label": "Formes", "legal": [{"ref": "l1222-9", "point": "I"}]},
        ],
    }


def small_clause(clause_id="plages", slot="plages-contact", **overrides):
    return {
        "id": clause_id,
        "slot": slot,
        "title": "Plages",
        "explanation": "Une explication.",
        "legal": [{"ref": "l1222-9", "point": "II, 4°"}],
        "fiche": "temps-de-travail",
        "wordings": [
            {
                "id": "simple",
                "label": "Simple",
                "review": "non-relu",
                "text": "De {contact_debut} à {contact_fin}.",
            }
        ],
        **overrides,
    }


def write(directory, library=None, files=None):
    (directory / "clauses").mkdir(parents=True, exist_ok=True)
    (directory / "library.yaml").write_text(yaml.safe_dump(library or small_library(), allow_unicode=True))
    if files is None:
        files = {"01-plages.yaml": [small_clause()]}
    for name, clauses in files.items():
        (directory / "clauses" / name).write_text(yaml.safe_dump({"clauses": clauses}, allow_unicode=True))
    return directory


def refused(directory):
    with pytest.raises(LibraryError) as error:
        build_library(directory)
    return str(error.value)


def test_the_small_library_loads(tmp_path):
    library = build_library(write(tmp_path))
    assert list(library.clauses) == ["plages"]
    assert library.clauses["plages"].wordings[0].placeholders == {"contact_debut", "contact_fin"}


def test_an_unknown_legal_reference_is_refused(tmp_path):
    clause = small_clause(legal=[{"ref": "l9999-1", "point": ""}])
    message = refused(write(tmp_path, files={"01-plages.yaml": [clause]}))
    assert "01-plages.yaml" in message
    assert "référence juridique inconnue" in message
    assert "l9999-1" in message


def test_an_unknown_slot_is_refused(tmp_path):
    clauses = [small_clause(), small_clause("autre", slot="teletravail-lunaire")]
    message = refused(write(tmp_path, files={"01-plages.yaml": clauses}))
    assert "01-plages.yaml" in message
    assert "rubrique inconnue « teletravail-lunaire »" in message


def test_an_unknown_placeholder_is_refused(tmp_path):
    wording = {"id": "simple", "label": "Simple", "review": "non-relu", "text": "Jusqu'à {jours_maxi} jours."}
    message = refused(write(tmp_path, files={"01-plages.yaml": [small_clause(wordings=[wording])]}))
    assert "01-plages.yaml" in message
    assert "paramètre inconnu « jours_maxi »" in message


def test_four_wordings_are_refused(tmp_path):
    wordings = [{"id": f"w{n}", "label": "R", "review": "non-relu", "text": "Texte."} for n in range(4)]
    message = refused(write(tmp_path, files={"01-plages.yaml": [small_clause(wordings=wordings)]}))
    assert "01-plages.yaml" in message
    assert "une à trois rédactions" in message


def test_a_reviewed_wording_without_a_date_is_refused(tmp_path):
    wording = {"id": "simple", "label": "Simple", "review": "relu", "reviewed_by": "Me X", "text": "Texte."}
    message = refused(write(tmp_path, files={"01-plages.yaml": [small_clause(wordings=[wording])]}))
    assert "01-plages.yaml" in message
    assert "date de relecture manquante" in message


def test_an_uncovered_mandatory_slot_is_refused(tmp_path):
    message = refused(write(tmp_path, files={"01-formes.yaml": [small_clause("formes", slot="formes")]}))
    assert "library.yaml" in message
    assert "plages-contact" in message
    assert "aucune clause ne couvre cette rubrique obligatoire" in message


def test_a_mandatory_slot_covered_by_another_clause_is_accepted(tmp_path):
    clause = small_clause("formes", slot="formes", covers=["plages-contact"])
    library = build_library(write(tmp_path, files={"01-formes.yaml": [clause]}))
    assert library.clauses["formes"].covers == ("formes", "plages-contact")


def test_a_clause_id_used_in_two_files_is_refused(tmp_path):
    files = {"01-plages.yaml": [small_clause()], "02-formes.yaml": [small_clause(slot="formes")]}
    message = refused(write(tmp_path, files=files))
    assert "02-formes.yaml" in message
    assert "identifiant déjà utilisé ailleurs" in message


def test_at_most_naming_an_unknown_parameter_is_refused(tmp_path):
    library = small_library()
    library["parameters"][1]["at_most"] = "jours_ouvres"
    message = refused(write(tmp_path, library=library))
    assert "library.yaml" in message
    assert "jours_max" in message
    assert "« at_most » doit nommer un paramètre entier" in message


def test_a_broken_library_is_reported_by_the_system_checks(tmp_path, monkeypatch):
    from django.core.checks.registry import registry

    from reperes.charters import library as charter_library
    from reperes.charters.checks import clause_library

    assert clause_library in registry.get_checks()
    assert clause_library(None) == []
    clause = small_clause(legal=[{"ref": "l9999-1", "point": ""}])
    monkeypatch.setattr(charter_library, "LIBRARY_DIR", write(tmp_path, files={"01-plages.yaml": [clause]}))
    [error] = clause_library(None)
    assert error.id == "telework.E001"
    assert "référence juridique inconnue « l9999-1 »" in error.msg
