"""The listings' pages as their users go through them: a lead publishes a premises offer, the
matchmaker sends it back once then publishes it, another organisation finds it and asks to be
put in touch, the lead accepts, the matchmaker introduces them. Bad input gets a French message
and loses nothing; a foreign listing is a 404."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from reperes.listings.models import Contact, Listing
from tests.helpers import page_text
from tests.listings.conftest import TODAY, listing_values, make_listing
from tests.organisations.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    values = listing_values(**overrides)
    return {key: ("" if value is None else value) for key, value in values.items()}


def test_the_whole_journey(
    client_of, org_a, org_b, network, alice, dave, mia, django_capture_on_commit_callbacks
):
    # A lead publishes a premises offer…
    client = client_of(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("listings:create", args=["jardins"]), {**form_data(), "submit": "1"})
    listing = Listing.objects.get()
    assert response.status_code == 302
    assert listing.state == Listing.State.SUBMITTED
    assert mail.outbox[-1].to == ["mia@example.org"]
    # …the matchmaker sends it back once…
    client = client_of(mia)
    review = reverse("listings:review", args=["reseau", listing.pk])
    assert "Salle de réunion le vendredi" in page_text(client.get(reverse("listings:queue", args=["reseau"])))
    client.post(review, {"decision": "send_back", "comment": "Dites à quelle heure elle est libre."})
    listing.refresh_from_db()
    assert listing.state == Listing.State.SENT_BACK
    # …the lead reads why, corrects and sends it again…
    client = client_of(alice)
    page = page_text(client.get(reverse("listings:mine_detail", args=["jardins", listing.pk])))
    assert "Dites à quelle heure elle est libre." in page
    client.post(
        reverse("listings:edit", args=["jardins", listing.pk]),
        {**form_data(availability="le vendredi de 9 h à 18 h"), "submit": "1"},
    )
    listing.refresh_from_db()
    assert listing.state == Listing.State.SUBMITTED
    # …the matchmaker publishes it…
    client_of(mia).post(review, {"decision": "publish", "comment": ""})
    listing.refresh_from_db()
    assert listing.state == Listing.State.PUBLISHED
    # …another organisation finds it without accents and asks to be put in touch…
    client = client_of(dave)
    board = client.get(reverse("listings:board", args=["bois"]), {"q": "salle reunion"})
    assert board.context["count"] == 1
    detail = reverse("listings:detail", args=["bois", listing.pk])
    assert "alice@example.org" not in page_text(client.get(detail))
    client.post(reverse("listings:contact", args=["bois", listing.pk]), {"message": "Pour notre CA mensuel."})
    contact = Contact.objects.get()
    assert "Votre structure a demandé une mise en lien" in page_text(client.get(detail))
    # …the matchmaker forwards it and the lead accepts: the request awaits a case (whose
    # introduction, in reperes.matchmaking, gives the addresses: tests/matchmaking).
    client_of(mia).post(reverse("listings:forward", args=["reseau", contact.pk]))
    client = client_of(alice)
    page = page_text(client.get(reverse("listings:mine_detail", args=["jardins", listing.pk])))
    assert "Bois & Compagnie" in page and "Pour notre CA mensuel." in page
    assert "dave@example.org" not in page
    client.post(reverse("listings:answer", args=["jardins", listing.pk, contact.pk]), {"accept": "1"})
    contact.refresh_from_db()
    assert contact.state == Contact.State.ACCEPTED
    queue = page_text(client_of(mia).get(reverse("listings:queue", args=["reseau"])))
    assert "Les deux structures sont d'accord" in queue
    assert "dave@example.org" not in queue and "alice@example.org" not in queue


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"category": ""}, "category", "Choisissez une catégorie."),
        ({"region": ""}, "region", "Choisissez la région."),
        ({"region": "99"}, "region", ""),
        (
            {"starts_on": str(TODAY + timedelta(days=9)), "ends_on": str(TODAY + timedelta(days=2))},
            "ends_on",
            "avant",
        ),
        ({"ends_on": "31/02/2027"}, "ends_on", ""),
        ({"category": "yacht"}, "category", ""),
        ({"title": "x" * 151}, "title", ""),
        ({"description": "x" * 4001}, "description", ""),
    ],
)
def test_bad_listings_are_refused_and_nothing_typed_is_lost(
    client_of, network, alice, overrides, field, message
):
    data = {**form_data(**overrides), "submit": "1"}
    response = client_of(alice).post(reverse("listings:create", args=["jardins"]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert message in " ".join(form.errors[field])
    assert "Le formulaire contient des erreurs" in page_text(response)
    assert form["town"].value() == "Nancy"  # kept for the next try
    assert not Listing.objects.exists()


def test_an_end_date_in_the_past_is_a_french_message(client_of, network, alice):
    data = form_data(ends_on=str(TODAY - timedelta(days=3)))
    response = client_of(alice).post(reverse("listings:create", args=["jardins"]), data)
    assert "déjà passée" in page_text(response)
    assert not Listing.objects.exists()


def test_a_member_may_read_and_report_but_not_publish_nor_contact(client_of, org_b, network, dave, bob):
    listing = make_listing(org_b, network, dave)
    client = client_of(bob)
    assert client.get(reverse("listings:create", args=["jardins"])).status_code == 404
    page = page_text(client.get(reverse("listings:detail", args=["jardins", listing.pk])))
    assert "Ce sont les pilotes" in page
    response = client.post(reverse("listings:contact", args=["jardins", listing.pk]), {"message": "Bonjour"})
    assert response.status_code == 404
    response = client.post(reverse("listings:report", args=["jardins", listing.pk]), {"reason": "Périmée."})
    assert response.status_code == 302
    assert listing.reports.count() == 1


def test_an_empty_contact_message_is_asked_again(client_of, org_b, network, dave, alice):
    listing = make_listing(org_b, network, dave)
    response = client_of(alice).post(
        reverse("listings:contact", args=["jardins", listing.pk]), {"message": "  "}
    )
    assert response.status_code == 400
    assert "Écrivez quelques mots" in page_text(response)
    assert not Contact.objects.exists()


def test_foreign_listings_are_404(client_of, org_a, org_b, network, alice, dave, mia, fiona):
    draft = make_listing(org_b, network, dave, state="draft")
    published = make_listing(org_b, network, dave)
    stranger_network = NetworkFactory(slug="ailleurs")
    stranger = OrganisationFactory()
    stranger_network.affiliations.create(organisation=stranger)
    elsewhere = make_listing(stranger, stranger_network, dave)
    client = client_of(alice)
    for listing in (draft, elsewhere):
        assert client.get(reverse("listings:detail", args=["jardins", listing.pk])).status_code == 404
    # Another organisation's listing is never « ours ».
    for name in ("mine_detail", "edit"):
        assert client.get(reverse(f"listings:{name}", args=["jardins", published.pk])).status_code == 404
    assert client.post(reverse("listings:withdraw", args=["jardins", published.pk])).status_code == 404
    assert client.get(reverse("listings:detail", args=["jardins", 999999])).status_code == 404
    # The matchmaker of one network does not reach another's listings; a facilitator has no queue.
    client = client_of(mia)
    assert client.get(reverse("listings:review", args=["reseau", elsewhere.pk])).status_code == 404
    assert client_of(fiona).get(reverse("listings:queue", args=["reseau"])).status_code == 404


def test_a_double_submit_does_not_publish_twice(client_of, org_a, network, alice, mia):
    listing = make_listing(org_a, network, alice, state="submitted")
    client = client_of(mia)
    review = reverse("listings:review", args=["reseau", listing.pk])
    client.post(review, {"decision": "publish"})
    response = client.post(review, {"decision": "refuse", "comment": "Trop tard"}, follow=True)
    assert "n'attend pas de relecture" in page_text(response)
    listing.refresh_from_db()
    assert listing.state == Listing.State.PUBLISHED


def test_the_board_costs_a_bounded_number_of_queries(
    client_of, org_b, network, dave, bob, django_assert_max_num_queries
):
    for n in range(12):
        make_listing(org_b, network, dave, title=f"Salle numéro {n}")
    client = client_of(bob)
    url = reverse("listings:board", args=["jardins"])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url, {"q": "salle", "region": "44"})
    assert response.context["count"] == 12
