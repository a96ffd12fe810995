from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from reperes.lib import limits
from reperes.lib.errors import too_many_requests
from reperes.lib.limits import MailQuotaExceeded, Throttled, hit, mail_quota, reserve_mails
from reperes.lib.models import MailCounter
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.organisations.factories import OrganisationFactory

# Attempts


def test_hit_raises_past_the_limit_and_says_when_to_retry():
    for _ in range(3):
        hit("essai", "1.2.3.4", limit=3, period=3600)
    with pytest.raises(Throttled) as caught:
        hit("essai", "1.2.3.4", limit=3, period=3600)
    assert 0 < caught.value.retry_after <= 3600
    assert caught.value.message.startswith("Trop de tentatives. Réessayez dans ")


def test_hit_counts_each_scope_and_key_apart():
    for _ in range(3):
        hit("essai", "a", limit=3, period=60)
    hit("essai", "b", limit=3, period=60)
    hit("autre", "a", limit=3, period=60)


def test_hit_starts_again_in_the_next_window():
    with mock.patch("reperes.lib.limits.time.time", return_value=7200.0):
        hit("essai", "a", limit=1, period=3600)
        with pytest.raises(Throttled) as caught:
            hit("essai", "a", limit=1, period=3600)
        assert caught.value.retry_after == 3600
    with mock.patch("reperes.lib.limits.time.time", return_value=10800.0):
        hit("essai", "a", limit=1, period=3600)


def test_hit_survives_a_counter_evicted_between_add_and_incr():
    with mock.patch.object(cache, "incr", side_effect=ValueError):
        hit("essai", "a", limit=1, period=60)


def test_hit_keeps_no_address_in_clear_in_the_cache():
    hit("essai", "203.0.113.9", limit=5, period=60)
    keys = list(cache._cache) if hasattr(cache, "_cache") else []
    assert keys and not any("203.0.113.9" in key for key in keys)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "dans une minute"),
        (59, "dans une minute"),
        (61, "dans 2 minutes"),
        (12 * 60, "dans 12 minutes"),
        (3599, "dans 60 minutes"),
        (3600, "dans une heure"),
        (3601, "dans 2 heures"),
    ],
)
def test_durations_are_rounded_up_in_french(seconds, words):
    assert limits.in_duration(seconds) == words


def test_429_page_is_french_and_says_when(rf):
    response = too_many_requests(rf.get("/"), Throttled(12 * 60 - 5))
    assert response.status_code == 429
    assert response["Retry-After"] == "715"
    text = page_text(response)
    assert "Trop de tentatives" in text
    assert "Réessayez dans 12 minutes, vers " in text
    assert '<html lang="fr">' in text


# Emails


@pytest.fixture
def old_org(db):
    organisation = OrganisationFactory()
    organisation.created_at = timezone.now() - timedelta(days=30)
    organisation.save(update_fields=["created_at"])
    return organisation


@pytest.fixture
def quotas(settings):
    settings.MAIL_QUOTA_ORGANISATION_PER_DAY = 10
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = 4
    settings.MAIL_QUOTA_ACCOUNT_PER_DAY = 12
    settings.MAIL_QUOTA_ADDRESS_PER_DAY = 2
    return settings


def test_organisation_quota_counts_and_shows_what_is_left(quotas, old_org):
    reserve_mails(count=7, organisation=old_org)
    assert mail_quota(old_org) == {"limit": 10, "used": 7, "left": 3, "new": False}
    with pytest.raises(MailQuotaExceeded) as caught:
        reserve_mails(count=4, organisation=old_org)
    assert "il en reste 3 aujourd'hui" in caught.value.message
    assert str(caught.value) == caught.value.message
    reserve_mails(count=3, organisation=old_org)
    assert mail_quota(old_org)["left"] == 0


def test_new_organisation_gets_a_tighter_quota(quotas, db):
    organisation = OrganisationFactory()
    assert mail_quota(organisation)["limit"] == 4
    with pytest.raises(MailQuotaExceeded) as caught:
        reserve_mails(count=5, organisation=organisation)
    assert "moins de 7 jours" in caught.value.message


def test_nothing_is_reserved_when_one_limit_is_exceeded(quotas, old_org):
    user = UserFactory()
    reserve_mails(count=10, user=user)  # the account has 2 left, the organisation 10
    with pytest.raises(MailQuotaExceeded) as caught:
        reserve_mails(count=5, organisation=old_org, user=user)
    assert "Votre compte" in caught.value.message
    assert mail_quota(old_org)["used"] == 0


def test_quota_is_per_day(quotas, old_org):
    reserve_mails(count=10, organisation=old_org)
    tomorrow = timezone.now() + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        reserve_mails(count=10, organisation=old_org)
        # Counters from before yesterday go as new ones are created.
        assert MailCounter.objects.count() == 2


def test_old_counters_are_deleted(quotas, old_org):
    MailCounter.objects.create(scope="organisation", key="x", day=timezone.localdate() - timedelta(days=3))
    reserve_mails(count=1, organisation=old_org)
    assert not MailCounter.objects.filter(key="x").exists()


def test_address_quota_keeps_no_address_in_clear(quotas, db):
    reserve_mails(count=1, address="Someone@Example.org")
    reserve_mails(count=1, address="someone@example.org")
    with pytest.raises(MailQuotaExceeded):
        reserve_mails(count=1, address="someone@example.org ")
    assert not MailCounter.objects.filter(key__icontains="example").exists()


def test_a_rolled_back_change_gives_its_emails_back(quotas, old_org):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        reserve_mails(count=8, organisation=old_org)
        raise RuntimeError
    assert mail_quota(old_org)["used"] == 0


def test_zero_emails_reserve_nothing(quotas, old_org):
    reserve_mails(count=0, organisation=old_org)
    assert not MailCounter.objects.exists()


def test_mail_requests_are_counted_per_client_address(rf, settings):
    settings.MAIL_REQUESTS_PER_CLIENT_PER_HOUR = 2
    for _ in range(2):
        limits.count_mail_request(rf.post("/", REMOTE_ADDR="203.0.113.9"))
    limits.count_mail_request(rf.post("/", REMOTE_ADDR="203.0.113.10"))
    with pytest.raises(Throttled):
        limits.count_mail_request(rf.post("/", REMOTE_ADDR="203.0.113.9"))


def test_may_send_to_says_no_quietly_past_the_address_quota(quotas, db):
    assert [limits.may_send_to("a@example.org") for _ in range(3)] == [True, True, False]
