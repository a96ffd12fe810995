"""Key figures per region and for the nation: the national row is its own entry, never the sum
of the regions; bad input is refused in French; every network role reads, staff enter."""

from datetime import date

import pytest
from django.urls import reverse

from reperes.evaluation import actions
from reperes.evaluation.figures import key_figures_table
from reperes.evaluation.models import KeyFigure, Partner, Project
from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Network
from tests.helpers import page_text
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(network):
    network.scope = Network.Scope.NATIONAL
    network.region = ""
    network.save()
    return network


@pytest.fixture
def labqvt(national):
    from reperes.demo.evaluation import seed_evaluation

    return seed_evaluation(national)


def figures(project, region):
    return {f.indicator: f.display for f in project.key_figures.filter(region=region)}


def test_the_demo_enters_the_seeds_figures_and_the_national_row_is_not_the_sum(labqvt):
    assert figures(labqvt, "44")["tweets"] == "11"  # Grand Est
    assert figures(labqvt, "93")["survey_answers"] == "93"  # Provence-Alpes-Côte d'Azur
    assert figures(labqvt, "")["survey_answers"] == "plus de 120"
    assert figures(labqvt, "")["people"] == "plusieurs dizaines"
    table = key_figures_table(labqvt)
    column = [i["code"] for i in table["indicators"]].index("tweets")
    # 11 + 15 + 11 + 8 = 45 over the regions; 51 entered nationally.
    assert table["sums"][column]["value"] == 45
    assert table["national"][column]["figure"].value == 51 and table["national"][column]["differs"]
    assert [row["label"] for row in table["rows"]] == [
        "Bourgogne-Franche-Comté",
        "Grand Est",
        "Normandie",
        "Provence-Alpes-Côte d'Azur",
    ]


def test_seeding_twice_adds_nothing(labqvt, national):
    from reperes.demo.evaluation import seed_evaluation

    count = KeyFigure.objects.count()
    assert seed_evaluation(national) == labqvt and KeyFigure.objects.count() == count


def test_the_page_says_the_national_row_is_not_a_sum(client_of, labqvt, nina):
    page = page_text(client_of(nina).get(reverse("evaluation:key_figures", args=["reseau", labqvt.pk])))
    assert "La ligne « National » n'est pas la somme des régions." in page
    assert "Somme des régions" in page and "National" in page
    assert "<strong>51</strong>" in page and ">45<" in page.replace(" ", "").replace("\n", "")
    assert "Saisir des chiffres" not in page  # an analyst reads only


def test_an_analyst_reads_but_cannot_enter(client_of, labqvt, nina):
    client = client_of(nina)
    assert client.get(reverse("evaluation:project", args=["reseau", labqvt.pk])).status_code == 200
    for name in ("key_figures_edit", "partner_add", "committee_add", "assessments_edit", "project_edit"):
        assert client.get(reverse(f"evaluation:{name}", args=["reseau", labqvt.pk])).status_code == 404
    assert client.get(reverse("evaluation:project_create", args=["reseau"])).status_code == 404


def test_a_facilitator_enters_key_figures_through_the_page(client_of, labqvt, fiona):
    url = reverse("evaluation:key_figures_edit", args=["reseau", labqvt.pk])
    client = client_of(fiona)
    assert client.get(url + "?lieu=53").status_code == 200
    response = client.post(url, {"region": "53", "tweets_value": "4", "tweets_qualifier": "exact"})
    assert response.status_code == 302
    assert figures(labqvt, "53") == {"tweets": "4"}
    # The national figure does not move when a region is entered.
    assert figures(labqvt, "")["tweets"] == "51"


def test_a_negative_figure_is_refused_in_french(client_of, labqvt, hugo):
    url = reverse("evaluation:key_figures_edit", args=["reseau", labqvt.pk])
    response = client_of(hugo).post(url, {"region": "53", "tweets_value": "-3", "tweets_qualifier": "exact"})
    assert response.status_code == 200
    assert "Un chiffre ne peut pas être négatif." in page_text(response)
    assert not KeyFigure.objects.filter(region="53").exists()
    with pytest.raises(ActionRefused):
        actions.set_key_figures(labqvt, region="53", figures={"tweets": (-1, "exact", "")}, by=hugo)


def test_a_regional_network_enters_only_its_region(client_of, network, hugo):
    # The test network is regional (Pays de la Loire, 52).
    project = actions.create_project(network, title="Projet", starts_on=date(2026, 1, 1), by=hugo)
    url = reverse("evaluation:key_figures_edit", args=["reseau", project.pk])
    client = client_of(hugo)
    for place in ("44", "national"):
        response = client.post(url, {"region": place, "tweets_value": "3", "tweets_qualifier": "exact"})
        assert "Cette région n'est pas dans le périmètre du réseau." in page_text(response)
    assert client.get(url + "?lieu=44").status_code == 404
    assert (
        client.post(url, {"region": "52", "tweets_value": "3", "tweets_qualifier": "exact"}).status_code
        == 302
    )
    assert not KeyFigure.objects.exclude(region="52").exists()
    with pytest.raises(ActionRefused):
        actions.set_key_figures(project, region="", figures={"tweets": (3, "exact", "")}, by=hugo)
    with pytest.raises(ActionRefused):
        actions.add_partner(project, name="X", kind="partner", region="44", by=hugo)


def test_a_region_outside_the_list_is_refused_for_a_partner(client_of, labqvt, hugo):
    url = reverse("evaluation:partner_add", args=["reseau", labqvt.pk])
    response = client_of(hugo).post(url, {"name": "Inconnu", "kind": "partner", "region": "99"})
    assert "Cette région n'est pas dans le périmètre du réseau." in page_text(response)
    assert not Partner.objects.filter(name="Inconnu").exists()


def test_oversized_text_is_refused(client_of, labqvt, hugo):
    url = reverse("evaluation:committee_add", args=["reseau", labqvt.pk])
    response = client_of(hugo).post(
        url, {"region": "national", "held_on": "2021-03-01", "minutes": "x" * 20001}
    )
    assert "Ce texte est trop long : 20000 caractères au plus." in page_text(response)
    response = client_of(hugo).post(
        reverse("evaluation:assessments_edit", args=["reseau", labqvt.pk]), {"bodies": "y" * 5001}
    )
    assert "Ce texte est trop long : 5000 caractères au plus." in page_text(response)


def test_a_project_ending_before_it_starts_is_refused(client_of, network, hugo):
    response = client_of(hugo).post(
        reverse("evaluation:project_create", args=["reseau"]),
        {"title": "À l'envers", "starts_on": "2026-05-01", "ends_on": "2026-01-01"},
    )
    assert "La fin du projet ne peut pas précéder son début." in page_text(response)
    assert not Project.objects.exists()


def test_another_networks_project_is_a_404(client_of, labqvt, hugo):
    other = NetworkFactory(name="Autre réseau", slug="autre")
    stranger = NetworkMembershipFactory(network=other, role="admin").user
    client = client_of(stranger)
    for name in ("project", "key_figures", "key_figures_edit", "partner_add"):
        assert client.get(reverse(f"evaluation:{name}", args=["autre", labqvt.pk])).status_code == 404
        assert client.get(reverse(f"evaluation:{name}", args=["reseau", labqvt.pk])).status_code == 404
    partner = labqvt.partners.first()
    url = reverse("evaluation:partner_remove", args=["autre", labqvt.pk, partner.pk])
    assert client.post(url).status_code == 404
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_organisation_members_do_not_reach_the_network_pages(client_of, labqvt, alice):
    assert client_of(alice).get(reverse("evaluation:projects", args=["reseau"])).status_code == 404


def test_a_facilitator_creates_a_project_with_the_networks_cohorts_only(client_of, network, fiona):
    response = client_of(fiona).post(
        reverse("evaluation:project_create", args=["reseau"]),
        {"title": "Parcours 2026", "starts_on": "2026-01-01"},
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert project.network == network and project.created_by == fiona


def test_staff_add_and_remove_a_partner(client_of, labqvt, hugo):
    client = client_of(hugo)
    client.post(
        reverse("evaluation:partner_add", args=["reseau", labqvt.pk]),
        {"name": "Région Normandie", "kind": "funder", "region": "28"},
    )
    partner = Partner.objects.get(name="Région Normandie")
    assert partner.kind == "funder" and partner.region == "28"
    client.post(reverse("evaluation:partner_remove", args=["reseau", labqvt.pk, partner.pk]))
    assert not Partner.objects.filter(pk=partner.pk).exists()
