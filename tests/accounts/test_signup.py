import re

import pytest
from django.core import mail
from django.urls import reverse

from reperes.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")


def sign_up(client, **overrides):
    data = {
        "name": "Camille Martin",
        "email": "camille@example.org",
        "password": "un-bon-mot-de-passe",
    }
    return client.post(SIGNUP, {**data, **overrides})


def verification_link():
    body = mail.outbox[-1].body
    return re.search(r"http://testserver(/compte/verification/\S+/)", body).group(1)


def test_sign_up_sends_a_verification_email_and_waits(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="Camille@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get()
    assert user.email == "camille@example.org"
    assert not user.email_verified
    assert mail.outbox[0].to == ["camille@example.org"]
    assert mail.outbox[0].subject == "Confirmez votre adresse sur Repères"
    assert "camille@example.org" in page_text(client.get(response["Location"]))


def test_password_is_hashed_with_argon2(client, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    sign_up(client)
    assert User.objects.get().password.startswith("argon2")


def test_unverified_account_cannot_log_in(client):
    UserFactory(email="camille@example.org", email_verified=False)
    response = client.post(
        reverse("accounts:login"),
        {"username": "camille@example.org", "password": "mot-de-passe-de-test"},
    )
    assert response.status_code == 200
    assert "pas encore confirmée" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_verification_link_confirms_without_logging_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = verification_link()
    # Opening the link (a mail scanner might) changes nothing; confirming does.
    assert client.get(link).status_code == 200
    assert not User.objects.get().email_verified
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.get().email_verified
    assert "_auth_user_id" not in client.session


def test_tampered_verification_link_is_refused_in_french(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = verification_link()
    response = client.post(link[:-3] + "xx/")
    assert response.status_code == 400
    assert "ne fonctionne pas" in page_text(response)
    assert not User.objects.get().email_verified


def test_expired_verification_link_offers_a_new_one(client, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = verification_link()
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    response = client.post(link)
    assert response.status_code == 410
    assert "a expiré" in page_text(response)
    assert not User.objects.get().email_verified


def test_resend_verification_does_not_reveal_accounts(client, django_capture_on_commit_callbacks):
    UserFactory(email="camille@example.org", email_verified=False)
    url = reverse("accounts:resend_verification")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "camille@example.org"}, follow=True)
        unknown = client.post(url, {"email": "personne@example.org"}, follow=True)
    assert len(mail.outbox) == 1
    message = "Si un compte non confirmé existe avec cette adresse"
    assert message in page_text(known)
    assert message in page_text(unknown)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide."),
        ({"password": "court"}, "password", "trop court"),
        ({"password": "12345678901234"}, "password", "entièrement numérique"),
        ({"password": "motdepasse"}, "password", "trop courant"),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
    ],
)
def test_sign_up_validation_speaks_french(client, overrides, field, message):
    response = sign_up(client, **overrides)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not User.objects.exists()


def test_sign_up_with_an_existing_email_points_to_login(client):
    UserFactory(email="camille@example.org")
    response = sign_up(client, email="CAMILLE@example.org")
    assert "Un compte existe déjà" in page_text(response)
    assert User.objects.count() == 1


def test_signed_in_user_is_sent_home_from_sign_up(client, alice):
    client.force_login(alice)
    assert client.get(SIGNUP).status_code == 302


def test_a_name_with_a_carriage_return_is_kept_on_one_line(client):
    client.post(
        reverse("accounts:signup"),
        {
            "name": "Camille\r\nBcc: x@example.org",
            "email": "camille@example.org",
            "password": "un-long-mot-de-passe",
        },
    )
    assert User.objects.get(email="camille@example.org").name == "Camille Bcc: x@example.org"


def test_a_name_typed_by_a_stranger_never_reaches_the_inbox_it_signs_up(
    client, django_capture_on_commit_callbacks
):
    spam = "Gagnez 1000 EUR sur http://arnaque.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {"name": spam, "email": "victime@example.org", "password": "un-long-mot-de-passe"},
        )
        client.post(reverse("accounts:password_reset"), {"email": "victime@example.org"})
    assert mail.outbox
    for message in mail.outbox:
        assert "arnaque" not in message.body and "arnaque" not in message.subject
