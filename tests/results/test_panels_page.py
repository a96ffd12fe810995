"""What the apps above offer beside a team's results (reperes.lib.panels) comes after the
results page, as its own request: htmx swaps it in once the figures are shown, and without
JavaScript the results page links to it as a page of its own. The results page itself never
calls the panels, so that its cost is that of the figures kept at closing."""

import pytest
from django.test import Client
from django.urls import reverse

from reperes.campaigns.models import Campaign
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire
from reperes.results import views
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.results.test_stored import closed_campaign_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(org_a, alice):
    load_definitions(only=["qvt-numerique"])
    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    return closed_campaign_with(org_a, alice, version, 12)


def urls(campaign):
    args = [campaign.organisation.slug, campaign.pk]
    return reverse("results:detail", args=args), reverse("results:panels", args=args)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_results_page_links_to_the_panels_and_loads_them_with_htmx(alice, closed, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the results page calls the panels itself")

    monkeypatch.setattr(views, "collect", never)
    detail, panels = urls(closed)
    html = logged_in(alice).get(detail).content.decode()
    # Without JavaScript, a link; with it, htmx replaces the link by what it points to.
    assert f'<a href="{panels}">Des pistes pour vos thèmes les plus fragiles' in html
    assert f'data-hx-get="{panels}"' in html
    assert 'data-hx-trigger="load"' in html
    # The htmx script is served by Repères itself, with the page's CSP nonce, and htmx is told
    # not to write the <style> element that the content security policy forbids.
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer nonce="' in html
    assert "includeIndicatorStyles" in html


def test_htmx_gets_the_panels_alone_and_a_browser_without_javascript_a_whole_page(alice, closed):
    _, panels = urls(closed)
    client = logged_in(alice)
    part = client.get(panels, headers={"HX-Request": "true"})
    assert part.status_code == 200
    fragment = part.content.decode()
    assert fragment.lstrip().startswith('<div id="pistes">')
    assert "<html" not in fragment
    assert "<h1" not in fragment

    page = client.get(panels)
    html = page.content.decode()
    assert "<h1>Des pistes pour vos thèmes les plus fragiles</h1>" in html
    assert f'href="{urls(closed)[0]}"' in html  # back to the results
    assert '<div id="pistes">' in html


def test_the_panels_start_from_the_team_s_weakest_themes(alice, closed, monkeypatch):
    seen = {}

    def recording(hook, **context):
        seen.update(context)
        return []

    monkeypatch.setattr(views, "collect", recording)
    _, panels = urls(closed)
    logged_in(alice).get(panels, headers={"HX-Request": "true"})
    assert seen["organisation"] == closed.organisation
    assert seen["campaign"] == closed
    assert seen["weak_themes"] and all(theme.startswith("qvt-numerique:") for theme in seen["weak_themes"])
    assert set(seen["theme_scores"]) == {theme["id"] for theme in closed.spec.themes}


def test_panels_of_results_not_shown_yet_send_back_to_the_results_page(alice, org_a):
    campaign = CampaignFactory(
        organisation=org_a, questionnaire_version=questionnaire_version("qvt-numerique")
    )
    assert campaign.state == Campaign.State.OPEN
    detail, panels = urls(campaign)
    html = logged_in(alice).get(detail).content.decode()
    assert panels not in html
    assert "htmx" not in html
    response = logged_in(alice).get(panels)
    assert response.status_code == 302
    assert response["Location"] == detail


def test_another_organisation_s_panels_are_a_404(dave, closed):
    _, panels = urls(closed)
    assert logged_in(dave).get(panels).status_code == 404
    assert logged_in(dave).get(panels, headers={"HX-Request": "true"}).status_code == 404


def test_a_cached_results_page_costs_a_bounded_number_of_queries(
    alice, closed, django_assert_max_num_queries
):
    detail, _ = urls(closed)
    client = logged_in(alice)
    client.get(detail)
    # Session, user, membership, campaign with its stored figures, priorities, cached HTML, and
    # the navigation's organisations and networks.
    with django_assert_max_num_queries(8):
        assert client.get(detail).status_code == 200
