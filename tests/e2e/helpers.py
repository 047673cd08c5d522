"""Shared steps of the browser tests."""
import time
from base64 import b32decode

from django_otp.oath import totp

SUBMIT = "main button[type=submit]:not([name=wizard_goto_step]):not([name=wizard_restart])"


def code_for_secret(secret_text: str) -> str:
    """The current authenticator code for a base32 secret as shown on the set-up page."""
    raw = secret_text.replace(" ", "")
    key = b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"


def code_for_device(device) -> str:
    """The current code of an enrolled TOTP device."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"


def login(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(SUBMIT)


def enrol_authenticator(page) -> str:
    """On the set-up page: read the key, type the first code, land on the home page."""
    page.wait_for_url("**/accounts/2fa/setup/")
    secret = page.locator("[data-testid=otp-secret]").inner_text()
    page.fill("#id_code", code_for_secret(secret))
    page.click(SUBMIT)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    return secret


def wait_for_next_code_window(after_step: int) -> None:
    """A code is accepted once: wait until the app shows the next one."""
    while int(time.time() // 30) <= after_step:
        time.sleep(0.5)
