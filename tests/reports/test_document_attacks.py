"""Attacks on prepared documents (issue 11): a curious member, a member of another
organisation, a network role, an anonymous visitor, a script. Each test performs one attack
and shows it fails (THREATS.md: reaching across tenants, abuse, scanners and retries)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Campaign
from reperes.charters.actions import create_charter
from reperes.charters.models import Instrument
from reperes.lib.http import safe_filename
from reperes.organisations.models import Membership, Role
from reperes.reports import actions as report_actions
from reperes.reports.actions import (
    MAX_CURRENT_PER_ORGANISATION,
    MAX_CURRENT_PER_PERSON,
    MAX_QUEUED_PER_ORGANISATION,
    TOO_MANY_QUEUED,
    TOO_MANY_TODAY,
    build_document,
    request_document,
    retry_document,
)
from reperes.reports.models import PreparedDocument
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NAMES = ("reports:document", "reports:document_file")


@pytest.fixture
def queued(settings):
    settings.TASKS = DATABASE_TASKS


def answered_campaign(organisation, count=5, **fields):
    campaign = CampaignFactory(organisation=organisation, groups=[], **fields)
    for _ in range(count):
        draft, _ = campaign_actions.start_draft(campaign)
        campaign_actions.save_answers(draft, dict.fromkeys(campaign.spec.item_ids, "oui"))
        campaign_actions.submit(draft)
    return campaign


def closed(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(state="closed", closed_on=timezone.localdate())
    campaign.refresh_from_db()
    return campaign


def file_url(document):
    return reverse("reports:document_file", args=[document.organisation.slug, document.pk])


def retry_url(document):
    return reverse("reports:document_retry", args=[document.organisation.slug, document.pk])


def assert_unreachable(client, document, *slugs):
    """Page, file and retry give a 404 under every slug, and nothing is written."""
    before = PreparedDocument.objects.count()
    for slug in slugs:
        for name in NAMES:
            response = client.get(reverse(name, args=[slug, document.pk]))
            assert response.status_code == 404, (name, slug)
            assert b"%PDF" not in response.content and b"PK" not in response.content[:2]
        assert client.post(reverse("reports:document_retry", args=[slug, document.pk])).status_code == 404
    assert PreparedDocument.objects.count() == before


# Reaching across tenants


def test_another_organisations_report_is_a_404_under_either_slug(client_of, alice, dave, org_a, org_b):
    campaign = closed(answered_campaign(org_b))
    document = request_document(
        org_b, by=dave, kind="report_pdf", params={"campaign_id": str(campaign.pk)}, title="Rapport"
    )
    assert document.is_ready
    assert_unreachable(client_of(alice), document, org_a.slug, org_b.slug)


def test_a_member_of_both_organisations_cannot_carry_a_document_across_slugs(
    client_of, bob, dave, org_a, org_b
):
    """bob is a plain member of A and lead of B: B's kit is not reachable under A's address."""
    MembershipFactory(organisation=org_b, user=bob, role=Role.LEAD)
    charter = create_charter(org_b, by=dave, instrument=Instrument.RATIFIED, title="Accord")
    document = request_document(org_b, by=dave, kind="ratification_kit", params={"charter_id": charter.pk})
    client = client_of(bob)
    assert_unreachable(client, document, org_a.slug)
    assert client.get(file_url(document)).status_code == 200


@pytest.mark.parametrize("persona", ["fiona", "nina", "hugo", None])
def test_network_roles_and_anonymous_visitors_reach_no_document(client_of, personas, alice, org_a, persona):
    document = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    client = client_of(personas[persona] if persona else None)
    for name in NAMES:
        response = client.get(reverse(name, args=[org_a.slug, document.pk]))
        assert response.status_code in (302, 404)
        if response.status_code == 302:  # an anonymous visitor is sent to the login page
            assert response["Location"].startswith(reverse("accounts:login"))
        assert not response.content.startswith(b"PK")
    assert client.post(retry_url(document)).status_code in (302, 404)
    assert PreparedDocument.objects.count() == 1


def test_a_member_cannot_fetch_or_retry_a_pilot_only_kit(client_of, alice, bob, org_a):
    charter = create_charter(org_a, by=alice, instrument=Instrument.RATIFIED, title="Accord")
    document = request_document(org_a, by=alice, kind="ratification_kit", params={"charter_id": charter.pk})
    assert_unreachable(client_of(bob), document, org_a.slug)
    # Nor ask for it through the kit's own address.
    kit = reverse("charters:kit", args=[org_a.slug, charter.pk])
    assert client_of(bob).post(kit).status_code == 404
    assert PreparedDocument.objects.count() == 1


def test_a_pilots_report_is_readable_by_a_member_as_the_original_download_is(client_of, alice, bob, org_a):
    """Same ability as the download it comes from (take_part): a member could ask for it too."""
    campaign = closed(answered_campaign(org_a))
    document = request_document(org_a, by=alice, kind="report_pdf", params={"campaign_id": str(campaign.pk)})
    response = client_of(bob).get(file_url(document))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert (
        client_of(bob).post(reverse("reports:report_pdf", args=[org_a.slug, campaign.pk])).status_code == 200
    )


def test_a_removed_member_loses_the_documents_at_once(client_of, alice, bob, org_a):
    document = request_document(org_a, by=bob, kind="usage_charter", params={"fmt": "docx"})
    client = client_of(bob)
    assert client.get(file_url(document)).status_code == 200
    Membership.objects.filter(organisation=org_a, user=bob).delete()
    for name in NAMES:
        assert client.get(reverse(name, args=[org_a.slug, document.pk])).status_code == 404
    assert client.post(retry_url(document)).status_code == 404


def test_a_demoted_pilot_loses_the_kit(client_of, alice, carol, org_a):
    charter = create_charter(org_a, by=alice, instrument=Instrument.RATIFIED, title="Accord")
    document = request_document(org_a, by=carol, kind="ratification_kit", params={"charter_id": charter.pk})
    assert client_of(carol).get(file_url(document)).status_code == 200
    Membership.objects.filter(organisation=org_a, user=carol).update(role=Role.MEMBER)
    assert client_of(carol).get(file_url(document)).status_code == 404


# Parameters tampering: what the views pass comes from the address, never from the form


def test_posted_kind_and_params_are_ignored(client_of, bob, dave, org_a, org_b):
    mine = closed(answered_campaign(org_a))
    theirs = closed(answered_campaign(org_b))
    charter_b = create_charter(org_b, by=dave, instrument=Instrument.RATIFIED, title="Accord")
    client = client_of(bob)
    response = client.post(
        reverse("reports:report_pdf", args=[org_a.slug, mine.pk]),
        {
            "kind": "ratification_kit",
            "params": f'{{"charter_id": {charter_b.pk}}}',
            "campaign_id": str(theirs.pk),
            "organisation": org_b.pk,
        },
    )
    assert response.status_code == 200
    (document,) = PreparedDocument.objects.all()
    assert (document.organisation, document.kind, document.params) == (
        org_a,
        "report_pdf",
        {"campaign_id": str(mine.pk)},
    )
    # Another organisation's campaign or charter in the address: 404, nothing asked for.
    assert client.post(reverse("reports:report_pdf", args=[org_a.slug, theirs.pk])).status_code == 404
    assert client.post(reverse("charters:export", args=[org_a.slug, charter_b.pk, "pdf"])).status_code == 404
    assert PreparedDocument.objects.count() == 1


def test_builders_only_read_the_requesting_organisation(alice, dave, org_a, org_b):
    """Even a row written with another organisation's ids builds nothing of theirs."""
    theirs = closed(answered_campaign(org_b))
    charter_b = create_charter(org_b, by=dave, instrument=Instrument.RATIFIED, title="Accord de Bois")
    report = request_document(org_a, by=alice, kind="report_pdf", params={"campaign_id": str(theirs.pk)})
    text = request_document(
        org_a, by=alice, kind="charter_text", params={"charter_id": charter_b.pk, "fmt": "docx"}
    )
    kit = request_document(org_a, by=alice, kind="ratification_kit", params={"charter_id": charter_b.pk})
    for document in (report, text, kit):
        assert document.status == "failed" and not bytes(document.content)


def test_an_unknown_kind_is_refused_before_anything_is_written(alice, org_a):
    with pytest.raises(LookupError):
        request_document(org_a, by=alice, kind="../../etc/passwd", params={})
    assert not PreparedDocument.objects.exists()


# Anonymity: reports of campaigns whose results are not shown stay refused, whatever the path


def test_a_report_below_the_threshold_is_refused_whatever_the_path(client_of, alice, org_a, queued):
    campaign = closed(answered_campaign(org_a, count=4))
    client = client_of(alice)
    response = client.post(reverse("reports:report_pdf", args=[org_a.slug, campaign.pk]))
    assert response.status_code == 409
    assert not PreparedDocument.objects.exists()
    # Straight through the action (as a retry would), with the worker building it.
    document = request_document(org_a, by=alice, kind="report_pdf", params={"campaign_id": str(campaign.pk)})
    assert build_document.call(str(document.pk)) == "failed"
    document.refresh_from_db()
    assert "protègent l'anonymat" in document.error and not bytes(document.content)
    assert client.get(file_url(document))["Location"] == document.get_absolute_url()
    retried = retry_document(document, by=alice)
    assert build_document.call(str(retried.pk)) == "failed"


def test_a_report_of_an_open_campaign_is_refused_even_queued(client_of, alice, org_a, queued):
    campaign = answered_campaign(org_a, count=6)
    assert (
        client_of(alice).post(reverse("reports:report_pdf", args=[org_a.slug, campaign.pk])).status_code
        == 409
    )
    document = request_document(org_a, by=alice, kind="report_pdf", params={"campaign_id": str(campaign.pk)})
    # Still open when the worker runs it (postponed meanwhile, say): refused.
    campaign_actions.postpone_campaign(campaign, by=alice, closes_on=campaign.closes_on + timedelta(days=7))
    assert build_document.call(str(document.pk)) == "failed"
    document.refresh_from_db()
    assert document.error == "Les résultats s'exportent une fois le diagnostic clôturé."


def test_a_report_of_a_campaign_past_its_date_closes_it_properly_first(alice, org_a, queued):
    """The worker reads a campaign past its date that nobody opened since: it is closed through
    close_campaign (the anonymous rows rewritten, the pilots told once) before any figure."""
    campaign = answered_campaign(org_a, count=5)
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    document = request_document(org_a, by=alice, kind="report_pdf", params={"campaign_id": str(campaign.pk)})
    assert build_document.call(str(document.pk)) == "ready"
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED and campaign.closing_figures


# Documents not ready, expired, retried


def test_a_queued_document_gives_no_bytes(client_of, alice, org_a, queued):
    document = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    response = client_of(alice).get(file_url(document))
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert response.content == b""


def test_an_expired_document_gives_no_bytes_even_before_the_purge(client_of, alice, org_a):
    document = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    PreparedDocument.objects.filter(pk=document.pk).update(expires=timezone.now())
    response = client_of(alice).get(file_url(document))
    assert response.status_code == 302 and not response.content.startswith(b"PK")
    assert client_of(alice).get(document.get_absolute_url()).status_code == 410


def test_a_get_of_the_retry_address_changes_nothing(client_of, alice, org_a):
    document = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    PreparedDocument.objects.filter(pk=document.pk).update(expires=timezone.now())
    assert client_of(alice).get(retry_url(document)).status_code == 405
    assert PreparedDocument.objects.count() == 1


# Floods: a loop of requests fills neither the queue nor the database


def test_a_loop_of_posts_queues_a_bounded_number_of_documents(client_of, alice, org_a, queued):
    client = client_of(alice)
    charters = [
        create_charter(org_a, by=alice, instrument=Instrument.CHARTER, title=f"T{i}") for i in range(8)
    ]
    for charter in charters:
        for fmt in ("pdf", "docx"):
            for _ in range(3):
                client.post(reverse("charters:export", args=[org_a.slug, charter.pk, fmt]))
    assert PreparedDocument.objects.filter(status="queued").count() == MAX_QUEUED_PER_ORGANISATION
    assert DBTaskResult.objects.count() == MAX_QUEUED_PER_ORGANISATION
    # The refusals are one row per kind and parameters, without content, reused.
    refusals = PreparedDocument.objects.filter(error=TOO_MANY_QUEUED)
    assert refusals.count() == 2 * len(charters) - MAX_QUEUED_PER_ORGANISATION
    response = client.post(reverse("charters:export", args=[org_a.slug, charters[-1].pk, "pdf"]), follow=True)
    assert response.status_code == 429
    assert "déjà en préparation" in page_text(response)
    assert refusals.count() == 2 * len(charters) - MAX_QUEUED_PER_ORGANISATION


def test_a_loop_of_posts_with_the_immediate_backend_stops_at_the_daily_limit(
    client_of, bob, org_a, monkeypatch
):
    monkeypatch.setattr(report_actions, "MAX_CURRENT_PER_PERSON", 4)
    client = client_of(bob)
    url = reverse("telework:usage_document_file", args=[org_a.slug, "docx"])
    responses = [client.post(url) for _ in range(10)]
    assert [r.status_code for r in responses] == [200] * 4 + [302] * 6
    assert PreparedDocument.objects.filter(status="ready").count() == 4
    assert PreparedDocument.objects.filter(error=TOO_MANY_TODAY).count() == 1
    refused = client.get(responses[-1]["Location"])
    assert refused.status_code == 429
    assert "réessayez demain" in page_text(refused)
    # The refusal's retry button refuses again, without a new row.
    assert client.post(retry_url(PreparedDocument.objects.get(error=TOO_MANY_TODAY))).status_code == 302
    assert PreparedDocument.objects.count() == 5


def test_the_organisation_limit_holds_across_members(alice, bob, carol, org_a, monkeypatch):
    monkeypatch.setattr(report_actions, "MAX_CURRENT_PER_ORGANISATION", 3)
    for user, fmt in ((alice, "pdf"), (bob, "docx"), (carol, "pdf")):
        assert request_document(org_a, by=user, kind="usage_charter", params={"fmt": fmt}).is_ready
    refused = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    assert refused.is_failed and refused.error == TOO_MANY_TODAY
    # An expired document no longer counts.
    PreparedDocument.objects.filter(status="ready").update(expires=timezone.now())
    assert request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"}).is_ready


def test_limits_are_sensible(settings):
    assert 1 <= MAX_QUEUED_PER_ORGANISATION <= 20
    assert MAX_QUEUED_PER_ORGANISATION <= MAX_CURRENT_PER_PERSON <= MAX_CURRENT_PER_ORGANISATION <= 500


def test_another_organisations_flood_does_not_block_mine(alice, dave, org_a, org_b, queued):
    for fmt in ("pdf", "docx"):
        request_document(org_b, by=dave, kind="usage_charter", params={"fmt": fmt})
    PreparedDocument.objects.filter(organisation=org_b).update(status="queued")
    for i in range(MAX_QUEUED_PER_ORGANISATION):
        PreparedDocument.objects.create(organisation=org_b, kind="usage_charter", key=f"x{i}", params={})
    assert request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "pdf"}).status == "queued"


# Response headers


def test_download_headers_are_safe(client_of, alice, org_a):
    campaign = closed(answered_campaign(org_a, title='Rapport"; filename="evil.exe\r\nX-Injected: 1'))
    response = client_of(alice).post(reverse("reports:report_pdf", args=[org_a.slug, campaign.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="rapport-') and disposition.endswith('.pdf"')
    assert disposition.count('"') == 2 and "\r" not in disposition and "\n" not in disposition
    assert "X-Injected" not in response
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    document = PreparedDocument.objects.get()
    again = client_of(alice).get(file_url(document))
    assert again["Content-Disposition"] == disposition and "no-store" in again["Cache-Control"]


def test_a_builders_hostile_filename_is_cleaned_before_it_is_stored():
    assert safe_filename('a"; b\r\nX: y/../é.pdf') == "a-b-X-y-..-.pdf"
    assert safe_filename("") == "document"
    assert safe_filename("...") == "document"


def test_the_document_page_of_another_member_shows_no_requester(client_of, alice, bob, org_a):
    """The page says nothing of who asked (the requester's name is not shown to colleagues)."""
    document = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    text = page_text(client_of(bob).get(document.get_absolute_url()))
    assert "alice@example.org" not in text


def test_a_stranger_with_an_account_gets_the_same_404_as_for_nothing(client_of, alice, org_a):
    stranger = UserFactory(email="eve@example.org")
    document = request_document(org_a, by=alice, kind="usage_charter", params={"fmt": "docx"})
    client = client_of(stranger)
    real = client.get(reverse("reports:document", args=[org_a.slug, document.pk]))
    fake = client.get(reverse("reports:document", args=[org_a.slug, "00000000-0000-0000-0000-000000000000"]))
    assert real.status_code == fake.status_code == 404
    assert page_text(real) == page_text(fake)
