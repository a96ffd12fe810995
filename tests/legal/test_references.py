"""Legal references as data: the real file, its dated scales, refusals of a malformed file and
the public page."""

import datetime

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from reperes.legal.references import LegalError, get_references, parse_references
from tests.helpers import page_text

GOOD = {
    "id": "l1222-9",
    "label": "Code du travail, article L1222-9",
    "kind": "code",
    "version_date": datetime.date(2023, 7, 21),
    "url": "https://code.travail.gouv.fr/code-du-travail/l1222-9",
    "summary": "Un résumé.",
}


def refusal(**changes):
    entry = {**GOOD, **changes}
    with pytest.raises(LegalError) as error:
        parse_references({"references": [entry]}, source="refs.yaml")
    return str(error.value)


def test_the_real_file_loads_with_dated_official_links():
    references = get_references()
    assert {"l1222-9", "l1222-10", "l1222-11", "l2242-17", "l2232-21", "l2232-22", "l2232-23"} <= set(
        references
    )
    assert {"ani-2020-teletravail", "accord-ess-2021-numerique", "allocation-teletravail"} <= set(references)
    assert all(reference.url.startswith("https://") for reference in references.values())
    assert [a.date.year for a in references["l1222-9"].amendments] == [2018, 2021, 2023]
    assert "MEDEF, CPME, U2P" in references["ani-2020-teletravail"].summary


def test_the_allowance_scale_in_force_on_a_day():
    allowance = get_references()["allocation-teletravail"]
    assert allowance.parameters_on(datetime.date(2020, 6, 1)) is None
    assert str(allowance.parameters_on(datetime.date(2023, 6, 1)).values["per_day"]) == "2.50"
    assert str(allowance.parameters_on(datetime.date(2026, 11, 22)).values["monthly_cap"]) == "59.40"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "loi"}, "« kind » doit être l'un de"),
        ({"url": "http://exemple.fr"}, "le lien doit commencer par https://"),
        ({"version_date": "hier"}, "« version_date » doit être une date AAAA-MM-JJ"),
        ({"summary": "  "}, "« summary » doit être un texte non vide"),
        ({"id": "L1222 9"}, "identifiant invalide"),
        (
            {"parameters": [{"valid_from": datetime.date(2025, 1, 1), "per_day": "deux", "source": "x"}]},
            "« per_day » doit être un montant",
        ),
        (
            {
                "parameters": [
                    {"valid_from": datetime.date(2025, 1, 1), "per_day": "2.70", "source": "x"},
                    {"valid_from": datetime.date(2021, 1, 1), "per_day": "2.50", "source": "x"},
                ]
            },
            "datés dans l'ordre",
        ),
    ],
)
def test_a_malformed_reference_is_refused_naming_file_and_place(changes, message):
    text = refusal(**changes)
    assert text.startswith("refs.yaml, ")
    assert message in text


def test_a_duplicate_reference_is_refused():
    with pytest.raises(LegalError, match="identifiant en double"):
        parse_references({"references": [GOOD, GOOD]}, source="refs.yaml")


def test_the_file_is_plain_yaml_with_a_references_list():
    with pytest.raises(LegalError, match="liste « references » attendue"):
        parse_references(yaml.safe_load("- l1222-9"), source="refs.yaml")


@pytest.mark.django_db
def test_the_public_page_says_it_is_not_legal_advice_and_when_a_scale_may_be_stale(client):
    page = page_text(client.get(reverse("legal:references")))
    assert "ne remplacent pas un conseil juridique" in page
    today = timezone.localdate()
    current = get_references()["allocation-teletravail"].parameters_on(today)
    assert f"{current.values['per_day']} €".replace(".", ",") in page  # French decimal comma
    assert ("il a pu être revalorisé" in page) == (current.valid_from.year < today.year)
