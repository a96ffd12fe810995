"""Login throttling (issue 9, point 8): per account and address, per account, per address,
in the shared cache, with a French 429 page that says until when."""

import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from reperes.accounts import throttle
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def words(response):
    return " ".join(page_text(response).split())


def attempt(client, email, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def clock(monkeypatch):
    """Moves the throttle's clock forward: clock(seconds)."""
    start = time.time()

    def later(seconds):
        monkeypatch.setattr(throttle, "now", lambda: start + seconds)

    return later


@pytest.fixture
def camille(db):
    return UserFactory(email="camille@example.org")


def test_five_failures_from_one_address_pause_that_account_there(client, camille):
    for _ in range(4):
        assert attempt(client, "camille@example.org", "mauvais").status_code == 200
    response = attempt(client, "camille@example.org", "mauvais")
    assert response.status_code == 429
    page = words(response)
    assert "Trop de tentatives de connexion" in page
    assert "est suspendue jusqu'" in page  # « jusqu'à 14 h 32 », or « jusqu'au 1er décembre à 00 h 08 »
    assert "Réessayez dans 15 minutes" in page
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    # Even the right password is refused during the wait.
    assert attempt(client, "camille@example.org", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_pause_ends_after_its_time(client, camille, clock):
    for _ in range(5):
        attempt(client, "camille@example.org", "mauvais")
    clock(14 * 60)
    assert attempt(client, "camille@example.org", PASSWORD).status_code == 429
    clock(15 * 60 + 1)
    assert attempt(client, "camille@example.org", PASSWORD).status_code == 302


def test_attempts_refused_during_a_pause_do_not_lengthen_it(client, camille, clock):
    for _ in range(5):
        attempt(client, "camille@example.org", "mauvais")
    for _ in range(12):
        assert attempt(client, "camille@example.org", "mauvais").status_code == 429
    clock(15 * 60 + 1)
    assert attempt(client, "camille@example.org", PASSWORD).status_code == 302


def test_guesses_at_one_account_from_six_addresses_are_throttled(client, camille):
    """40 guesses from 10 addresses used to go through: the account itself is now counted."""
    statuses = [
        attempt(client, "camille@example.org", "mauvais", f"10.0.1.{i}").status_code for i in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    # From yet another address, even with the right password: the account waits.
    response = attempt(client, "camille@example.org", PASSWORD, "10.0.2.1")
    assert response.status_code == 429
    assert "plusieurs endroits" in words(response)
    assert "_auth_user_id" not in client.session


def test_the_account_pause_doubles_and_never_exceeds_an_hour(client, camille, clock):
    elapsed = 0
    waits = []
    for series in range(10):
        for i in range(5):
            response = attempt(client, "camille@example.org", "mauvais", f"10.{series}.0.{i}")
        assert response.status_code == 429
        waits.append(int(response["Retry-After"]))
        elapsed += waits[-1] + 1
        clock(elapsed)
    assert 50 < waits[0] <= 60
    assert 110 < waits[1] <= 120
    assert 230 < waits[2] <= 240
    assert max(waits) <= 3600
    assert waits[-1] > 3500


def test_one_address_trying_twenty_accounts_is_throttled(client, camille):
    statuses = [
        attempt(client, f"personne{i}@example.org", "motdepasse", "10.9.9.9").status_code for i in range(21)
    ]
    assert statuses[:19] == [200] * 19
    assert statuses[19:] == [429, 429]
    # Every account from that address waits, even with its right password…
    response = attempt(client, "camille@example.org", PASSWORD, "10.9.9.9")
    assert response.status_code == 429
    assert "depuis votre accès à internet" in words(response)
    # …while the same account logs in from elsewhere.
    assert attempt(client, "camille@example.org", PASSWORD, "10.1.1.1").status_code == 302


def test_logging_into_ones_own_account_does_not_clear_the_address_count(client, camille):
    for i in range(19):
        attempt(client, f"personne{i}@example.org", "motdepasse", "10.9.9.9")
    assert attempt(client, "camille@example.org", PASSWORD, "10.9.9.9").status_code == 302
    client.logout()
    assert attempt(client, "personne99@example.org", "motdepasse", "10.9.9.9").status_code == 429


def test_a_successful_login_clears_the_accounts_failures(client, camille):
    for _ in range(4):
        attempt(client, "camille@example.org", "mauvais")
    assert attempt(client, "camille@example.org", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "camille@example.org", "mauvais").status_code == 200


def test_a_password_reset_ends_the_accounts_pause(client, camille):
    from reperes.accounts.actions import password_was_reset

    for i in range(5):
        attempt(client, "camille@example.org", "mauvais", f"10.0.3.{i}")
    assert attempt(client, "camille@example.org", PASSWORD, "10.0.4.1").status_code == 429
    password_was_reset(camille)
    assert attempt(client, "camille@example.org", PASSWORD, "10.0.4.1").status_code == 302


def test_the_pause_is_the_same_for_an_unknown_address(client):
    """Throttling never tells whether an account exists."""
    for _ in range(5):
        response = attempt(client, "inconnu@example.org", "mauvais")
    assert response.status_code == 429


def test_counters_live_in_the_shared_database_cache_without_clear_addresses(client, camille):
    assert caches["default"].__class__.__name__ == "DatabaseCache"
    attempt(client, "camille@example.org", "mauvais", "10.7.7.7")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM reperes_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert len([key for key in keys if "throttle:" in key]) == 3  # account-address, account, address
    assert not any("camille" in key or "10.7.7.7" in key for key in keys)


def test_createcachetable_runs_wherever_migrate_runs():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    run_target = (root / "Makefile").read_text().split("\nrun:")[1].split("\n\n")[0]
    assert "createcachetable" in run_target
    operations = (root / "docs" / "operations.md").read_text()
    assert operations.count("manage migrate --no-input\nmanage createcachetable") == 2  # install, upgrade


def test_the_end_of_a_wait_is_said_in_french_even_past_midnight(monkeypatch):
    from datetime import datetime

    from django.utils import timezone

    from reperes.accounts.actions import until_label

    paris = timezone.get_current_timezone()
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime(2026, 11, 30, tzinfo=paris).date())
    assert until_label(datetime(2026, 11, 30, 14, 32, tzinfo=paris).timestamp()) == "jusqu'à 14\xa0h\xa032"
    assert (
        until_label(datetime(2026, 12, 1, 0, 8, tzinfo=paris).timestamp())
        == "jusqu'au 1er décembre à 00\xa0h\xa008"
    )
