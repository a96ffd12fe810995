"""Login throttling that holds against guessing from many addresses, or at many accounts.

django-axes watches every authentication (its backend refuses while a wait runs, its signals
report failures); this handler decides, with three limits counted apart in the shared cache
(the database cache, or Redis with REDIS_URL), so that every process sees the same counts:

- one account from one address: AXES_FAILURE_LIMIT failures, then AXES_COOLOFF_TIME;
- one account from anywhere: LOGIN_FAILURES_PER_ACCOUNT failures, then 1 minute, doubled after
  each further series up to an hour (40 guesses from 10 addresses no longer go unnoticed,
  and the real owner waits at most an hour);
- one address, whatever the accounts: LOGIN_FAILURES_PER_ADDRESS failures, then 15 minutes,
  doubled up to a day (one address trying account after account).

Attempts refused during a wait are not counted: hammering never lengthens it. A successful
login clears the counters of that account, never those of the address alone (an attacker
cannot reset their address by logging into an account of their own). Usernames and addresses
are hashed with the secret key before they become cache keys.

With the database cache, `incr` is a read then a write: two guesses at the same instant may
count once. A limit of guesses tolerates that; Redis counts exactly.

The two-factor code step uses the same counters (`code_counter`).
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


def now():
    """Seconds since the epoch (a function, so that tests can move time forward)."""
    return time.time()


@dataclass(frozen=True)
class Rule:
    name: str
    parameters: tuple
    limit: int  # failures before the first wait, and between two further waits
    first_wait: timedelta
    longest_wait: timedelta
    memory: timedelta  # failures are forgotten this long after the last one

    def wait_after(self, failures):
        """The wait that starts once `failures` is reached, or None."""
        if failures < self.limit or (failures - self.limit) % self.limit:
            return None
        doublings = min((failures - self.limit) // self.limit, 20)
        return min(self.first_wait * 2**doublings, self.longest_wait)


def login_rules():
    cool_off = settings.AXES_COOLOFF_TIME
    return [
        Rule(
            "account-address",
            ("username", "ip_address"),
            settings.AXES_FAILURE_LIMIT,
            cool_off,
            cool_off,
            cool_off,
        ),
        Rule(
            "account",
            ("username",),
            settings.LOGIN_FAILURES_PER_ACCOUNT,
            timedelta(minutes=1),
            timedelta(hours=1),
            timedelta(days=1),
        ),
        Rule(
            "address",
            ("ip_address",),
            settings.LOGIN_FAILURES_PER_ADDRESS,
            timedelta(minutes=15),
            timedelta(days=1),
            timedelta(days=1),
        ),
    ]


def code_rule():
    return Rule(
        "code",
        ("user",),
        settings.TWO_FACTOR_FAILURE_LIMIT,
        timedelta(minutes=15),
        timedelta(days=1),
        timedelta(days=1),
    )


class Counter:
    """Failures of one rule for one identity, and the wait they started."""

    def __init__(self, rule, *values):
        digest = salted_hmac("reperes.accounts.throttle", "|".join(values), algorithm="sha256")
        digest = digest.hexdigest()[:32]
        self.rule = rule
        self.key = f"throttle:{rule.name}:{digest}"

    def locked_until(self):
        """When the current wait ends (seconds since the epoch), or None."""
        until = cache.get(f"{self.key}:until")
        return until if until and until > now() else None

    def failures(self):
        return cache.get(f"{self.key}:n", 0)

    def fail(self):
        """Count one failure. Returns when the wait it starts ends, or None."""
        memory = int(self.rule.memory.total_seconds())
        if cache.add(f"{self.key}:n", 1, timeout=memory):
            count = 1
        else:
            try:
                count = cache.incr(f"{self.key}:n")
                cache.touch(f"{self.key}:n", timeout=memory)
            except ValueError:  # forgotten between add and incr
                cache.set(f"{self.key}:n", 1, timeout=memory)
                count = 1
        wait = self.rule.wait_after(count)
        if wait is None:
            return None
        until = now() + wait.total_seconds()
        cache.set(f"{self.key}:until", until, timeout=int(wait.total_seconds()) + 60)
        return until

    def reset(self):
        cache.delete_many([f"{self.key}:n", f"{self.key}:until"])


def code_counter(user):
    return Counter(code_rule(), str(user.pk))


@dataclass
class Lock:
    rule: str
    until: float  # seconds since the epoch


class LoginThrottleHandler(AbstractAxesHandler, AxesBaseHandler):
    """The django-axes handler (AXES_HANDLER) that applies the three rules above."""

    def counters(self, request, credentials=None):
        values = {
            "username": (get_client_username(request, credentials) or "").strip().lower(),
            "ip_address": getattr(request, "axes_ip_address", None) or "",
        }
        for rule in login_rules():
            identity = [values[parameter] for parameter in rule.parameters]
            if all(identity):
                yield Counter(rule, *identity)

    def locks(self, request, credentials=None):
        """The waits running for this request's account and address, longest last."""
        locks = [
            Lock(counter.rule.name, until)
            for counter in self.counters(request, credentials)
            if (until := counter.locked_until())
        ]
        return sorted(locks, key=lambda lock: lock.until)

    def is_locked(self, request, credentials=None):
        return bool(self.locks(request, credentials))

    def get_failures(self, request, credentials=None):
        return max((counter.failures() for counter in self.counters(request, credentials)), default=0)

    # django-axes connects these to the saving and deleting of its AccessAttempt rows; Repères
    # writes none (its counters are in the cache), so a row saved or deleted through the ORM (the
    # admin, accounts.purge) has nothing to update.
    def post_save_access_attempt(self, instance, **kwargs):
        pass

    def post_delete_access_attempt(self, instance, **kwargs):
        pass

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        from reperes.accounts import actions

        if request is None:
            return
        if request.axes_locked_out:
            # Refused by the axes backend because a wait runs: the password was not even
            # checked, and the refusal is not counted.
            request.axes_credentials = credentials
            return
        if self.is_whitelisted(request, credentials):
            return
        started = [until for counter in self.counters(request, credentials) if (until := counter.fail())]
        user = actions.user_for_login(get_client_username(request, credentials))
        if user is not None:
            actions.record_security_event(user, "login_failed", request=request)
        if started:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            if user is not None:
                actions.record_security_event(
                    user, "login_locked", request=request, detail=actions.until_label(max(started))
                )

    def user_logged_in(self, sender, request, user, **kwargs):
        if request is None:
            return
        username = user.get_username().lower()
        for counter in self.counters(request, {settings.AXES_USERNAME_FORM_FIELD: username}):
            if "username" in counter.rule.parameters:
                counter.reset()

    def user_logged_out(self, sender, request, user, **kwargs):
        pass

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False):
        """For `manage.py axes_reset_username` and `axes_reset_ip`: lift the waits at once."""
        count = 0
        for rule in login_rules():
            values = {"username": (username or "").lower(), "ip_address": ip_address or ""}
            identity = [values[parameter] for parameter in rule.parameters]
            if all(identity):
                Counter(rule, *identity).reset()
                count += 1
        return count
