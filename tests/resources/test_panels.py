"""The library beside the team's results and on the fiche pages (reperes.lib.panels): items of
the reader's networks, for its region, tagged with subjects of the weak themes or of the
fiche's themes; nothing drawn when nothing matches."""

from datetime import date

import pytest
from django.apps import apps
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reperes.lib.panels import collect
from reperes.resources.panels import fiche_panel, results_panel, themes_by_fiche
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.fiches.factories import create_fiche
from tests.helpers import page_text
from tests.organisations.factories import NetworkFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def render(panel):
    return render_to_string(panel["template"], {"panel": panel}, request=RequestFactory().get("/"))


def test_the_hooks_are_named_on_the_app_config():
    config = apps.get_app_config("resources")
    assert config.results_panel == "reperes.resources.panels.results_panel"
    assert config.fiche_panel == "reperes.resources.panels.fiche_panel"


def test_the_results_panel_shows_up_to_three_items_weakest_theme_first(network, org_a):
    ResourceFactory(network=network, title="Sur le recrutement", subjects=["emploi-rh"])
    for n in range(3):
        ResourceFactory(network=network, title=f"Déconnexion {n}", subjects=["temps-deconnexion"])
    ResourceFactory(network=network, title="Hors sujet", subjects=["equipement"])
    ResourceFactory(
        network=network, title="Archivée", subjects=["temps-deconnexion"], archived_at="2024-01-01T00:00Z"
    )
    ResourceFactory(network=network, title="Autre région", subjects=["temps-deconnexion"], regions=["27"])
    ResourceFactory(title="Autre réseau", subjects=["temps-deconnexion"])

    panel = results_panel(
        organisation=org_a, weak_themes=["qvt-numerique:temps", "qvt-numerique:competences"], heading_level=3
    )

    titles = [resource.title for resource, _ in panel["resources"]]
    assert len(titles) == 3 and all(title.startswith("Déconnexion") for title in titles)
    html = render(panel)
    assert '<h3 id="ressources-fragiles">' in html and "<h4>" in html
    assert "/s/jardins/ressources/" in html


@pytest.mark.parametrize(
    "weak_themes", [[], ["qvt-numerique:espaces"], ["inconnu:theme"]], ids=["no theme", "no item", "unknown"]
)
def test_the_results_panel_is_none_when_nothing_matches(network, org_a, weak_themes):
    ResourceFactory(network=network, subjects=["emploi-rh"])
    ResourceFactory(network=NetworkFactory(), subjects=["espaces-travail"])
    assert results_panel(organisation=org_a, weak_themes=weak_themes) is None


def test_the_results_panel_makes_one_query(network, org_a, django_assert_num_queries):
    for n in range(20):
        ResourceFactory(network=network, subjects=["temps-deconnexion"], title=f"Guide {n}")
    with django_assert_num_queries(1):
        panel = results_panel(organisation=org_a, weak_themes=["qvt-numerique:temps"])
        render(panel)


def test_the_results_page_shows_the_library_for_the_weak_themes(client_of, network, org_a, alice):
    from tests.results.test_telework_results import close, submit

    ResourceFactory(network=network, title="Inventaire des outils RH à distance", subjects=["activites"])
    campaign = CampaignFactory(
        organisation=org_a, questionnaire_version=questionnaire_version("teletravail-preparation")
    )
    for _ in range(5):
        submit(campaign, None, "plutot-non")
    close(campaign)

    page = page_text(client_of(alice).get(reverse("results:panels", args=[org_a.slug, campaign.pk])))

    assert "Des ressources de votre réseau pour vos thèmes les plus fragiles" in page
    assert "Inventaire des outils RH à distance" in page


# Fiches


def test_a_fiches_themes_come_from_the_questionnaires():
    assert "qvt-numerique:projet" in themes_by_fiche()["conduite-projet"]
    assert "droit-deconnexion:dec-horaires" in themes_by_fiche()["temps-de-travail"]


def test_the_fiche_panel_shows_the_items_of_the_readers_networks(network, org_a, bob):
    fiche = create_fiche()  # conduite-projet: qvt-numerique:projet → dialogue social, emploi et RH…
    ResourceFactory(network=network, title="Guide du dialogue social", subjects=["dialogue-social"])
    ResourceFactory(network=network, title="Hors sujet", subjects=["equipement"])
    ResourceFactory(title="D'un autre réseau", subjects=["dialogue-social"])

    panel = fiche_panel(fiche=fiche, user=bob)

    assert [(resource.title, organisation) for resource, organisation in panel["resources"]] == [
        ("Guide du dialogue social", org_a)
    ]
    assert "/s/jardins/ressources/" in render(panel)


def test_the_fiche_panel_is_none_for_visitors_and_people_without_a_network(network, fiona):
    from django.contrib.auth.models import AnonymousUser

    fiche = create_fiche()
    ResourceFactory(network=network, subjects=["dialogue-social"])
    assert fiche_panel(fiche=fiche, user=AnonymousUser()) is None
    assert fiche_panel(fiche=fiche, user=fiona) is None  # staff, no organisation: their own pages
    assert fiche_panel(fiche=create_fiche(slug="sans-theme", number=9), user=fiona) is None


def test_a_member_reads_a_news_item_linked_from_a_fiche(
    client_of, network, org_a, bob, django_assert_max_num_queries
):
    fiche = create_fiche()
    news = ResourceFactory(
        network=network, kind="news", title="Élections du CSE : le calendrier", subjects=["dialogue-social"]
    )
    url = reverse("fiches:detail", args=[fiche.slug])
    member = client_of(bob)
    member.get(url)  # the month's page-view counter exists from now on
    with CaptureQueriesContext(connection) as one_item:
        member.get(url)
    for n in range(10):
        ResourceFactory(
            network=network, title=f"Guide {n}", subjects=["emploi-rh"], published_on=date(2020, 1, n + 1)
        )

    # The panel reads the user's affiliations and the items in two queries, however many.
    with django_assert_max_num_queries(len(one_item)):
        page = page_text(member.get(url))

    assert "Dans la bibliothèque de votre réseau" in page
    link = reverse("resources:space_resource", args=[org_a.slug, news.pk])
    assert link in page
    assert "Élections du CSE : le calendrier" in page_text(member.get(link))


def test_the_fiche_page_has_no_panel_for_anonymous_visitors(client, network):
    fiche = create_fiche()
    ResourceFactory(network=network, subjects=["dialogue-social"])
    page = page_text(client.get(reverse("fiches:detail", args=[fiche.slug])))
    assert "bibliothèque de votre réseau" not in page


def test_collect_gathers_the_fiche_panel(network, bob):
    fiche = create_fiche()
    ResourceFactory(network=network, subjects=["dialogue-social"])
    panels = collect("fiche_panel", fiche=fiche, user=bob, heading_level=2)
    assert [panel["template"] for panel in panels] == ["resources/_fiche_panel.html"]
