"""Two-factor authentication (issue 9, point 10): an authenticator app and recovery codes,
offered to everyone, required for the instance administration and for network roles."""

import re
import time
from binascii import unhexlify

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reperes.accounts import actions, throttle
from reperes.accounts.models import SecurityEvent
from reperes.accounts.views import FRESH_CODES, SETUP_SECRET
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import force_login_verified, page_text

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
ENABLE = reverse("accounts:two_factor_enable")
CODES = reverse("accounts:recovery_codes")
DISABLE = reverse("accounts:two_factor_disable")


def app_code(secret, steps_ahead=0):
    """What the phone shows now (or `steps_ahead` periods of 30 s later)."""
    totp = TOTP(unhexlify(secret.encode()))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def shown_codes(response):
    return re.findall(r'class="code">([a-z2-7]{4}-[a-z2-7]{4})<', response.content.decode())


def words(response):
    return " ".join(page_text(response).split())


@pytest.fixture
def camille(db):
    return UserFactory(email="camille@example.org")


@pytest.fixture
def enrolled(camille):
    """Camille with the app (secret in .secret) and her ten recovery codes (in .codes)."""
    secret = "3132333435363738393031323334353637383930"
    _, codes = actions.enable_two_factor(camille, secret=secret, time_step=0)
    camille.secret, camille.codes = secret, codes
    return camille


def password_step(client, email="camille@example.org", password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR="10.0.0.1")


# Enabling


def test_enabling_shows_a_qr_code_and_needs_a_first_code(client, camille):
    client.force_login(camille)
    page = client.get(ENABLE)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    secret = client.session[SETUP_SECRET]
    # A wrong code enables nothing.
    response = client.post(ENABLE, {"code": "000000" if app_code(secret) != "000000" else "111111"})
    assert "ne correspond pas" in page_text(response)
    assert not TOTPDevice.objects.filter(user=camille).exists()
    response = client.post(ENABLE, {"code": app_code(secret)})
    assert response["Location"] == CODES
    device = TOTPDevice.objects.get(user=camille)
    assert device.confirmed and device.key == secret
    # The session is now verified, and the ten codes are shown once.
    shown = shown_codes(client.get(CODES))
    assert len(shown) == 10
    assert sorted(code.replace("-", "") for code in shown) == sorted(
        StaticToken.objects.filter(device__user=camille).values_list("token", flat=True)
    )
    again = client.get(CODES)
    assert not shown_codes(again)
    assert "Il vous reste <strong>10 codes de secours</strong>" in words(again)
    assert SecurityEvent.objects.filter(user=camille, kind="two_factor_enabled").exists()


def test_the_profile_offers_two_factor_to_everyone(client, alice):
    client.force_login(alice)
    assert "Activer la double authentification" in page_text(client.get(reverse("accounts:profile")))


# Logging in


def test_the_password_alone_does_not_log_in_an_account_with_two_factor(client, enrolled):
    response = password_step(client)
    assert response["Location"] == CODE
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == 302
    response = client.post(CODE, {"code": app_code(enrolled.secret, 1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(enrolled.pk)
    assert client.get(reverse("accounts:profile")).status_code == 200
    login = SecurityEvent.objects.filter(user=enrolled, kind="login").get()
    assert login.detail == "avec la double authentification"


def test_the_code_step_keeps_where_the_person_was_going(client, enrolled):
    client.post(
        LOGIN + "?next=/compte/securite/",
        {"username": "camille@example.org", "password": PASSWORD, "next": "/compte/securite/"},
    )
    response = client.post(CODE, {"code": app_code(enrolled.secret, 1)})
    assert response["Location"] == "/compte/securite/"


def test_the_code_step_without_the_password_sends_back_to_login(client, enrolled):
    response = client.post(CODE, {"code": app_code(enrolled.secret, 1)})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_the_code_step_expires_after_ten_minutes(client, enrolled):
    password_step(client)
    session = client.session
    session["reperes_pending_login"]["at"] -= 11 * 60
    session.save()
    response = client.post(CODE, {"code": app_code(enrolled.secret, 1)})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_an_app_code_cannot_be_used_twice(client, enrolled):
    code = app_code(enrolled.secret, 1)
    password_step(client)
    client.post(CODE, {"code": code})
    client.logout()
    password_step(client)
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    assert "Ce code ne convient pas" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_logs_in_once(client, enrolled):
    code = enrolled.codes[0]
    password_step(client)
    response = client.post(CODE, {"code": f"{code[:4].upper()}-{code[4:]}"}, follow=True)
    assert client.session["_auth_user_id"] == str(enrolled.pk)
    assert "Il vous en reste 9" in page_text(response)
    assert not StaticToken.objects.filter(token=code).exists()
    assert SecurityEvent.objects.filter(user=enrolled, kind="recovery_code_used").exists()
    client.logout()
    password_step(client)
    response = client.post(CODE, {"code": code})
    assert "Ce code ne convient pas" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_five_wrong_codes_make_the_person_wait(client, enrolled, monkeypatch):
    password_step(client)
    for _ in range(4):
        assert client.post(CODE, {"code": "12345a"}).status_code == 200
    response = client.post(CODE, {"code": "12345a"})
    assert response.status_code == 429
    assert "Trop de codes incorrects" in words(response)
    assert "suspendue jusqu'" in words(response)
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    # Even the right code waits…
    response = client.post(CODE, {"code": app_code(enrolled.secret, 1)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(user=enrolled, kind="code_locked").count() == 1
    # …until the wait is over.
    start = time.time()
    monkeypatch.setattr(throttle, "now", lambda: start + 15 * 60 + 1)
    response = client.post(CODE, {"code": app_code(enrolled.secret, 1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(enrolled.pk)


def test_the_code_step_refuses_to_send_elsewhere(client, enrolled):
    client.post(
        LOGIN, {"username": "camille@example.org", "password": PASSWORD, "next": "https://ailleurs.example/"}
    )
    response = client.post(CODE, {"code": app_code(enrolled.secret, 1)})
    assert response["Location"] == reverse("home")


# Recovery codes and disabling


def test_new_recovery_codes_replace_the_old_ones(client, enrolled):
    force_login_verified(client, enrolled)
    response = client.post(CODES)
    assert response["Location"] == CODES
    new = client.session[FRESH_CODES]
    assert len(new) == 10 and not set(new) & set(enrolled.codes)
    assert not StaticToken.objects.filter(token__in=enrolled.codes).exists()
    assert len(shown_codes(client.get(CODES))) == 10


def test_new_recovery_codes_need_a_verified_session(client, enrolled):
    client.force_login(enrolled)  # a session without a code
    response = client.post(CODES)
    assert response["Location"].startswith(CODE)
    assert StaticToken.objects.filter(token__in=enrolled.codes).count() == 10


def test_disabling_needs_the_password_and_a_code(client, enrolled):
    force_login_verified(client, enrolled)
    code = enrolled.codes[0]
    response = client.post(DISABLE, {"password": "faux", "code": code})
    assert "ne correspond pas à votre compte" in page_text(response)
    assert StaticToken.objects.filter(token=code).exists()  # no code used up behind a wrong password
    response = client.post(DISABLE, {"password": PASSWORD, "code": "zzzzzzzz"})
    assert "Ce code ne convient pas" in page_text(response)
    assert TOTPDevice.objects.filter(user=enrolled).exists()
    response = client.post(DISABLE, {"password": PASSWORD, "code": code})
    assert response["Location"] == reverse("accounts:profile")
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    assert not StaticToken.objects.filter(device__user=enrolled).exists()
    assert SecurityEvent.objects.filter(user=enrolled, kind="two_factor_disabled").exists()
    client.logout()
    assert password_step(client)["Location"] == reverse("home")  # the password alone again


# Required for network roles


def test_a_network_analyst_without_two_factor_cannot_reach_network_pages(client, nina, network):
    client.force_login(nina)
    response = client.get(reverse("networks:home", args=[network.slug]))
    assert response.status_code == 302
    assert response["Location"] == f"{ENABLE}?next=%2Fr%2F{network.slug}%2F"
    page = page_text(client.get(response["Location"]))
    assert "la double authentification est obligatoire" in page
    # Enabling it leads back to the network, through the recovery codes.
    response = client.post(response["Location"], {"code": app_code(client.session[SETUP_SECRET])})
    assert response["Location"] == f"{CODES}?next=%2Fr%2F{network.slug}%2F"
    assert f'href="/r/{network.slug}/"' in client.get(response["Location"]).content.decode()
    assert client.get(reverse("networks:home", args=[network.slug])).status_code == 200


@pytest.mark.parametrize("persona", ["fiona", "hugo"])
def test_every_network_role_needs_two_factor(client, personas, network, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("networks:home", args=[network.slug]))["Location"].startswith(ENABLE)


def test_a_network_role_with_the_app_is_asked_for_the_code(client, nina, network):
    force_login_verified(client, nina)
    client.logout()
    client.force_login(nina)  # signed in, but this session has not given a code
    response = client.get(reverse("networks:home", args=[network.slug]))
    assert response["Location"] == f"{CODE}?next=%2Fr%2F{network.slug}%2F"
    device = TOTPDevice.objects.get(user=nina)
    response = client.post(response["Location"], {"code": app_code(device.key)})
    assert response["Location"] == f"/r/{network.slug}/"
    assert client.get(response["Location"]).status_code == 200


def test_a_network_role_logging_in_gives_the_code_after_the_password(client, nina, network):
    force_login_verified(client, nina)
    client.logout()
    device = TOTPDevice.objects.get(user=nina)
    response = password_step(client, email="nina@example.org")
    assert response["Location"] == CODE
    client.post(CODE, {"code": app_code(device.key)})
    assert client.get(reverse("networks:home", args=[network.slug])).status_code == 200


def test_an_outsider_still_gets_404_not_a_two_factor_page(client, alice, network):
    client.force_login(alice)
    assert client.get(reverse("networks:home", args=[network.slug])).status_code == 404


def test_organisation_members_need_no_second_factor(client, alice, org_a):
    client.force_login(alice)
    assert client.get(reverse("spaces:dashboard", args=[org_a.slug])).status_code == 200


# Required for the instance administration


@pytest.fixture
def staff(db):
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


def test_an_administrator_without_two_factor_cannot_enter_the_admin(client, staff, settings):
    admin = "/" + settings.ADMIN_URL
    client.force_login(staff)
    response = client.get(admin, follow=True)
    assert response.redirect_chain[-1][0].startswith(ENABLE)
    assert "L'administration de l'instance donne accès à toutes les données" in page_text(response)
    assert client.get(admin + "accounts/user/").status_code == 302


def test_an_administrator_with_the_app_gives_a_code_to_enter_the_admin(client, staff, settings):
    admin = "/" + settings.ADMIN_URL
    force_login_verified(client, staff)
    client.logout()
    client.force_login(staff)
    response = client.get(admin, follow=True)
    assert response.redirect_chain[-1][0].startswith(CODE)
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(response.redirect_chain[-1][0], {"code": app_code(device.key)})
    assert client.get(response["Location"]).status_code == 200
    assert client.get(admin + "accounts/securityevent/").status_code == 200
    assert SecurityEvent.objects.filter(user=staff, kind="admin_login").count() == 1


def test_the_admin_login_is_the_sites(client, settings):
    response = client.get("/" + settings.ADMIN_URL, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)


def test_a_signed_in_person_without_admin_rights_is_refused(client, alice, settings):
    force_login_verified(client, alice)
    response = client.get("/" + settings.ADMIN_URL, follow=True)
    assert response.status_code == 403
