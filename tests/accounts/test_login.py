import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import force_login_verified, page_text

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


def test_logout_is_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


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
    force_login_verified(client, admin)
    assert client.get("/" + settings.ADMIN_URL).status_code == 200
