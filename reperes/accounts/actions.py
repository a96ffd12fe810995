"""State changes of accounts."""

import ipaddress
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reperes.accounts.models import SecurityEvent, User
from reperes.accounts.two_factor import RECOVERY_CODE_COUNT
from reperes.lib.http import client_ip
from reperes.lib.limits import may_send_to
from reperes.lib.mail import send_templated_mail
from reperes.lib.signing import LinkInvalid, make_link_token, read_link_token

VERIFY_SALT = "reperes.accounts.verify-email"


@transaction.atomic
def sign_up(*, email, name, password):
    """The account, and its verification mail, which counts in the address's daily quota like
    every other mail to it (a quota already spent by resets sends nothing; « renvoyer le lien »
    tries again the next day)."""
    user = User.objects.create_user(email=email, name=name, password=password)
    if may_send_to(email):
        send_verification_email(user)
    return user


def user_for_login(email):
    """The active account that logs in with `email`, or None."""
    if not email:
        return None
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


# Email verification. The link verifies once and never logs anyone in: its token is signed
# over the account's state (address, verified or not, password hash), like Django's password
# reset tokens, so it dies once used, after a password change and after an address change.


def _verification_state(user):
    state = f"{user.pk}|{user.email}|{user.email_verified}|{user.password}"
    return salted_hmac(VERIFY_SALT, state, algorithm="sha256").hexdigest()[:32]


def make_verification_token(user):
    return make_link_token({"u": user.pk, "s": _verification_state(user)}, salt=VERIFY_SALT)


def send_verification_email(user):
    url = settings.SITE_URL + reverse("accounts:verify", args=[make_verification_token(user)])
    send_templated_mail(user.email, "accounts/email/verify", {"user": user, "url": url})


def user_from_verification_token(token):
    """The account a verification link was made for, if the link is still good.

    Raises LinkExpired (too old), LinkInvalid (altered or made up) or LinkUsed (already used,
    or the account changed since: password, address).
    """
    data = read_link_token(token, salt=VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    if not isinstance(data, dict) or "s" not in data:
        raise LinkInvalid
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        raise LinkInvalid
    if not constant_time_compare(data["s"], _verification_state(user)):
        raise LinkUsed
    return user


class LinkUsed(Exception):
    """The link was genuine, but has served already or the account changed since."""


def verify_email(user, *, request=None):
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        record_security_event(user, SecurityEvent.Kind.EMAIL_VERIFIED, request=request)


# Passwords


def rename(user, *, name):
    """The name the person shows to their teams (and in the subjects of mails about them)."""
    user.name = name
    user.save(update_fields=["name"])
    return user


@transaction.atomic
def change_password(user, password, *, request=None):
    user.set_password(password)
    user.save(update_fields=["password"])
    record_security_event(user, SecurityEvent.Kind.PASSWORD_CHANGED, request=request)


def password_was_reset(user, *, request=None):
    """After a password chosen through the emailed link: it proves the address too, and the
    waits of the account's login throttle end (its owner holds the new password)."""
    from reperes.accounts.throttle import Counter, login_rules

    verify_email(user, request=request)
    record_security_event(user, SecurityEvent.Kind.PASSWORD_RESET, request=request)
    for rule in login_rules():
        if rule.parameters == ("username",):
            Counter(rule, user.email.lower()).reset()


# Two-factor authentication


@transaction.atomic
def enable_two_factor(user, *, secret, time_step, request=None):
    """Confirm the authenticator app that produced a code at `time_step`, and create ten
    recovery codes. Returns (the app's device, the codes)."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="Application d'authentification", key=secret, confirmed=True, last_t=time_step
    )
    codes = _new_recovery_codes(user)
    record_security_event(user, SecurityEvent.Kind.TWO_FACTOR_ENABLED, request=request)
    return device, codes


@transaction.atomic
def renew_recovery_codes(user, *, request=None):
    codes = _new_recovery_codes(user)
    record_security_event(user, SecurityEvent.Kind.RECOVERY_CODES_RENEWED, request=request)
    return codes


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def disable_two_factor(user, *, request=None):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_security_event(user, SecurityEvent.Kind.TWO_FACTOR_DISABLED, request=request)


def second_factor_used(user, device, *, request=None):
    """Record a recovery code used (the login itself is recorded by the login signal)."""
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        record_security_event(
            user,
            SecurityEvent.Kind.RECOVERY_CODE_USED,
            request=request,
            detail=f"{left} code{'s' if left > 1 else ''} de secours restant{'s' if left > 1 else ''}",
        )


# The security log


def network_of(address):
    """The address's network, truncated (/24 for IPv4, /48 for IPv6), or ""."""
    try:
        network = ipaddress.ip_network(address or "", strict=False)  # an address, or a /64
    except ValueError:
        return ""
    prefix = 24 if network.version == 4 else 48
    return str(network.supernet(new_prefix=prefix))


def until_label(timestamp):
    """« jusqu'à 14 h 32 » (or « jusqu'au 4 mars à 14 h 32 » when not today)."""
    moment = datetime.fromtimestamp(timestamp, tz=timezone.get_current_timezone())
    time_of_day = dateformat.format(moment, "H\u00a0\\h\u00a0i")  # never cut across two lines
    if moment.date() == timezone.localdate():
        return f"jusqu'à {time_of_day}"
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"jusqu'au {day} {dateformat.format(moment, 'F')} à {time_of_day}"


def record_security_event(user, kind, *, request=None, detail=""):
    """One line in the account's security log; lines past the retention period go."""
    now = timezone.now()
    SecurityEvent.objects.filter(at__lt=now - settings.SECURITY_LOG_RETENTION).delete()
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        at=now,
        network=network_of(client_ip(request)) if request is not None else "",
        detail=detail[:200],
    )
