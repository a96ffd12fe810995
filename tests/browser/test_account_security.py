"""Account security in a real browser at phone and desktop sizes (issue 9): a throttled login,
enabling two-factor authentication from the profile, logging in with the app and with a
recovery code, the security log, and a network analyst sent to set it up. axe-core checks
every page on the way."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret, steps_ahead=0):
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in(page, live_url, email, password):
    page.goto(live_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def log_out(page):
    page.locator("summary", has_text="Camille").click()
    page.get_by_role("button", name="Se déconnecter").click()


def test_enable_two_factor_and_log_in_with_it(page, live_url, check_a11y):
    UserFactory(email="camille@example.org", name="Camille")

    # Five wrong passwords: a French page that says until when.
    for _ in range(5):
        log_in(page, live_url, "camille@example.org", "pas-le-bon")
    expect(page.get_by_text("Trop de tentatives de connexion")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"jusqu'(à|au .+ à) \d\d\sh\s\d\d\. Réessayez dans 15 minutes"))
    ).to_be_visible()
    check_a11y()
    from django.core.cache import cache

    cache.clear()  # as if a quarter of an hour had passed

    log_in(page, live_url, "camille@example.org", PASSWORD)
    page.goto(live_url("/compte/"))
    check_a11y()
    page.get_by_role("link", name="Activer la double authentification").click()
    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code à scanner avec l'application d'authentification")
    ).to_be_visible()
    check_a11y()
    page.get_by_text("Impossible de scanner ? Saisissez la clé à la main").click()
    secret = page.locator(".share-link").inner_text()
    check_a11y()

    # A mistyped code first.
    page.get_by_label("Code affiché par l'application").fill("12345")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Ce code ne correspond pas")).to_be_visible()
    check_a11y()
    page.get_by_label("Code affiché par l'application").fill(app_code(secret))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", name="Codes de secours")).to_be_visible()
    expect(page.get_by_text("ils ne seront plus jamais affichés")).to_be_visible()
    check_a11y()
    codes = page.locator(".code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_text("Activée")).to_be_visible()

    page.get_by_role("link", name="Sécurité du compte").click()
    expect(page.get_by_role("cell", name="Double authentification activée")).to_be_visible()
    check_a11y()

    # The next login asks for the code after the password.
    log_out(page)
    log_in(page, live_url, "camille@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Code de vérification")).to_be_visible()
    check_a11y()
    page.get_by_label("Code de vérification").fill("000000" if app_code(secret, 1) != "000000" else "111111")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Ce code ne convient pas")).to_be_visible()
    check_a11y()
    page.get_by_label("Code de vérification").fill(app_code(secret, 1))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("summary", has_text="Camille")).to_be_visible()

    # Phone lost: a recovery code, once.
    log_out(page)
    log_in(page, live_url, "camille@example.org", PASSWORD)
    page.get_by_text("Téléphone perdu ou indisponible ?").click()
    check_a11y()
    page.get_by_label("Code de vérification").fill(codes[0].upper())
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Il vous en reste 9")).to_be_visible()
    check_a11y()


def test_a_network_analyst_is_sent_to_set_up_two_factor(page, live_url, check_a11y, nina, network):
    log_in(page, live_url, "nina@example.org", PASSWORD)
    page.goto(live_url(f"/r/{network.slug}/"))
    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    expect(page.get_by_text("la double authentification est obligatoire")).to_be_visible()
    check_a11y()
