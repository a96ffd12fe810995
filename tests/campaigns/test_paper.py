import pytest
from django.urls import reverse

from reperes.campaigns.models import Campaign, Response, new_token
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def sheet(campaign, value="nsp", group="aucun", skip=(), key=None):
    data = {"group": group, "sheet_key": key or new_token()}
    for item_id in campaign.spec.item_ids:
        if item_id not in skip:
            data[item_id] = value
    return data


def test_printable_sheet_lists_every_statement_and_group(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    page = page_text(client.get(reverse("campaigns:paper_sheet", args=[org_a.slug, campaign.pk])))
    assert page.count("☐") == 30 * 3 + 4  # 3 boxes per statement, 3 groups + « ne pas le dire »
    assert "sans écrire votre nom" in page


def test_paper_sheets_count_towards_k_once_a_second_member_attests_them(client, alice, bob, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    url = reverse("campaigns:paper_entry", args=[org_a.slug, campaign.pk])
    for _ in range(5):
        response = client.post(url, sheet(campaign, group=str(campaign.groups.first().pk)))
        assert response["Location"] == url
    assert Response.objects.filter(source="paper").count() == 5
    assert org_a.events.filter(verb="campaign.paper_entered").count() == 5
    campaign.refresh_from_db()
    assert campaign.countable_response_count == 0  # typed by one person alone: no threshold

    batch = campaign.paper_batches.get()
    attest = reverse("campaigns:paper_attest", args=[org_a.slug, campaign.pk, batch.pk])
    client.post(attest, {"sheets": 5})  # the typist cannot attest their own batch
    batch.refresh_from_db()
    assert not batch.is_attested
    client.force_login(bob)
    client.post(attest, {"sheets": 5})
    batch.refresh_from_db()
    assert batch.is_attested and batch.attested_by_name == str(bob)
    Campaign.objects.filter(pk=campaign.pk).update(state="closed")
    assert Campaign.objects.get(pk=campaign.pk).results_visible


def test_incomplete_sheet_is_pointed_out_and_kept(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(alice)
    url = reverse("campaigns:paper_entry", args=[org_a.slug, campaign.pk])
    response = client.post(url, sheet(campaign, value="oui", skip=("temps-3",)))
    assert response.status_code == 400
    page = page_text(response)
    assert "Reportez la réponse" in page
    assert page.count('value="oui" checked') + page.count("checked") >= 29
    assert not Response.objects.exists()


def test_paper_entry_refused_on_a_closed_campaign(client, alice, org_a):
    campaign = CampaignFactory(organisation=org_a, state=Campaign.State.CLOSED)
    client.force_login(alice)
    response = client.post(
        reverse("campaigns:paper_entry", args=[org_a.slug, campaign.pk]), sheet(campaign), follow=True
    )
    assert "pendant que le diagnostic est ouvert" in page_text(response)
    assert not Response.objects.exists()


def test_member_cannot_type_sheets(client, bob, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client.force_login(bob)
    assert (
        client.post(
            reverse("campaigns:paper_entry", args=[org_a.slug, campaign.pk]), sheet(campaign)
        ).status_code
        == 404
    )
