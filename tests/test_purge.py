"""The purges added for the retention registry (reperes/lib/retention.py): drafts and invitations
left after a campaign's close, invitations to organisations and networks past their validity,
the security log, sessions and django-axes' rows, mail counters and expired cache entries. Each
keeps what is recent, deletes what is old, and finds nothing the second time."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from reperes.accounts import jobs as accounts_jobs
from reperes.accounts.models import SecurityEvent, User
from reperes.campaigns import jobs as campaigns_jobs
from reperes.campaigns.models import Campaign, CampaignInvitation, Draft, hash_token
from reperes.lib import jobs as lib_jobs
from reperes.lib.models import MailCounter
from reperes.organisations import jobs as organisations_jobs
from reperes.organisations.actions import invitation_url
from reperes.organisations.jobs import INVITATIONS_KEPT_DAYS, UNVERIFIED_ACCOUNTS_DAYS
from reperes.organisations.models import Invitation, NetworkInvitation
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory
from tests.helpers import page_text
from tests.organisations.factories import (
    InvitationFactory,
    MembershipFactory,
    NetworkInvitationFactory,
    NetworkMembershipFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


# campaigns.purge


def invite(campaign, email, *, used=False, draft=False):
    invitation = CampaignInvitation.objects.create(
        campaign=campaign, email=email, token_hash=hash_token(email), sent_on=today(), used=used
    )
    if draft:
        Draft.objects.create(
            token_hash=hash_token(f"draft {email}"), campaign=campaign, invitation=invitation
        )
    return invitation


def test_drafts_and_invitations_left_on_a_closed_campaign_go_and_its_counts_stay(org_a):
    """A campaign closed before closing erased them: its invitation counts are kept first, as
    closing keeps them (two sent, one answered: used and no draft left)."""
    closed = CampaignFactory(organisation=org_a, state=Campaign.State.CLOSED, closed_on=today())
    invite(closed, "a@example.org", used=True)
    invite(closed, "b@example.org", used=True, draft=True)
    Draft.objects.create(token_hash=hash_token("lien"), campaign=closed)
    open_ = CampaignFactory(organisation=org_a)
    invite(open_, "c@example.org", used=True, draft=True)

    summary = campaigns_jobs.purge()

    assert summary == (
        "Diagnostics clôturés à leur date : 0 ; brouillons et invitations restés après la clôture "
        "effacés : 2 et 2."
    )
    closed.refresh_from_db()
    assert (closed.invitations_sent, closed.invitations_answered) == (2, 1)
    assert closed.response_rate == 50
    assert not closed.drafts.exists() and not closed.invitations.exists()
    # An open campaign's invitation and draft are the respondent's: untouched.
    assert list(open_.invitations.values_list("email", flat=True)) == ["c@example.org"]
    assert open_.drafts.count() == 1
    assert campaigns_jobs.purge().endswith("effacés : 0 et 0.")


def test_counts_kept_at_close_are_not_rewritten(org_a):
    closed = CampaignFactory(
        organisation=org_a,
        state=Campaign.State.CLOSED,
        closed_on=today(),
        invitations_sent=9,
        invitations_answered=7,
    )
    invite(closed, "a@example.org")

    campaigns_jobs.purge()

    closed.refresh_from_db()
    assert (closed.invitations_sent, closed.invitations_answered) == (9, 7)
    assert not closed.invitations.exists()


def test_a_campaign_past_its_date_is_closed_through_the_close_action_before_its_rows_go(
    org_a, alice, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(organisation=org_a)
    invite(campaign, "a@example.org", used=True)
    invite(campaign, "b@example.org", used=True, draft=True)
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=today() - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        summary = campaigns_jobs.purge()

    assert summary.startswith("Diagnostics clôturés à leur date : 1 ;")
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED
    assert (campaign.invitations_sent, campaign.invitations_answered) == (2, 1)
    assert not Draft.objects.exists() and not CampaignInvitation.objects.exists()


# organisations.purge


def test_invitations_go_a_week_after_their_validity_ended_whatever_their_state(org_a, network, alice):
    now = timezone.now()
    kept_days = organisations_jobs.INVITATIONS_KEPT_DAYS
    past = now - timedelta(days=kept_days, hours=1)
    recent = now - timedelta(days=kept_days - 1)
    pending = InvitationFactory(organisation=org_a, invited_by=alice)
    expired_recently = InvitationFactory(organisation=org_a, expires_at=recent)
    InvitationFactory(organisation=org_a, expires_at=past)
    InvitationFactory(organisation=org_a, expires_at=past, accepted_at=past - timedelta(days=3))
    InvitationFactory(organisation=org_a, expires_at=past, revoked_at=past - timedelta(days=3))
    network_pending = NetworkInvitationFactory(network=network)
    NetworkInvitationFactory(network=network, expires_at=past)

    assert organisations_jobs.purge() == (
        "Invitations échues depuis plus de 7 jours effacées : 3 à des structures, 1 à des réseaux. "
        "Comptes jamais confirmés effacés : 0."
    )
    assert set(Invitation.objects.values_list("pk", flat=True)) == {pending.pk, expired_recently.pk}
    assert list(NetworkInvitation.objects.values_list("pk", flat=True)) == [network_pending.pk]
    assert ": 0 à des structures, 0 à des réseaux." in organisations_jobs.purge()


def test_accounts_never_confirmed_go_a_month_after_sign_up_unless_they_were_used(alice, fiona, network):
    joined = timezone.now() - timedelta(days=UNVERIFIED_ACCOUNTS_DAYS, hours=1)

    def account(name, **fields):
        return UserFactory(
            email=f"{name}@example.org", **({"email_verified": False, "date_joined": joined} | fields)
        )

    forgotten = account("jamais")
    kept = [
        account("recent", date_joined=timezone.now() - timedelta(days=UNVERIFIED_ACCOUNTS_DAYS - 1)),
        account("connecte", last_login=joined),
        account("admin", is_staff=True),
        UserFactory(email="confirme@example.org", email_verified=True, date_joined=joined),
    ]
    member = account("membre")
    MembershipFactory(user=member)
    in_network = account("reseau")
    NetworkMembershipFactory(user=in_network, network=network)
    kept += [member, in_network]

    assert organisations_jobs.purge().endswith("Comptes jamais confirmés effacés : 1.")
    assert not User.objects.filter(pk=forgotten.pk).exists()
    assert User.objects.filter(pk__in=[u.pk for u in kept]).count() == len(kept)
    assert User.objects.filter(pk__in=[alice.pk, fiona.pk]).count() == 2
    assert organisations_jobs.purge().endswith("Comptes jamais confirmés effacés : 0.")


def test_a_purged_invitation_link_says_expired_not_unknown(client, monkeypatch, org_a, alice):
    """By the time its row goes, the signed link has expired too: the page says so."""
    sent = timezone.now() - timedelta(days=settings.INVITATION_MAX_AGE_DAYS + INVITATIONS_KEPT_DAYS)
    invitation = InvitationFactory(
        organisation=org_a,
        invited_by=alice,
        expires_at=sent + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    with monkeypatch.context() as patch:
        patch.setattr(signing, "time", SimpleNamespace(time=sent.timestamp))
        url = invitation_url(invitation).removeprefix(settings.SITE_URL)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=sent - timedelta(seconds=1))

    organisations_jobs.purge()

    assert not Invitation.objects.exists()
    response = client.get(url)
    assert response.status_code == 410
    assert "expir" in page_text(response)


# accounts.purge


def test_old_security_log_lines_go_even_when_the_account_writes_no_new_one(alice):
    now = timezone.now()
    old = SecurityEvent.objects.create(user=alice, kind="login", at=now - settings.SECURITY_LOG_RETENTION)
    SecurityEvent.objects.filter(pk=old.pk).update(
        at=now - settings.SECURITY_LOG_RETENTION - timedelta(hours=1)
    )
    recent = SecurityEvent.objects.create(user=alice, kind="login", at=now - timedelta(days=30))

    assert accounts_jobs.purge() == (
        "Comptes : 1 ligne(s) du journal de sécurité, 0 session(s) expirée(s), 0 trace(s) de "
        "connexion effacées."
    )
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_expired_sessions_go_and_live_ones_stay(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    live = SessionStore()
    live["x"] = 1
    live.create()
    stale = SessionStore()
    stale["x"] = 2
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )

    assert "1 session(s) expirée(s)" in accounts_jobs.purge()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert "0 session(s) expirée(s)" in accounts_jobs.purge()


def test_axes_rows_older_than_the_period_go():
    fields = {"ip_address": "192.0.2.1", "username": "x@example.org"}
    fields |= {"http_accept": "*/*", "path_info": "/compte/connexion/"}
    old = timezone.now() - timedelta(days=accounts_jobs.AXES_RECORDS_DAYS, hours=1)
    for model, extra in (
        (AccessAttempt, {"get_data": "", "post_data": "", "failures_since_start": 1}),
        (AccessLog, {}),
        (AccessFailureLog, {}),
    ):
        # bulk_create: axes hands every saved attempt to the login handler, which keeps nothing.
        stale, _ = model.objects.bulk_create(
            [model(**fields, **extra, user_agent=agent) for agent in ("ancien", "récent")]
        )
        model.objects.filter(pk=stale.pk).update(attempt_time=old)
        if model is AccessAttempt:
            AccessAttemptExpiration.objects.create(access_attempt=stale, expires_at=old)

    assert accounts_jobs.purge().endswith("3 trace(s) de connexion effacées.")
    assert [m.objects.count() for m in (AccessAttempt, AccessLog, AccessFailureLog)] == [1, 1, 1]
    assert not AccessAttemptExpiration.objects.exists()
    assert accounts_jobs.purge().endswith("0 trace(s) de connexion effacées.")


def test_the_throttle_memory_in_the_registry_is_the_rules_longest():
    assert accounts_jobs.longest_throttle_memory() == timedelta(days=1)


# lib.forget_counters


def test_old_mail_counters_and_expired_cache_entries_go():
    MailCounter.objects.create(scope="address", key="h1", day=today() - timedelta(days=2), count=3)
    yesterday = MailCounter.objects.create(scope="address", key="h1", day=today() - timedelta(days=1))
    cache.set("limits:test:live", 1, timeout=3600)
    cache.set("limits:test:expired", 1, timeout=3600)
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET expires = %s WHERE cache_key LIKE %s",
            [connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(minutes=1)), "%expired"],
        )

    assert (
        lib_jobs.forget_counters()
        == "Compteurs oubliés : 1 compteurs d'e-mails, 1 entrées expirées du cache."
    )
    assert list(MailCounter.objects.values_list("pk", flat=True)) == [yesterday.pk]
    assert cache.get("limits:test:live") == 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] == 1
    assert (
        lib_jobs.forget_counters()
        == "Compteurs oubliés : 0 compteurs d'e-mails, 0 entrées expirées du cache."
    )


def test_a_cache_that_is_not_a_table_is_left_to_itself(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert lib_jobs.forget_expired_cache_entries("default") == 0
