"""Middleware of accounts: session lifetime, no caching of personal pages, two-factor gate."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from reperes.accounts.two_factor import TwoFactorRequired, has_two_factor

# Both set at login (reperes.accounts.signals), in seconds since the epoch.
LOGGED_IN_AT = "reperes_logged_in_at"
SEEN_AT = "reperes_seen_at"
# The last request is written to the session at most once a minute: an idle timeout of two
# hours does not need a database write on every page.
SEEN_PRECISION = 60


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE
    after the login whatever happens.

    Why not SESSION_SAVE_EVERY_REQUEST with a short SESSION_COOKIE_AGE: it writes the session
    on every request, and each write pushes the expiry further, so a session in use would never
    reach an absolute end. Here both times live in the session: the login time never moves,
    the last request moves at most once a minute.

    Placed before LoginRequiredMiddleware: a page that needs an account then sends the person
    to the login page, and back to the page afterwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            logged_in_at = session.get(LOGGED_IN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            if now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                self._end(request, "Votre session a expiré après un long moment sans activité.")
            elif now - logged_in_at > settings.SESSION_COOKIE_AGE:
                hours = settings.SESSION_COOKIE_AGE // 3600
                self._end(request, f"Par sécurité, une session dure au plus {hours} heures.")
            elif now - seen_at >= SEEN_PRECISION or LOGGED_IN_AT not in session:
                session[SEEN_AT] = now
                session.setdefault(LOGGED_IN_AT, now)
        return self.get_response(request)

    @staticmethod
    def _end(request, why):
        logout(request)
        messages.info(request, f"{why} Reconnectez-vous pour continuer.")


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in person.

    Pages and exports seen with an account carry personal or organisation data: neither the
    browser's cache (a shared computer, the back button after logout) nor a proxy may keep
    them. Applied whatever the view said, because a view that set a public cache on such a page
    would be the bug; the never_cache of the answering pages stays as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class TwoFactorMiddleware:
    """Turns TwoFactorRequired (raised by a page that needs a second factor) into the code
    step, or into setting up two-factor authentication for an account that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TwoFactorRequired):
            return None
        # After the code, back to the page; a form sent meanwhile is not sent again.
        back = urlencode({"next": request.get_full_path() if request.method == "GET" else "/"})
        if has_two_factor(request.user):
            return redirect(f"{reverse('accounts:login_code')}?{back}")
        messages.warning(request, exception.reason)
        return redirect(f"{reverse('accounts:two_factor_enable')}?{back}")
