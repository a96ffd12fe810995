"""Steps several browser journeys take the same way."""

from django_otp.oath import TOTP
from playwright.sync_api import expect


def enter_app_code(page, device):
    """Type the current code of `device` (a TOTP app) on the verification page."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code de vérification").fill(f"{totp.token():0{device.digits}d}")
    page.get_by_role("button", name="Vérifier").click()


def success(page, text):
    expect(page.locator(".alert--success", has_text=text)).to_be_visible()
