"""Anonymity guarantees that the schema and the code must keep."""

import threading

import pytest
from django.db import connection, connections, models
from django.urls import reverse

from reperes.campaigns import actions
from reperes.campaigns.models import Answer, CampaignInvitation, Draft, Response
from tests.campaigns.factories import CampaignFactory

FORBIDDEN_NAMES = ("user", "email", "token", "ip", "agent", "address", "created_at", "updated_at", "time")


@pytest.mark.parametrize("model", [Response, Answer, Draft])
def test_answer_tables_hold_no_identity_no_address_and_no_time_finer_than_a_day(model):
    for field in model._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField | models.TimeField), field.name
        assert not isinstance(field, models.GenericIPAddressField), field.name
        if field.is_relation:
            assert field.related_model._meta.label not in {"accounts.User"}, field.name
            if model is not Draft:
                assert field.related_model not in {CampaignInvitation, Draft}, field.name
        if model is not Draft or field.name not in {"token_hash", "invitation"}:
            assert not any(word in field.name for word in FORBIDDEN_NAMES), field.name


def test_invitations_record_whether_not_what():
    names = {field.name for field in CampaignInvitation._meta.concrete_fields}
    assert names == {"id", "campaign", "email", "token_hash", "sent_on", "reminded_on", "used"}
    for field in CampaignInvitation._meta.concrete_fields:
        assert not isinstance(field, models.DateTimeField)


def test_response_ids_are_random_and_lists_follow_them():
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert Response._meta.ordering == ["id"]
    assert Answer._meta.pk.__class__.__name__ == "CompositePrimaryKey"


@pytest.mark.django_db
def test_responses_never_come_in_submission_order(org_a):
    campaign = CampaignFactory(organisation=org_a)
    submitted = []
    for _ in range(12):
        draft, _ = actions.start_draft(campaign)
        actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
        submitted.append(actions.submit(draft).pk)
    listed = list(campaign.responses.values_list("pk", flat=True))
    assert listed == sorted(submitted)  # ordered by the random id, not by arrival


@pytest.mark.django_db
def test_closing_erases_drafts_invitation_addresses_and_token_hashes(org_a, alice):
    campaign = CampaignFactory(organisation=org_a)
    actions.start_draft(campaign)
    CampaignInvitation.objects.create(
        campaign=campaign, email="eve@example.org", token_hash="a" * 64, sent_on="2026-11-01"
    )
    actions.close_campaign(campaign, by=alice)
    assert not campaign.drafts.exists()
    assert not campaign.invitations.exists()  # the rows go; their counts stay on the campaign
    campaign.refresh_from_db()
    assert (campaign.invitations_sent, campaign.invitations_answered) == (1, 0)


@pytest.mark.django_db
def test_answer_views_hide_post_data_from_error_reports(client, org_a):
    campaign = CampaignFactory(organisation=org_a)
    for name in ("intro", "start", "group", "review", "thanks"):
        response = client.post(reverse(f"answer:{name}", args=[campaign.share_id]))
        assert response.wsgi_request.sensitive_post_parameters == "__ALL__", name
    response = client.post(reverse("answer:theme", args=[campaign.share_id, 1]))
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


@pytest.mark.django_db(transaction=True)
def test_the_same_submission_sent_16_times_at_once_stores_one_response(org_a):
    campaign = CampaignFactory(organisation=org_a)
    draft, _ = actions.start_draft(campaign)
    actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
    barrier = threading.Barrier(16)
    outcomes = []

    def send():
        try:
            barrier.wait()
            stale = Draft.objects.get(pk=draft.pk)
            try:
                actions.submit(stale)
                outcomes.append("stored")
            except actions.AlreadySubmitted:
                outcomes.append("already")
        except Draft.DoesNotExist:
            outcomes.append("already")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) in (["already", "stored"], ["stored"])
    assert outcomes.count("stored") == 1
    assert len(outcomes) == 16
    assert Response.objects.filter(campaign=campaign).count() == 1
    assert connection.vendor in {"sqlite", "postgresql"}
