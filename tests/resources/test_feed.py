"""The network's HR news feed: valid Atom, readable without an account, listing only the live
news the staff made public; each entry leads to a public page of its own."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from reperes.resources import actions
from tests.helpers import page_text
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, network):
    response = client.get(reverse("resources:feed", args=[network.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_lists_only_public_live_news(client, network, hugo):
    ResourceFactory(
        network=network,
        kind="news",
        public=True,
        title="Nouvelle aide à l'embauche",
        summary="Une aide **régionale** <script>alert(1)</script>",
        published_on=date(2026, 11, 2),
        author_name="Hugo",
    )
    ResourceFactory(
        network=network, kind="news", public=True, title="Plus ancienne", published_on=date(2026, 1, 5)
    )
    ResourceFactory(network=network, kind="news", public=False, title="Réservée aux adhérents")
    ResourceFactory(network=network, kind="guide", title="Un guide")
    archived = ResourceFactory(network=network, kind="news", public=True, title="Archivée")
    actions.archive_resource(archived, by=hugo)
    ResourceFactory(kind="news", public=True, title="D'un autre réseau")

    root = feed(client, network)

    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "Actualités RH · Réseau ESS test"
    assert root.find(f"{ATOM}id").text and root.find(f"{ATOM}updated").text
    entries = root.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == [
        "Nouvelle aide à l'embauche",
        "Plus ancienne",
    ]
    first = entries[0]
    for tag in ("id", "updated", "link", "summary"):
        assert first.find(f"{ATOM}{tag}") is not None, tag
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Hugo"
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<strong>régionale</strong>" in summary.text and "<script>" not in summary.text
    link = first.find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/r/reseau/ressources/actualites/")


def test_an_entrys_page_is_public_and_archived_ones_keep_it(client, network, hugo):
    news = ResourceFactory(network=network, kind="news", public=True, title="Un nouvel accord de branche")
    url = reverse("resources:public_news", args=[network.slug, news.pk])
    assert "Un nouvel accord de branche" in page_text(client.get(url))
    actions.archive_resource(news, by=hugo)
    assert "a été archivée" in page_text(client.get(url))


def test_what_is_not_public_news_has_no_public_page(client, network):
    for resource in (
        ResourceFactory(network=network, kind="news", public=False),
        ResourceFactory(network=network, kind="guide", public=True),
    ):
        assert (
            client.get(reverse("resources:public_news", args=[network.slug, resource.pk])).status_code == 404
        )
    news = ResourceFactory(kind="news", public=True)  # another network's, through this one's address
    assert client.get(reverse("resources:public_news", args=[network.slug, news.pk])).status_code == 404


def test_an_unknown_network_has_no_feed(client, db):
    assert client.get(reverse("resources:feed", args=["inconnu"])).status_code == 404


def test_an_empty_feed_is_valid(client, network):
    root = feed(client, network)
    assert root.findall(f"{ATOM}entry") == []


def test_the_feed_makes_a_bounded_number_of_queries(client, network, django_assert_max_num_queries):
    for n in range(40):
        ResourceFactory(network=network, kind="news", public=True, title=f"Actualité {n}")
    with django_assert_max_num_queries(4):
        root = feed(client, network)
    assert len(root.findall(f"{ATOM}entry")) == 30
