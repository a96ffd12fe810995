import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reperes.organisations import reference
from reperes.organisations.models import Organisation, Role
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "L'Épicerie Solidaire",
    "legal_form": "association",
    "headcount": "8",
    "sector": "commerce_services",
    "region": "84",
    "opco": "",
    "has_cse": "",
    "has_union_delegate": "",
}


def test_creating_an_organisation_makes_the_creator_lead(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("organisations:create"), VALID)
    organisation = Organisation.objects.get()
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.slug == "lepicerie-solidaire"
    assert organisation.memberships.get().role == Role.LEAD
    assert organisation.events.get().verb == "organisation.created"
    assert organisation.size_band == "1-10"


def test_slugs_stay_unique(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("organisations:create"), VALID)
    client.post(reverse("organisations:create"), VALID)
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "lepicerie-solidaire",
        "lepicerie-solidaire-2",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("region", "99", "Sélectionnez un choix valide"),
        ("legal_form", "sarl", "Sélectionnez un choix valide"),
        ("headcount", "0", "au moins une personne"),
        ("headcount", "deux", "Saisissez un nombre entier"),
        ("name", "", "Ce champ est obligatoire"),
    ],
)
def test_creation_form_validation(client, field, value, message):
    client.force_login(UserFactory())
    response = client.post(reverse("organisations:create"), {**VALID, field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Organisation.objects.exists()


def test_lead_edits_the_profile_and_it_is_logged(client, alice, org_a):
    client.force_login(alice)
    response = client.post(
        reverse("organisations:settings", args=[org_a.slug]),
        {**VALID, "name": org_a.name, "headcount": "60", "has_cse": "on"},
    )
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.headcount == 60
    assert org_a.size_band_label == "50 à 249 personnes"
    assert org_a.has_cse
    assert "effectif" in org_a.events.get(verb="organisation.updated").description


@pytest.mark.parametrize(
    ("headcount", "band"),
    [
        (1, "1-10"),
        (10, "1-10"),
        (11, "11-49"),
        (49, "11-49"),
        (50, "50-249"),
        (249, "50-249"),
        (250, "250+"),
        (4000, "250+"),
    ],
)
def test_size_bands_are_derived_from_headcount(headcount, band):
    assert OrganisationFactory.build(headcount=headcount).size_band == band


def test_reference_lists_hold_the_18_regions_and_the_legal_forms():
    regions = dict(reference.choices("regions"))
    assert len(regions) == 18
    assert regions["11"] == "Île-de-France"
    assert regions["06"] == "Mayotte"
    forms = dict(reference.choices("legal_forms"))
    for code in [
        "association",
        "scop",
        "scic",
        "cae",
        "mutuelle",
        "fondation",
        "groupement_employeurs",
    ]:
        assert code in forms


def test_model_validation_refuses_unknown_codes():
    organisation = OrganisationFactory.build(region="99", legal_form="sarl")
    with pytest.raises(ValidationError) as error:
        organisation.clean()
    assert set(error.value.message_dict) == {"region", "legal_form"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- juste une liste", "listes nommées"),
        ("legal_forms: []", "« legal_forms » manque ou est vide"),
        ("legal_forms:\n  - {code: a}\n", "« code » et « label » sont obligatoires"),
    ],
)
def test_malformed_reference_file_is_refused_with_a_precise_message(text, message):
    with pytest.raises(reference.ReferenceError) as error:
        reference.parse_reference(text, source="essai.yaml")
    assert message in str(error.value)
    assert "essai.yaml" in str(error.value)


def test_duplicate_codes_are_refused():
    text = (reference.REFERENCE_FILE.read_text()).replace("code: scic", "code: scop")
    with pytest.raises(reference.ReferenceError, match="en double"):
        reference.parse_reference(text)
