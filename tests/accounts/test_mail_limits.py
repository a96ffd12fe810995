"""Point 9 of issue 9, for anonymous visitors: sign-up, new verification links and password
resets cannot be used to flood an address or to mail many strangers from one machine.

Past an address's daily quota the pages answer exactly as before and send nothing (nobody may
learn who has an account); past the client address's hourly limit, the French 429 page.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
RESEND = reverse("accounts:resend_verification")


@pytest.fixture
def limits(settings):
    settings.MAIL_QUOTA_ADDRESS_PER_DAY = 3
    settings.MAIL_REQUESTS_PER_CLIENT_PER_HOUR = 100
    return settings


def from_address(ip):
    return Client(REMOTE_ADDR=ip)


def test_password_resets_to_one_address_stop_silently_past_its_quota(limits):
    UserFactory(email="camille@example.org")
    responses = [
        from_address(f"203.0.113.{n}").post(RESET, {"email": "camille@example.org"}) for n in range(6)
    ]
    assert len(mail.outbox) == 3
    assert {response["Location"] for response in responses} == {reverse("accounts:password_reset_done")}


def test_reset_page_answers_the_same_for_an_unknown_address_past_its_quota(limits):
    UserFactory(email="camille@example.org")
    for _ in range(3):
        from_address("203.0.113.1").post(RESET, {"email": "camille@example.org"})
    known = from_address("203.0.113.2").post(RESET, {"email": "camille@example.org"})
    unknown = from_address("203.0.113.3").post(RESET, {"email": "personne@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_reset_requests_from_one_machine_are_throttled(limits):
    # Spraying: one machine, a different stranger's address each time.
    limits.MAIL_REQUESTS_PER_CLIENT_PER_HOUR = 3
    for n in range(3):
        UserFactory(email=f"inconnu{n}@example.org")
    client = from_address("203.0.113.9")
    statuses = [client.post(RESET, {"email": f"inconnu{n}@example.org"}).status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    response = client.post(RESET, {"email": "inconnu0@example.org"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Trop de tentatives" in page_text(response)


def test_verification_resends_stop_silently_past_the_address_quota(
    limits, django_capture_on_commit_callbacks
):
    UserFactory(email="camille@example.org", email_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            from_address(f"203.0.113.{n}").post(RESEND, {"email": "camille@example.org"}) for n in range(6)
        ]
    assert len(mail.outbox) == 3
    assert {response.status_code for response in responses} == {302}


def test_verification_resends_from_one_machine_are_throttled(limits):
    limits.MAIL_REQUESTS_PER_CLIENT_PER_HOUR = 2
    client = from_address("203.0.113.9")
    statuses = [client.post(RESEND, {"email": f"x{n}@example.org"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_sign_ups_from_one_machine_are_throttled(limits, django_capture_on_commit_callbacks):
    # Each sign-up mails the address typed, with the name typed: a way to mail strangers.
    limits.MAIL_REQUESTS_PER_CLIENT_PER_HOUR = 2
    client = from_address("203.0.113.9")
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                reverse("accounts:signup"),
                {"name": "Achetez", "email": f"cible{n}@example.org", "password": "un-bon-mot-de-passe"},
            ).status_code
            for n in range(3)
        ]
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_a_workshop_on_one_connection_can_sign_up_together(settings, django_capture_on_commit_callbacks):
    # The default leaves room for a group in one room (one public address).
    client = from_address("203.0.113.9")
    for n in range(15):
        response = client.post(
            reverse("accounts:signup"),
            {"name": f"Personne {n}", "email": f"p{n}@example.org", "password": "un-bon-mot-de-passe"},
        )
        assert response.status_code == 302
        client.logout()


def test_the_sign_up_mail_counts_in_the_address_quota(limits, django_capture_on_commit_callbacks):
    """Signing up spends one mail of the address's day: resends then stop at the quota."""
    with django_capture_on_commit_callbacks(execute=True):
        from_address("203.0.113.1").post(
            reverse("accounts:signup"),
            {
                "email": "dominique@example.org",
                "name": "Dominique",
                "password": "un-bon-mot-de-passe",
            },
        )
    assert len(mail.outbox) == 1
    for n in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            from_address(f"203.0.113.{n + 2}").post(RESEND, {"email": "dominique@example.org"})
    assert len(mail.outbox) == 3
