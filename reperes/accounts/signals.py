"""Receivers of Django's authentication signals, connected in AccountsConfig.ready()."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from reperes.accounts import actions
from reperes.accounts.middleware import LOGGED_IN_AT, SEEN_AT
from reperes.accounts.models import SecurityEvent


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """The session's absolute and idle limits count from here."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = request.session[SEEN_AT] = int(time.time())


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    # django-otp sets user.otp_device when a code was given at this login.
    device = getattr(user, "otp_device", None)
    detail = "avec la double authentification" if device is not None else ""
    actions.record_security_event(user, SecurityEvent.Kind.LOGIN, request=request, detail=detail)
