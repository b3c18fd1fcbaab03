"""A reviewer's first sign-in with the second factor on: password, enrolment with the app's code,
the backup codes once, then the staff queue; the next sign-in asks for the code. No policy
violation on the way (the QR code is SVG drawn on the server)."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import SignInEvent, SignInEventKind

from .helpers import STAFF_PASSWORD
from .test_accessibility import axe_violations
from .test_content_security_policy import watch_policy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def app_code(user, *, steps: int = 0) -> str:
    """What the reviewer's authenticator app shows: computed from the secret in the database,
    as the app computes it from the QR code."""
    device = TOTPDevice.objects.filter(user=user).latest("pk")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():06d}"


def password_step(page, username: str) -> None:
    page.goto(page.base + "/staff/")  # sent to sign in, and back here afterwards
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#id_password").press("Enter")


def test_first_sign_in_enrols_then_every_sign_in_asks_for_the_code(page, settings, reviewer_d1):
    settings.STAFF_SECOND_FACTOR = True
    violations = watch_policy(page)

    password_step(page, reviewer_d1.username)
    expect(page).to_have_url(page.base + "/accounts/second-factor/setup/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("enrolment-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("enrolment-secret").inner_text()
    assert len(secret.replace(" ", "")) == 32  # 20 bytes in base32, to type by hand
    assert axe_violations(page) == []

    page.goto(page.base + "/staff/")  # no staff page before the second factor
    expect(page).to_have_url(page.base + "/accounts/second-factor/setup/")

    page.locator("#id_code").fill(app_code(reviewer_d1))
    page.locator("#id_code").press("Enter")
    codes = page.get_by_test_id("backup-codes").locator("li")
    expect(codes).to_have_count(10)
    assert axe_violations(page) == []
    page.get_by_test_id("continue").click()
    expect(page).to_have_url(page.base + "/staff/")
    expect(page.get_by_test_id("queue-filter")).to_be_visible()  # the review queue

    page.context.clear_cookies()
    password_step(page, reviewer_d1.username)
    expect(page).to_have_url(page.base + "/accounts/second-factor/")
    assert axe_violations(page) == []
    # The next period's code: the one used to enrol may not be used twice.
    page.locator("#id_code").fill(app_code(reviewer_d1, steps=1))
    page.locator("#id_code").press("Enter")
    expect(page).to_have_url(page.base + "/staff/")
    expect(page.get_by_test_id("queue-filter")).to_be_visible()

    kinds = list(
        SignInEvent.objects.filter(user=reviewer_d1).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == [
        SignInEventKind.SIGNED_IN,
        SignInEventKind.ENROLLED,
        SignInEventKind.SIGNED_IN,
        SignInEventKind.VERIFIED,
    ]
    assert violations == []
