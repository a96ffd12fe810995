"""The security log of each account (issue 9, point 11): seen by that person and the instance
administration only, never in an organisation's journal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.accounts import actions
from reperes.accounts.models import SecurityEvent
from reperes.organisations.models import Event
from tests.accounts.factories import PASSWORD
from tests.helpers import force_login_verified, page_text

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOG = reverse("accounts:security_log")


def login(client, user, password=PASSWORD, address="192.0.2.57"):
    return client.post(LOGIN, {"username": user.email, "password": password}, REMOTE_ADDR=address)


def kinds(user):
    return list(SecurityEvent.objects.filter(user=user).order_by("at", "pk").values_list("kind", flat=True))


def test_logins_failures_and_password_changes_are_recorded_for_their_account(client, bob):
    login(client, bob, "faux")
    login(client, bob)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "un-nouveau-secret",
            "new_password2": "un-nouveau-secret",
        },
    )
    assert kinds(bob) == ["login_failed", "login", "password_changed"]
    failure = SecurityEvent.objects.filter(user=bob, kind="login_failed").get()
    assert failure.network == "192.0.2.0/24"  # truncated: a place, not a person


def test_a_wait_started_is_recorded(client, bob):
    for _ in range(5):
        login(client, bob, "faux")
    event = SecurityEvent.objects.get(user=bob, kind="login_locked")
    assert event.detail.startswith("jusqu'")


def test_a_password_reset_is_recorded(client, bob):
    actions.password_was_reset(bob)
    assert kinds(bob) == ["password_reset"]


def test_failures_for_unknown_addresses_record_nothing(client):
    login(client, type("Nobody", (), {"email": "personne@example.org"}), "faux")
    assert not SecurityEvent.objects.exists()


def test_the_person_sees_their_log_and_only_theirs(client, alice, bob):
    login(client, alice, "faux")
    login(client, alice)
    client.logout()
    client.force_login(bob)
    SecurityEvent.objects.filter(user=bob).delete()  # bob's own login, made by force_login
    page = page_text(client.get(LOG))
    assert "Mot de passe incorrect" not in page
    assert "Rien à signaler" in page
    client.force_login(alice)
    page = page_text(client.get(LOG))
    assert "Mot de passe incorrect" in page
    assert "192.0.2.0/24" in page


def test_the_profile_links_to_the_security_page(client, bob):
    client.force_login(bob)
    assert f'href="{LOG}"' in client.get(reverse("accounts:profile")).content.decode()


def test_nothing_about_logins_reaches_the_organisations_journal(client, alice, bob, carol, org_a):
    """A lead must not learn when members log in (to vote, for example)."""
    before = Event.objects.count()
    login(client, bob, "faux")
    login(client, bob)
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "un-nouveau-secret",
            "new_password2": "un-nouveau-secret",
        },
    )
    client.logout()
    actions.enable_two_factor(bob, secret="3132333435363738393031323334353637383930", time_step=0)
    actions.disable_two_factor(bob)
    assert Event.objects.count() == before
    client.force_login(alice)
    journal = page_text(client.get(reverse("organisations:events", args=[org_a.slug])))
    for word in ("Connexion", "connecté", "Mot de passe", "double authentification"):
        assert word not in journal


def test_the_admin_sees_every_log_read_only(client, bob, settings):
    from tests.accounts.factories import UserFactory

    login(client, bob, "faux")
    client.logout()
    staff = UserFactory(is_staff=True, is_superuser=True)
    force_login_verified(client, staff)
    admin = "/" + settings.ADMIN_URL + "accounts/securityevent/"
    page = page_text(client.get(admin))
    assert "Mot de passe incorrect" in page and "Bob" in page
    event = SecurityEvent.objects.filter(user=bob).first()
    assert client.post(f"{admin}{event.pk}/delete/").status_code == 403
    assert client.get(f"{admin}add/").status_code == 403


def test_lines_older_than_a_year_are_deleted_when_a_new_one_is_written(bob):
    old = actions.record_security_event(bob, SecurityEvent.Kind.LOGIN)
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=366))
    recent = actions.record_security_event(bob, SecurityEvent.Kind.LOGIN)
    SecurityEvent.objects.filter(pk=recent.pk).update(at=timezone.now() - timedelta(days=300))
    actions.record_security_event(bob, SecurityEvent.Kind.LOGIN_FAILED)
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
    assert SecurityEvent.objects.filter(user=bob).count() == 2


def test_deleting_an_account_deletes_its_log(client, bob):
    login(client, bob)
    client.post(reverse("account_delete"), {"password": PASSWORD})
    assert not SecurityEvent.objects.exists()
