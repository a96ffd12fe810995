"""The figures of a closed diagnostic are rendered once and kept (reperes.results.fragments):
each reader still gets the view that is theirs — never a pilot's links, never the team's words
through another view — and a rebuild or a new version of the templates is never served stale."""

import pytest
from django.test import Client
from django.urls import reverse

from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire
from reperes.results import fragments
from reperes.results.models import StoredResults
from tests.results.test_stored import closed_campaign_with

pytestmark = pytest.mark.django_db

PILOT_LINK = "Agir : ajouter une action"


@pytest.fixture
def closed(org_a, alice):
    load_definitions()
    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    campaign = closed_campaign_with(org_a, alice, version, 12)
    campaign.results_token = "lien-public-fragments"
    campaign.save(update_fields=["results_token"])
    return campaign


@pytest.fixture
def rendered(monkeypatch):
    """Counts the renderings of the figures template."""
    calls = []
    render = fragments.render_to_string

    def counting(template, context, request):
        calls.append(template)
        return render(template, context, request)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    return calls


def page(client, user, org, campaign):
    client.force_login(user)
    response = client.get(reverse("results:detail", args=[org.slug, campaign.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_of_the_same_figures_is_not_rendered_again(client, alice, org_a, closed, rendered):
    first = page(client, alice, org_a, closed)
    second = page(client, alice, org_a, closed)
    assert rendered == [fragments.TEMPLATE]
    # The same figures (each page has its own CSRF token, outside the fragment).
    assert first.count("<svg") == second.count("<svg") > 0
    assert "La carte de l'équipe" in second


def test_a_member_after_a_pilot_never_gets_the_pilots_links(alice, bob, org_a, closed, rendered):
    assert PILOT_LINK in page(Client(), alice, org_a, closed)
    member = page(Client(), bob, org_a, closed)
    assert PILOT_LINK not in member
    assert "La carte de l'équipe" in member
    assert len(rendered) == 2  # two views, two fragments


def test_the_public_link_after_the_team_gets_its_own_view(alice, org_a, closed, rendered):
    page(Client(), alice, org_a, closed)
    shared = Client().get(reverse("results:shared", args=[closed.results_token]))
    assert shared.status_code == 200
    html = shared.content.decode()
    assert PILOT_LINK not in html
    # Theme links of the public page hang from the public link, never from the team's pages.
    assert reverse("results:detail", args=[org_a.slug, closed.pk]) not in html
    assert len(rendered) == 2


def test_a_rebuild_or_new_templates_are_never_served_stale(alice, org_a, closed, rendered, monkeypatch):
    page(Client(), alice, org_a, closed)
    StoredResults.objects.filter(campaign=closed).update(computed_on="2030-01-02")
    page(Client(), alice, org_a, closed)
    assert len(rendered) == 2
    monkeypatch.setattr(fragments, "templates_version", lambda: "nouvelle-version")
    page(Client(), alice, org_a, closed)
    assert len(rendered) == 3


def test_a_page_served_from_the_cache_builds_no_results(
    client, alice, org_a, closed, rendered, monkeypatch, django_assert_max_num_queries
):
    page(client, alice, org_a, closed)

    def never(*args, **kwargs):
        raise AssertionError("the results are built again")

    monkeypatch.setattr(fragments, "build_results", never)
    client.force_login(alice)
    url = reverse("results:detail", args=[org_a.slug, closed.pk])
    # Neither the stored figures nor the fiches nor the open answers are read again: what is
    # left is the session, the team, the campaign, its priorities, the panels and the
    # provenance of the answers.
    with django_assert_max_num_queries(14):
        second = client.get(url).content.decode()
    assert rendered == [fragments.TEMPLATE]
    assert "La carte de l'équipe" in second
