"""Steps several browser journeys share."""

from playwright.sync_api import expect

STAFF_PASSWORD = "secret-pass-1401"  # what accounts.tests.factories sets


def staff_sign_in(page, username: str) -> None:
    """Sign in on the staff form (fields found by id: the labels change with the translation)."""
    page.goto(page.base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(STAFF_PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(page.base + "/")
