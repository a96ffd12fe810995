import re

import pytest
from django.core import mail
from django.urls import reverse

from reperes.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def reset_link():
    return re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+/)", mail.outbox[-1].body).group(1)


def test_password_reset_round_trip(client):
    UserFactory(email="camille@example.org", email_verified=False)
    response = client.post(reverse("accounts:password_reset"), {"email": "camille@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox[0].subject == "Choisir un nouveau mot de passe sur Repères"
    form_page = client.get(reset_link(), follow=True)
    assert "Choisissez un nouveau mot de passe" in page_text(form_page)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "nouveau-secret-solide", "new_password2": "nouveau-secret-solide"},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user = User.objects.get()
    assert user.check_password("nouveau-secret-solide")
    assert user.email_verified  # receiving the link proves the address


def test_password_reset_link_works_once(client):
    UserFactory(email="camille@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "camille@example.org"})
    link = reset_link()
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        set_url,
        {"new_password1": "nouveau-secret-solide", "new_password2": "nouveau-secret-solide"},
    )
    again = client.get(link, follow=True)
    assert "plus valable" in page_text(again)


def test_password_reset_for_unknown_address_says_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "personne@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_change_keeps_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "encore-un-autre-secret",
            "new_password2": "encore-un-autre-secret",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("encore-un-autre-secret")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_change_with_wrong_old_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "faux", "new_password1": "x-y-z-w-v-u", "new_password2": "x-y-z-w-v-u"},
    )
    assert response.status_code == 200
    assert "ancien mot de passe est incorrect" in page_text(response)


def test_profile_update(client):
    user = UserFactory(name="Ancien nom")
    client.force_login(user)
    client.post(reverse("accounts:profile"), {"name": "Nouveau nom"})
    user.refresh_from_db()
    assert user.name == "Nouveau nom"
