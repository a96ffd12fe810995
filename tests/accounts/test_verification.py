"""The email verification link is not a login link (issue 9, point 7): a page with a button,
it verifies once, never logs anyone in, and dies after use and after a password change."""

import pytest
from django.urls import reverse

from reperes.accounts.actions import change_password, make_verification_token
from reperes.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return UserFactory(email="camille@example.org", email_verified=False)


def link_for(user):
    return reverse("accounts:verify", args=[make_verification_token(user)])


def test_a_mail_scanner_fetching_the_link_uses_nothing_up(client, newcomer):
    link = link_for(newcomer)
    for _ in range(3):
        response = client.get(link)
        assert response.status_code == 200
        assert "Confirmer mon adresse" in page_text(response)
    newcomer.refresh_from_db()
    assert not newcomer.email_verified
    assert "_auth_user_id" not in client.session
    # The person's own click still works afterwards.
    assert client.post(link).status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.email_verified


def test_confirming_never_logs_anyone_in(client, newcomer):
    response = client.post(link_for(newcomer), follow=True)
    assert "Votre adresse est confirmée" in page_text(response)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == 302  # still anonymous


def test_a_used_link_is_refused_and_logs_nobody_in(client, newcomer):
    link = link_for(newcomer)
    client.post(link)
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 410
        assert "Ce lien a déjà servi" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_a_link_dies_after_a_password_change(client, newcomer):
    link = link_for(newcomer)
    change_password(newcomer, "un-tout-nouveau-secret")
    response = client.post(link)
    assert response.status_code == 410
    newcomer.refresh_from_db()
    assert not newcomer.email_verified
    assert "_auth_user_id" not in client.session


def test_a_link_made_before_an_address_change_does_not_verify_the_new_address(client, newcomer):
    link = link_for(newcomer)
    newcomer.email = "autre@example.org"
    newcomer.save()
    assert client.post(link).status_code == 410
    assert not User.objects.get(pk=newcomer.pk).email_verified


def test_an_old_style_token_is_refused(client, newcomer):
    from reperes.accounts.actions import VERIFY_SALT
    from reperes.lib.signing import make_link_token

    old = make_link_token({"u": newcomer.pk, "e": newcomer.email}, salt=VERIFY_SALT)
    assert client.post(reverse("accounts:verify", args=[old])).status_code == 400
    newcomer.refresh_from_db()
    assert not newcomer.email_verified


def test_the_link_does_not_get_round_the_login_throttle(client, newcomer):
    """It used to log in again and again: now the password, and its throttle, are the only way."""
    newcomer.email_verified = True
    newcomer.save()
    link = link_for(newcomer)
    for _ in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": newcomer.email, "password": "faux"},
            REMOTE_ADDR="10.0.0.1",
        )
    client.post(link)
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("accounts:login"), {"username": newcomer.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
