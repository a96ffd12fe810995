"""The catalogue's pages: the network's staff list, add, change, archive and restore offers;
analysts read; another network's staff and organisations' members get 404 there. Members of an
organisation see only the current offers that match it, grouped by kind, with the reasons."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.offers import actions
from reperes.offers.models import Offer
from reperes.organisations.models import Event
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.offers.factories import OfferFactory
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"offers:{name}", args=args)


@pytest.fixture
def offer(network):
    return OfferFactory(
        network=network,
        title="Manager une équipe à distance",
        summary="Deux jours pour garder le lien.",
        description="Au programme :\n\n- les rituels d'équipe\n- <script>alert(1)</script>",
        subjects=["management-distance", "collectif"],
        funders=["uniformation"],
        provider="Institut du management",
        contact_email="formation@institut.example",
    )


@pytest.fixture
def outsider_staff(db):
    return NetworkMembershipFactory(
        network=NetworkFactory(slug="autre"), user=UserFactory(email="olga@example.org"), role="admin"
    ).user


def offer_post(**changes):
    data = {
        "kind": "training",
        "title": "Animer des réunions hybrides",
        "summary": "Une matinée pour que chacun·e ait sa place.",
        "format": "remote",
        "subjects": ["hybride", "collectif"],
        "funders": ["uniformation", "afdas"],
        "regions": [],
        "max_employees": "249",
        "starts_on": TODAY.isoformat(),
    }
    data.update(changes)
    return data


# The network's side


@pytest.mark.parametrize("persona", ["fiona", "hugo"])
def test_staff_add_an_offer_through_the_page(client_of, personas, network, persona):
    response = client_of(personas[persona]).post(url("create", "reseau"), offer_post())

    offer = Offer.objects.get()
    assert response.status_code == 302 and response.url == url("offer", "reseau", offer.pk)
    assert offer.network == network and offer.subjects == ["hybride", "collectif"]
    assert Event.objects.filter(verb="offers.created", network=network).count() == 1


def test_the_form_shows_an_end_before_the_start_in_french(client_of, fiona):
    response = client_of(fiona).post(
        url("create", "reseau"),
        offer_post(starts_on="2026-06-01", ends_on="2026-05-01"),
    )
    assert response.status_code == 200
    assert "La fin de validité ne peut pas précéder son début." in page_text(response)
    assert not Offer.objects.exists()


def test_a_tampered_region_is_refused_on_the_page(client_of, fiona):
    response = client_of(fiona).post(url("create", "reseau"), offer_post(regions=["99"]))
    assert response.status_code == 200 and not Offer.objects.exists()
    assert "« 99 » ne fait pas partie de la liste." in page_text(response)


def test_staff_edit_an_offer(client_of, fiona, offer):
    response = client_of(fiona).get(url("edit", "reseau", offer.pk))
    assert response.status_code == 200 and "Modifier l'offre" in page_text(response)

    response = client_of(fiona).post(
        url("edit", "reseau", offer.pk), offer_post(title="Manager à distance, niveau 2", regions=["27"])
    )

    offer.refresh_from_db()
    assert response.status_code == 302
    assert offer.title == "Manager à distance, niveau 2" and offer.regions == ["27"]
    assert Event.objects.get(verb="offers.updated").actor == fiona


def test_an_invalid_edit_keeps_the_stored_offer(client_of, fiona, offer):
    response = client_of(fiona).post(url("edit", "reseau", offer.pk), offer_post(title=""))
    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.title == "Manager une équipe à distance"
    assert "← Manager une équipe à distance" in page_text(response)


def test_archive_and_restore_are_posts_that_hide_and_show_the_offer(client_of, fiona, alice, offer):
    client = client_of(fiona)
    assert client.get(url("archive", "reseau", offer.pk)).status_code == 405

    client.post(url("archive", "reseau", offer.pk))
    offer.refresh_from_db()
    assert offer.archived
    assert "Cette offre est archivée" in page_text(client.get(url("offer", "reseau", offer.pk)))
    assert client_of(alice).get(url("space_offer", "jardins", offer.pk)).status_code == 404

    client_of(fiona).post(url("restore", "reseau", offer.pk))
    offer.refresh_from_db()
    assert not offer.archived
    assert client_of(alice).get(url("space_offer", "jardins", offer.pk)).status_code == 200


def test_the_detail_page_shows_the_offer_and_sanitises_its_description(client_of, fiona, offer):
    response = client_of(fiona).get(url("offer", "reseau", offer.pk))
    text = page_text(response)
    assert response.status_code == 200
    assert "Manager une équipe à distance" in text and "Institut du management" in text
    assert "Uniformation (Opco Cohésion sociale)" in text
    assert "<li>les rituels d'équipe</li>" in text
    assert "<script>" not in response.content.decode()


def test_the_list_filters_by_status_kind_and_subject_with_counts(client_of, fiona, network, offer):
    OfferFactory(network=network, title="Vieille formation", ends_on=TODAY - timedelta(days=1))
    OfferFactory(network=network, title="Dispositif rangé", kind="hr_scheme", archived=True)
    OfferFactory(network=network, title="Bientôt", starts_on=TODAY + timedelta(days=5))
    OfferFactory(network=network, title="Expert sécurité", kind="expert", subjects=["securite-donnees"])
    client = client_of(fiona)

    text = page_text(client.get(url("catalogue", "reseau")))
    assert "En cours (2)" in text and "À venir (1)" in text and "Expirées (1)" in text
    assert "Archivées (1)" in text and "Toutes (5)" in text
    assert "Manager une équipe à distance" in text and "Vieille formation" not in text

    assert "Vieille formation" in page_text(client.get(url("catalogue", "reseau"), {"status": "expired"}))
    assert "Dispositif rangé" in page_text(client.get(url("catalogue", "reseau"), {"status": "archived"}))
    by_kind = page_text(client.get(url("catalogue", "reseau"), {"kind": "expert"}))
    assert "Expert sécurité" in by_kind and "Manager une équipe" not in by_kind
    by_subject = page_text(client.get(url("catalogue", "reseau"), {"subject": "collectif", "status": "all"}))
    assert "Manager une équipe" in by_subject and "Expert sécurité" not in by_subject
    assert "sur « Garder le collectif de travail »" in by_subject


def test_a_bad_filter_shows_the_default_list(client_of, fiona, offer):
    response = client_of(fiona).get(
        url("catalogue", "reseau"), {"status": "tout-sauf", "kind": "x", "subject": "y"}
    )
    assert response.status_code == 200 and "Manager une équipe à distance" in page_text(response)


def test_the_list_takes_a_bounded_number_of_queries(client_of, fiona, network, django_assert_max_num_queries):
    client = client_of(fiona)
    client.get(url("catalogue", "reseau"))
    for n in range(40):
        OfferFactory(
            network=network, regions=["27", "52"], funders=["akto"], subjects=["charte"], title=f"Offre {n}"
        )
    with django_assert_max_num_queries(10):
        response = client.get(url("catalogue", "reseau"), {"status": "all"})
    assert page_text(response).count("Offre ") >= 40


def test_analysts_read_the_catalogue_but_do_not_change_it(client_of, nina, offer):
    client = client_of(nina)
    response = client.get(url("catalogue", "reseau"))
    assert response.status_code == 200 and "Nouvelle offre" not in page_text(response)
    assert client.get(url("offer", "reseau", offer.pk)).status_code == 200
    assert client.get(url("create", "reseau")).status_code == 404
    assert client.get(url("edit", "reseau", offer.pk)).status_code == 404
    assert client.post(url("archive", "reseau", offer.pk)).status_code == 404
    assert not Offer.objects.get().archived


def test_another_networks_staff_and_members_get_404(client_of, outsider_staff, alice, offer):
    for user in (outsider_staff, alice):
        client = client_of(user)
        assert client.get(url("catalogue", "reseau")).status_code == 404
        assert client.get(url("offer", "reseau", offer.pk)).status_code == 404
        assert client.post(url("archive", "reseau", offer.pk)).status_code == 404
    # Their own network's address does not reach this offer either
    assert client_of(outsider_staff).get(url("offer", "autre", offer.pk)).status_code == 404
    assert client_of(outsider_staff).post(url("edit", "autre", offer.pk), offer_post()).status_code == 404
    assert Offer.objects.get().title == "Manager une équipe à distance"


# The organisation's side


def test_members_see_the_offers_that_match_their_organisation_grouped_by_kind(client_of, bob, network, offer):
    OfferFactory(network=network, title="Expert télétravail", kind="expert", max_employees=249)
    OfferFactory(network=network, title="Réservée à la Bourgogne", regions=["27"])
    OfferFactory(network=network, title="Expirée", ends_on=TODAY - timedelta(days=1))
    OfferFactory(network=network, title="Archivée", archived=True)
    OfferFactory(network=NetworkFactory(), title="D'un autre réseau")

    response = client_of(bob).get(url("space_list", "jardins"))

    text = page_text(response)
    assert response.status_code == 200
    assert "Manager une équipe à distance" in text and "Expert télétravail" in text
    for hidden in ("Réservée à la Bourgogne", "Expirée", "Archivée", "D'un autre réseau"):
        assert hidden not in text
    assert text.index("Accompagnements par des expert·es") < text.index("<h2>Formations")
    assert "Pourquoi elle vous est proposée" in text and "Ouverte à toutes les structures du réseau" in text


def test_members_filter_by_subject(client_of, alice, network, offer):
    OfferFactory(network=network, title="Sauvegardes", subjects=["securite-donnees"])
    text = page_text(client_of(alice).get(url("space_list", "jardins"), {"subject": "securite-donnees"}))
    assert "Sauvegardes" in text and "Manager une équipe à distance" not in text
    assert "Répond à ce que vous cherchez : « Sécurité des données et sauvegardes »" in text


def test_the_members_list_takes_a_bounded_number_of_queries(
    client_of, bob, network, django_assert_max_num_queries
):
    client = client_of(bob)
    client.get(url("space_list", "jardins"))
    for n in range(40):
        OfferFactory(
            network=network, kind=["training", "expert"][n % 2], subjects=["charte"], title=f"Offre {n}"
        )
    with django_assert_max_num_queries(8):
        response = client.get(url("space_list", "jardins"))
    assert page_text(response).count("Offre ") >= 40


def test_members_open_a_matching_offer_and_not_the_others(client_of, bob, dave, network, offer):
    bretagne = OfferFactory(network=network, title="Bretagne", regions=["53"])
    foreign = OfferFactory(network=NetworkFactory(), title="Ailleurs")
    expired = OfferFactory(network=network, title="Finie", ends_on=TODAY - timedelta(days=1))
    client = client_of(bob)

    response = client.get(url("space_offer", "jardins", offer.pk))
    assert response.status_code == 200 and "formation@institut.example" in page_text(response)
    for other in (bretagne, foreign, expired):
        assert client.get(url("space_offer", "jardins", other.pk)).status_code == 404
    assert client.get(url("space_offer", "jardins", 999999)).status_code == 404
    # dave is not a member of the Jardins: the whole space is a 404
    assert client_of(dave).get(url("space_offer", "jardins", offer.pk)).status_code == 404
    assert client_of(dave).get(url("space_list", "jardins")).status_code == 404


def test_network_staff_see_nothing_inside_an_organisation(client_of, fiona, offer):
    assert client_of(fiona).get(url("space_list", "jardins")).status_code == 404
    assert client_of(fiona).get(url("space_offer", "jardins", offer.pk)).status_code == 404


def test_an_organisation_without_matching_offers_is_told_where_they_come_from(client_of, alice, network):
    text = page_text(client_of(alice).get(url("space_list", "jardins")))
    assert "Vos réseaux ne proposent pas d'offre ouverte à votre structure pour l'instant." in text


def test_nobody_logged_out_sees_the_catalogue(client, offer):
    assert client.get(url("space_list", "jardins")).status_code == 302
    assert client.get(url("catalogue", "reseau")).status_code == 302


def test_an_offer_created_by_the_action_appears_for_members(client_of, alice, network, fiona):
    created = actions.create_offer(
        network, by=fiona, kind="programme", title="Appel à projets", summary="Un appel."
    )
    assert "Appel à projets" in page_text(client_of(alice).get(url("space_list", "jardins")))
    assert client_of(alice).get(url("space_offer", "jardins", created.pk)).status_code == 200
