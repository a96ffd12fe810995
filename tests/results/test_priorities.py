import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Campaign
from reperes.lib.actions import ActionRefused
from reperes.results.actions import set_priorities
from tests.campaigns.factories import CampaignFactory
from tests.fiches.factories import create_fiche
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org_a):
    campaign = CampaignFactory(organisation=org_a, groups=[])
    for _ in range(5):
        draft, _ = campaign_actions.start_draft(campaign)
        campaign_actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "non"))
        campaign_actions.submit(draft)
    Campaign.objects.filter(pk=campaign.pk).update(state="closed", closed_on=timezone.localdate())
    campaign.refresh_from_db()
    return campaign


def url(campaign):
    return reverse("results:priorities", args=[campaign.organisation.slug, campaign.pk])


def test_lead_marks_priorities_and_the_dashboard_shows_them(client, alice, bob, campaign, org_a):
    client.force_login(alice)
    response = client.post(url(campaign), {"themes": ["temps", "management"]})
    assert response.status_code == 302
    assert [p.theme_id for p in campaign.priorities.all()] == ["temps", "management"]
    client.force_login(bob)
    dashboard = page_text(client.get(org_a.get_absolute_url()))
    assert "Nos priorités" in dashboard
    assert "Organisation du temps de travail" in dashboard
    assert reverse("fiches:detail", args=["temps-de-travail"]) in dashboard
    assert org_a.events.filter(verb="campaign.priorities_set").exists()


def test_more_than_three_priorities_are_refused(client, alice, campaign):
    client.force_login(alice)
    response = client.post(url(campaign), {"themes": ["projet", "temps", "espaces", "management"]})
    assert response.status_code == 200
    assert "3 thèmes au plus" in page_text(response)
    assert not campaign.priorities.exists()


def test_no_priority_is_refused(client, alice, campaign):
    client.force_login(alice)
    response = client.post(url(campaign), {})
    assert "Cochez au moins un thème" in page_text(response)


def test_member_cannot_set_priorities(client, bob, campaign):
    client.force_login(bob)
    assert client.post(url(campaign), {"themes": ["temps"]}).status_code == 404
    assert not campaign.priorities.exists()


def test_priorities_need_visible_results(alice, org_a):
    open_campaign = CampaignFactory(organisation=org_a)
    with pytest.raises(ActionRefused):
        set_priorities(open_campaign, theme_ids=["temps"], by=alice)


def test_weak_statements_link_to_their_question_in_the_fiche(client, bob, campaign):
    create_fiche(slug="temps-de-travail", theme="temps", number=3)
    client.force_login(bob)
    page = page_text(client.get(reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])))
    assert reverse("fiches:detail", args=["temps-de-travail"]) + "#question-temps-1" in page


def test_a_statement_that_its_fiche_does_not_ask_links_to_the_whole_fiche(client, bob, campaign):
    client.force_login(bob)
    page = page_text(client.get(reverse("results:detail", args=[campaign.organisation.slug, campaign.pk])))
    assert "#question-temps-1" not in page
    assert f'href="{reverse("fiches:detail", args=["temps-de-travail"])}"' in page
    assert "En parler : lire la fiche du thème" in page
