import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def attempt(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_login_with_right_password(client):
    UserFactory(email="camille@example.org")
    response = attempt(client, "Camille@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_wrong_password_says_so_in_french(client):
    UserFactory(email="camille@example.org")
    response = attempt(client, "camille@example.org", "mauvais")
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in page_text(response)


def test_too_many_failures_lock_with_a_cool_off_and_say_when(client, settings):
    UserFactory(email="camille@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "camille@example.org", "mauvais").status_code == 200
    response = attempt(client, "camille@example.org", "mauvais")
    assert response.status_code == 429
    page = page_text(response)
    assert "Trop de tentatives de connexion" in page
    assert "Réessayez à partir de" in page
    # Even the right password is refused during the cool-off…
    assert attempt(client, "camille@example.org", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_the_cool_off(client, settings):
    UserFactory(email="camille@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "camille@example.org", "mauvais")
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1)
    )
    assert attempt(client, "camille@example.org", PASSWORD).status_code == 302


def test_lockout_is_per_account_and_address(client, settings):
    UserFactory(email="camille@example.org")
    UserFactory(email="dominique@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "camille@example.org", "mauvais")
    assert attempt(client, "dominique@example.org", PASSWORD).status_code == 302


def test_logout_is_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_sessions_last_at_most_twelve_hours(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE or settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_login_redirects_to_next(client):
    UserFactory(email="camille@example.org")
    response = client.post(
        LOGIN + "?next=/compte/",
        {"username": "camille@example.org", "password": PASSWORD, "next": "/compte/"},
    )
    assert response["Location"] == "/compte/"


def test_admin_is_for_instance_administrators_only(client, alice, settings):
    client.force_login(alice)
    response = client.get("/" + settings.ADMIN_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/" + settings.ADMIN_URL).status_code == 200
