"""The listing's life: draft, review by the matchmaker (publish, send back, refuse), expiry
and extension, reports; and the request to be put in touch, which never gives an address
before both organisations agreed."""

from datetime import timedelta

import pytest
from django.core import mail

from reperes.lib.actions import ActionRefused
from reperes.listings import actions, jobs
from reperes.listings.models import Contact, Listing, Report
from tests.listings.conftest import TODAY, listing_values, make_listing
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_draft_goes_to_the_matchmaker_who_publishes_it(
    org_a, network, alice, mia, hugo, django_capture_on_commit_callbacks
):
    listing = actions.create_listing(org_a, network=network, by=alice, **listing_values())
    assert listing.state == Listing.State.DRAFT
    assert not Listing.objects.published().exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_listing(listing, by=alice)
    # The matchmaker is told, not the administrator, when there is a matchmaker.
    assert [m.to for m in mail.outbox] == [["mia@example.org"]]
    assert "Salle de réunion le vendredi" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        actions.review_listing(listing, decision="publish", by=mia)
    listing.refresh_from_db()
    assert listing.state == Listing.State.PUBLISHED
    assert listing.published_on == TODAY
    assert list(Listing.objects.visible_to_members(network)) == [listing]
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "publiée" in mail.outbox[-1].subject


def test_without_a_matchmaker_the_administrators_are_told(
    org_a, network, alice, hugo, django_capture_on_commit_callbacks
):
    listing = actions.create_listing(org_a, network=network, by=alice, **listing_values())
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_listing(listing, by=alice)
    assert [m.to for m in mail.outbox] == [["hugo@example.org"]]


def test_sent_back_then_corrected_then_published(org_a, network, alice, mia):
    listing = make_listing(org_a, network, alice, state="submitted")
    with pytest.raises(ActionRefused, match="ce qu'il faut changer"):
        actions.review_listing(listing, decision="send_back", comment="  ", by=mia)
    actions.review_listing(listing, decision="send_back", comment="Précisez les horaires.", by=mia)
    listing.refresh_from_db()
    assert listing.state == Listing.State.SENT_BACK
    actions.update_listing(listing, by=alice, availability="le vendredi de 9 h à 17 h")
    actions.submit_listing(listing, by=alice)
    actions.review_listing(listing, decision="publish", by=mia)
    listing.refresh_from_db()
    assert listing.state == Listing.State.PUBLISHED
    assert listing.availability == "le vendredi de 9 h à 17 h"


def test_refusal_needs_a_reason_and_is_final(org_a, network, alice, mia):
    listing = make_listing(org_a, network, alice, state="submitted")
    with pytest.raises(ActionRefused, match="pourquoi"):
        actions.review_listing(listing, decision="refuse", by=mia)
    actions.review_listing(listing, decision="refuse", comment="Hors du champ du réseau.", by=mia)
    with pytest.raises(ActionRefused):
        actions.update_listing(Listing.objects.get(pk=listing.pk), by=alice, title="Autre")
    with pytest.raises(ActionRefused, match="n'attend pas de relecture"):
        actions.review_listing(listing, decision="publish", by=mia)


def test_editing_a_published_listing_hides_it_until_checked_again(premises, alice, network):
    actions.update_listing(premises, by=alice, description="Désormais aussi le lundi.")
    premises.refresh_from_db()
    assert premises.state == Listing.State.SUBMITTED
    assert not Listing.objects.visible_to_members(network).exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        (TODAY + timedelta(days=10), TODAY + timedelta(days=5), "avant la date de début"),
        (None, TODAY - timedelta(days=1), "déjà passée"),
        (None, TODAY + timedelta(days=400), "un an au plus"),
    ],
)
def test_bad_dates_are_refused(org_a, network, alice, starts_on, ends_on, message):
    with pytest.raises(ActionRefused, match=message):
        actions.create_listing(
            org_a, network=network, by=alice, **listing_values(starts_on=starts_on, ends_on=ends_on)
        )
    assert not Listing.objects.exists()


def test_an_organisation_outside_the_network_cannot_publish_there(network, alice):
    outsider = OrganisationFactory()
    with pytest.raises(ActionRefused, match="ne fait pas partie"):
        actions.create_listing(outsider, network=network, by=alice, **listing_values())


def test_expiry_notice_once_then_extension(premises, alice, django_capture_on_commit_callbacks):
    premises.ends_on = TODAY + timedelta(days=5)
    premises.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.notify_expiring() == 1
        assert actions.notify_expiring() == 0  # once per end date
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "se termine" in mail.outbox[0].subject
    # Past its end date, it leaves the members' lists by itself…
    premises.ends_on = TODAY - timedelta(days=1)
    premises.save()
    assert premises.is_expired
    assert not Listing.objects.published().exists()
    # …and its author can bring it back without a new review.
    actions.extend_listing(premises, ends_on=TODAY + timedelta(days=60), by=alice)
    premises.refresh_from_db()
    assert premises.is_visible_to_members
    assert premises.expiry_notice_on is None
    with pytest.raises(ActionRefused, match="après la date actuelle"):
        actions.extend_listing(premises, ends_on=TODAY + timedelta(days=30), by=alice)


def test_a_member_reports_a_listing_once(premises, org_b, dave, mia):
    report = actions.report_listing(premises, organisation=org_b, reason="Plus disponible.", by=dave)
    with pytest.raises(ActionRefused, match="déjà signalé"):
        actions.report_listing(premises, organisation=org_b, reason="Encore.", by=dave)
    actions.handle_report(report, by=mia)
    assert Report.objects.get().handled_by == mia
    with pytest.raises(ActionRefused, match="déjà été traité"):
        actions.handle_report(report, by=mia)


def test_a_request_shows_no_address_until_a_case_introduces_them(
    premises, org_b, dave, alice, mia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = actions.ask_contact(
            premises, organisation=org_b, message="Pour nos CA du vendredi.", by=dave
        )
    # The matchmaker hears of it; no address of either side is in that mail.
    assert mail.outbox[-1].to == ["mia@example.org"]
    assert "dave@example.org" not in mail.outbox[-1].body
    assert "alice@example.org" not in mail.outbox[-1].body
    with pytest.raises(ActionRefused, match="n'attend pas votre réponse"):
        actions.answer_contact(contact, accept=True, by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        actions.forward_contact(contact, by=mia)
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "dave@example.org" not in mail.outbox[-1].body
    with pytest.raises(ActionRefused, match="déjà été transmise"):
        actions.forward_contact(contact, by=mia)
    actions.answer_contact(contact, accept=True, by=alice)
    contact.refresh_from_db()
    assert contact.both_agreed and contact.state == Contact.State.ACCEPTED
    # The case's introduction (reperes.matchmaking) marks it done, once, sending nothing here.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_introduced(contact, by=mia)
        actions.mark_introduced(contact, by=mia)
    contact.refresh_from_db()
    assert contact.state == Contact.State.INTRODUCED and contact.introduced_by == mia
    assert mail.outbox == []


def test_a_declined_request_is_never_introduced(premises, org_b, dave, alice, mia):
    contact = actions.ask_contact(premises, organisation=org_b, message="Bonjour", by=dave)
    actions.forward_contact(contact, by=mia)
    actions.answer_contact(contact, accept=False, by=alice)
    with pytest.raises(ActionRefused, match="décliné"):
        actions.mark_introduced(contact, by=mia)
    # Declined, the organisation may ask again later.
    actions.ask_contact(premises, organisation=org_b, message="Et pour le mois prochain ?", by=dave)


def test_contacting_oneself_twice_or_an_unpublished_listing_is_refused(premises, org_a, org_b, alice, dave):
    with pytest.raises(ActionRefused, match="vous-même"):
        actions.ask_contact(premises, organisation=org_a, message="Bonjour", by=alice)
    actions.ask_contact(premises, organisation=org_b, message="Bonjour", by=dave)
    with pytest.raises(ActionRefused, match="déjà demandé"):
        actions.ask_contact(premises, organisation=org_b, message="Bonjour encore", by=dave)
    assert Contact.objects.count() == 1
    actions.withdraw_listing(premises, by=alice)
    assert Contact.objects.get().state == Contact.State.DECLINED
    with pytest.raises(ActionRefused, match="plus en ligne"):
        actions.ask_contact(premises, organisation=org_b, message="Bonjour", by=dave)


def test_contact_requests_count_in_the_mail_quotas(premises, org_b, dave, mia, settings):
    settings.MAIL_QUOTA_ORGANISATION_PER_DAY = 0
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = 0
    with pytest.raises(ActionRefused, match="par jour"):
        actions.ask_contact(premises, organisation=org_b, message="Bonjour", by=dave)
    assert not Contact.objects.exists()


def test_purge_forgets_what_outlived_its_purpose(premises, org_b, dave, mia, alice):
    contact = actions.ask_contact(premises, organisation=org_b, message="Bonjour", by=dave)
    actions.forward_contact(contact, by=mia)
    actions.answer_contact(contact, accept=False, by=alice)
    Contact.objects.update(answered_at=contact.created_at - timedelta(days=400))
    Listing.objects.update(ends_on=TODAY - timedelta(days=10))
    jobs.purge()
    assert not Contact.objects.exists()
    assert Listing.objects.count() == 1  # ended ten days ago: kept a year
    Listing.objects.update(ends_on=TODAY - timedelta(days=400))
    jobs.purge()
    assert not Listing.objects.exists()
