"""Two-factor authentication with django-otp: an authenticator app (TOTP) and recovery codes.

Each account has at most one confirmed `TOTPDevice` (the app) and one `StaticDevice` holding
its ten single-use recovery codes. A session is *verified* once a code from either was typed
after the password (`request.user.is_verified()`, from django-otp's middleware).

Pages that need a verified session call `require_verified(request, reason=…)`: the
accounts middleware turns the `TwoFactorRequired` it raises into a redirection to the code
step (for an account with a device) or to the set-up page (for one without).
"""

import re
from base64 import b32encode
from binascii import unhexlify

import segno
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

RECOVERY_CODE_COUNT = 10


class TwoFactorRequired(Exception):
    """This page needs a session verified with a second factor. `reason` is French, for the
    person sent to set one up."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


def require_verified(request, *, reason):
    if not request.user.is_verified():
        raise TwoFactorRequired(reason)


def has_two_factor(user):
    return user.is_authenticated and user_has_device(user, confirmed=True)


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise_code(code):
    """What people type: spaces, dashes and capitals are allowed."""
    return re.sub(r"[\s-]", "", code or "").lower()


def is_app_code(code):
    return bool(re.fullmatch(r"\d{6}", code))


def match_code(user, code):
    """The device (app or recovery codes) that accepts `code` for `user`, or None.

    Call inside a transaction: devices are locked, so one code cannot be used twice at once. A
    recovery code is deleted as it is used; an app code is refused for the rest of its 30 s.
    """
    code = normalise_code(code)
    model = TOTPDevice if is_app_code(code) else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
        if device.verify_token(code):
            return device
    return None


# Enrolment: the secret stays in the session until a first code proves the app has it.


def new_secret():
    return random_hex(20)


def check_new_secret(secret, code):
    """The time step at which `code` matches `secret` (±30 s), or None."""
    code = normalise_code(code)
    if not is_app_code(code):
        return None
    totp = TOTP(unhexlify(secret.encode()))
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def otpauth_url(user, secret):
    return TOTPDevice(user=user, key=secret).config_url


def qr_svg(url):
    """The QR code of `url`, as inline SVG (no text from the user goes into the markup)."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#143f3c")


def readable_secret(secret):
    """The base32 secret, in groups of four, for people who type it into the app."""
    text = b32encode(unhexlify(secret.encode())).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def readable_code(token):
    """A recovery code as shown: « abcd-efgh » (django-otp makes 8 characters, 40 bits)."""
    return f"{token[:4]}-{token[4:]}"
