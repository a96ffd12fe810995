"""Limits on what one address, account or organisation may do: attempts, and emails per day.

Two kinds of counters, for two kinds of limits:

- **Attempts** (`hit`): guesses at a join code, requests that make Repères send a mail to an
  address typed by an anonymous visitor. A fixed window in Django's default cache, shared by
  every process (the database cache, or Redis with REDIS_URL): `cache.add` then `cache.incr`.
  With the database cache `incr` is a read then a write, so two requests at the same instant
  may count once; a limit of attempts tolerates that. Over the limit: `Throttled`, which views
  turn into the French 429 page (`reperes.lib.errors.too_many_requests`).
- **Emails** (`reserve_mails`): per day, in a database table (`MailCounter`), reserved inside
  the caller's transaction. Exact, because that is what a spammer attacks: requests sent in
  parallel cannot overshoot (the update carries its own condition), a cache eviction cannot
  reset a quota, and a change that rolls back gives its emails back. Over the limit:
  `MailQuotaExceeded`, with a French message for the person who asked.

Keys never hold an address in clear: emails and IP addresses are hashed with the secret key.
"""

import math
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

# A day's mail counts are of no use once the day is over; yesterday's stay for the late requests
# of the night. Older ones are deleted as new counters are created, and every night by the job
# lib.forget_counters.
MAIL_COUNTERS_DAYS = 1

# Attempts


class Throttled(Exception):
    """Too many attempts. `retry_after` is in seconds; `message` says when to try again."""

    def __init__(self, retry_after):
        self.retry_after = max(1, math.ceil(retry_after))
        self.message = f"Trop de tentatives. Réessayez {in_duration(self.retry_after)}."
        super().__init__(self.message)


def in_duration(seconds):
    """« dans 12 minutes », rounded up so that the person never comes back too early."""
    if seconds < 60:
        return "dans une minute"
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return "dans une minute" if minutes == 1 else f"dans {minutes} minutes"
    hours = math.ceil(seconds / 3600)
    return "dans une heure" if hours == 1 else f"dans {hours} heures"


def _digest(value):
    return salted_hmac("reperes.lib.limits", str(value).strip().lower(), algorithm="sha256").hexdigest()[:32]


def hit(scope: str, key: str, *, limit: int, period: int) -> None:
    """Count one attempt of `key` (an account id, a client address…) under `scope`.

    Raises Throttled once more than `limit` attempts fall in the current window of `period`
    seconds. Attempts over the limit still count: hammering does not shorten the wait.
    """
    now = time.time()
    window = int(now // period)
    cache_key = f"limits:{scope}:{period}:{window}:{_digest(key)}"
    cache.add(cache_key, 0, timeout=period + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: start again from this attempt
        cache.set(cache_key, 1, timeout=period + 60)
        count = 1
    if count > limit:
        raise Throttled((window + 1) * period - now)


# Emails


class MailQuotaExceeded(Exception):
    """Sending these emails would go over a daily limit; nothing was reserved.

    Like ActionRefused, `str(exception)` (and `.message`) is a French sentence for the user.
    """

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def _plural(count, word):
    return f"{count} {word}{'s' if count > 1 else ''}"


def is_new_organisation(organisation):
    age = timezone.now() - organisation.created_at
    return age < timedelta(days=settings.MAIL_QUOTA_NEW_ORGANISATION_DAYS)


def organisation_limit(organisation):
    if is_new_organisation(organisation):
        return settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY
    return settings.MAIL_QUOTA_ORGANISATION_PER_DAY


def _buckets(*, organisation, user, address):
    """(scope, key, limit) for every limit that applies, always in the same order so that
    concurrent reservations lock their rows in the same order."""
    buckets = []
    if address:
        buckets.append(("address", _digest(address), settings.MAIL_QUOTA_ADDRESS_PER_DAY))
    if user is not None and user.is_authenticated:
        buckets.append(("account", str(user.pk), settings.MAIL_QUOTA_ACCOUNT_PER_DAY))
    if organisation is not None:
        buckets.append(("organisation", str(organisation.pk), organisation_limit(organisation)))
    return buckets


def _refusal(scope, *, left, organisation):
    if scope == "address":
        return "Cette adresse a déjà reçu plusieurs e-mails de Repères aujourd'hui. Réessayez demain."
    if scope == "account":
        return (
            "Votre compte a atteint sa limite d'envois d'e-mails pour aujourd'hui "
            f"(il en reste {left}). Réessayez demain."
        )
    limit = _plural(organisation_limit(organisation), "e-mail")
    if is_new_organisation(organisation):
        days = settings.MAIL_QUOTA_NEW_ORGANISATION_DAYS
        why = f"Une structure créée il y a moins de {days} jours peut envoyer {limit} par jour"
    else:
        why = f"La structure peut envoyer {limit} par jour"
    return f"{why} ; il en reste {left} aujourd'hui. Réduisez la liste ou réessayez demain."


def reserve_mails(*, count: int, organisation=None, user=None, address=None) -> None:
    """Reserve `count` emails today against every limit that applies.

    `address` is the single recipient (verification, password reset, an invitation);
    `user` the account that sends; `organisation` the organisation they are sent for. Either
    every limit has room and all are reserved, or MailQuotaExceeded is raised and nothing is
    reserved. Call it inside the transaction that sends the emails (they go on commit): if that
    transaction rolls back, the reservation does too.
    """
    from reperes.lib.models import MailCounter

    if count <= 0:
        return
    today = timezone.localdate()
    with transaction.atomic():
        for scope, key, limit in _buckets(organisation=organisation, user=user, address=address):
            counter, created = MailCounter.objects.get_or_create(scope=scope, key=key, day=today)
            if created:
                # Yesterday's counters are no use: keep the table to a few rows per sender.
                MailCounter.objects.filter(day__lt=today - timedelta(days=MAIL_COUNTERS_DAYS)).delete()
            reserved = MailCounter.objects.filter(pk=counter.pk, count__lte=limit - count).update(
                count=F("count") + count
            )
            if not reserved:
                counter.refresh_from_db()
                left = max(0, limit - counter.count)
                raise MailQuotaExceeded(_refusal(scope, left=left, organisation=organisation))


def mail_quota(organisation) -> dict:
    """What `organisation` may still send today: {"limit", "used", "left", "new"}."""
    from reperes.lib.models import MailCounter

    limit = organisation_limit(organisation)
    counter = MailCounter.objects.filter(
        scope="organisation", key=str(organisation.pk), day=timezone.localdate()
    ).first()
    used = counter.count if counter else 0
    return {
        "limit": limit,
        "used": used,
        "left": max(0, limit - used),
        "new": is_new_organisation(organisation),
    }


# For the pages where an anonymous visitor makes Repères send an email


def count_mail_request(request) -> None:
    """Count one request by which a visitor makes Repères email an address they typed (sign-up,
    a new verification link, a password reset), per client address. Raises Throttled."""
    from reperes.lib.http import client_ip

    hit("mail-request", client_ip(request), limit=settings.MAIL_REQUESTS_PER_CLIENT_PER_HOUR, period=3600)


def count_join_code_attempt(request) -> None:
    """Count one try of a join code (a network's, a cohort's), per account and per client
    address: the codes are short, so guessing them must stay slow. Raises Throttled."""
    from reperes.lib.http import client_ip

    hit(
        "join-code-account",
        request.user.pk,
        limit=settings.JOIN_CODE_ATTEMPTS_PER_ACCOUNT_PER_HOUR,
        period=3600,
    )
    hit(
        "join-code-client",
        client_ip(request),
        limit=settings.JOIN_CODE_ATTEMPTS_PER_CLIENT_PER_HOUR,
        period=3600,
    )


def may_send_to(address) -> bool:
    """Reserve one email to `address` if its daily quota allows it. For pages that must answer
    the same whether or not the email goes (nobody may learn who has an account)."""
    try:
        reserve_mails(count=1, address=address)
    except MailQuotaExceeded:
        return False
    return True
