"""Campaign actions that take `by` record it in an event (issue 10, point 4), and settling a
campaign on read goes through the shared mechanism (lib/settling.py)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from reperes.campaigns import actions
from reperes.campaigns.models import Campaign
from reperes.lib import settling
from reperes.lib.actions import ActionRefused
from tests.campaigns.factories import CampaignFactory, questionnaire_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(org_a):
    return CampaignFactory(
        organisation=org_a,
        mode=Campaign.Mode.COLLECTIVE,
        groups=[],
        questionnaire_version=questionnaire_version("teletravail-crise"),
    )


def test_update_campaign_records_who_changed_it(alice, org_a):
    campaign = CampaignFactory(organisation=org_a, state=Campaign.State.DRAFT)
    actions.update_campaign(campaign, by=alice, groups=["Tous"], title="Nouveau titre")
    event = org_a.events.get(verb="campaign.updated")
    assert event.actor == alice and "Nouveau titre" in event.description


def test_refused_update_records_nothing(alice, org_a):
    campaign = CampaignFactory(organisation=org_a)
    with pytest.raises(ActionRefused):
        actions.update_campaign(campaign, by=alice, groups=["Tous"], title="x")
    assert not org_a.events.filter(verb="campaign.updated").exists()


def test_collective_answers_are_one_transaction_with_their_event(alice, org_a, meeting):
    first, second = meeting.spec.item_ids[:2]
    entries = {first: {"counts": {"plutot-oui": 3}}, second: {"counts": {"plutot-non": 1}}}
    with (
        mock.patch.object(actions, "record_event", side_effect=RuntimeError("panne")),
        pytest.raises(RuntimeError),
    ):
        actions.record_collective_answers(meeting, by=alice, entries=entries)
    assert not meeting.collective_answers.exists()
    actions.record_collective_answers(meeting, by=alice, entries=entries)
    assert meeting.collective_answers.count() == 2
    assert org_a.events.get(verb="campaign.collective_answers").actor == alice


def test_synthesis_lines_record_who_added_and_removed_them(alice, org_a, meeting):
    entry = actions.add_synthesis_entry(meeting, by=alice, item_id="crise-pistes", text="Une piste")
    actions.remove_synthesis_entry(meeting, by=alice, entry_id=entry.pk)
    assert org_a.events.get(verb="campaign.synthesis_added").actor == alice
    assert org_a.events.get(verb="campaign.synthesis_removed").actor == alice
    with pytest.raises(ActionRefused):
        actions.remove_synthesis_entry(meeting, by=alice, entry_id=entry.pk)
    assert org_a.events.filter(verb="campaign.synthesis_removed").count() == 1


def test_campaigns_settle_through_the_shared_mechanism(org_a):
    campaign = CampaignFactory(organisation=org_a, closes_on=timezone.localdate() - timedelta(days=1))
    with mock.patch.object(settling, "settle_if_due", wraps=settling.settle_if_due) as shared:
        assert actions.settle_if_due(campaign) is True
        assert actions.settle_if_due(campaign) is False
    assert shared.call_count == 2
    assert campaign.state == Campaign.State.CLOSED
    assert org_a.events.filter(verb="campaign.closed").count() == 1
