"""Sessions and caching (issue 9, point 11): an idle timeout beside the absolute one, __Host-
cookies in production, no-store on every page seen with an account."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from reperes.accounts.middleware import LOGGED_IN_AT, SEEN_AT, NoStoreMiddleware
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def shift_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"logged_in": LOGGED_IN_AT, "seen": SEEN_AT}[key]] = now - ago
    session.save()


def test_an_idle_session_expires_after_two_hours(client, alice, settings):
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 2 * 3600
    client.force_login(alice)
    shift_session(client, logged_in=3 * 3600, seen=2 * 3600 + 1)
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE}"
    assert "_auth_user_id" not in client.session
    assert "Votre session a expiré" in page_text(client.get(response["Location"]))


def test_a_session_in_use_stays_open(client, alice):
    client.force_login(alice)
    shift_session(client, logged_in=5 * 3600, seen=2 * 3600 - 60)
    assert client.get(PROFILE).status_code == 200
    # The request moved the clock of the last activity.
    assert int(time.time()) - client.session[SEEN_AT] < 5


def test_a_session_ends_twelve_hours_after_login_however_busy(client, alice):
    client.force_login(alice)
    shift_session(client, logged_in=12 * 3600 + 1, seen=10)
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_activity_is_written_at_most_once_a_minute(client, alice):
    client.force_login(alice)
    shift_session(client, seen=30)
    seen = client.session[SEEN_AT]
    client.get(PROFILE)
    assert client.session[SEEN_AT] == seen  # not written again within the minute
    shift_session(client, seen=61)
    client.get(PROFILE)
    assert int(time.time()) - client.session[SEEN_AT] < 5


def test_an_expired_session_on_a_public_page_simply_becomes_anonymous(client, alice):
    client.force_login(alice)
    shift_session(client, seen=3 * 3600)
    response = client.get(reverse("fiches:list"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def run_settings(**environment):
    """Values of the settings module imported with `environment`, in a fresh interpreter."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "SECURE_COOKIES"} | environment
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout.split()


def test_production_cookies_carry_the_host_prefix():
    assert run_settings(SECURE_COOKIES="1") == ["__Host-sessionid", "__Host-csrftoken", "True", "True"]
    # On a laptop over plain HTTP a __Host- cookie would be refused: Django's names stay.
    assert run_settings(SECURE_COOKIES="0") == ["sessionid", "csrftoken", "False", "False"]


def test_host_prefixed_cookies_are_sent_as_browsers_require(client, alice, settings):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.SESSION_COOKIE_SECURE = True
    client.force_login(alice)
    cookie = client.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]


def test_authenticated_pages_and_exports_are_not_stored(client, alice, org_a):
    client.force_login(alice)
    for url in (
        PROFILE,
        reverse("spaces:dashboard", args=[org_a.slug]),
        reverse("reports:actions_export", args=[org_a.slug, "csv"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_anonymous_public_pages_keep_their_own_caching(client):
    response = client.get(reverse("fiches:list"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_view_that_asked_for_a_public_cache_is_overruled_for_a_signed_in_person(alice):
    def view(request):
        response = HttpResponse("données")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = RequestFactory().get("/")
    request.user = alice
    cache_control = NoStoreMiddleware(view)(request)["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    assert "public" not in cache_control
