"""The Content-Security-Policy breaks nothing: pages load without a single policy violation in the
browser's console, and the page scripts (htmx, the formset's "add a row") still work."""

import re

import pytest
from playwright.sync_api import expect

from inquiries.tests.factories import InquiryFactory

from .helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def watch_policy(page) -> list[str]:
    """Every console message the browser writes about the Content Security Policy."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_public_pages_keep_the_policy(page):
    violations = watch_policy(page)
    for path in ("/", "/accounts/login/", "/accounts/citizen/", "/verify/", "/track/"):
        page.goto(page.base + path)
        page.wait_for_load_state("load")
    assert violations == []


def test_staff_and_admin_pages_keep_the_policy_and_their_scripts_run(page, ict_admin, reviewer_d1):
    violations = watch_policy(page)
    staff_sign_in(page, ict_admin.username)
    page.goto(page.base + "/offices/training/new/")
    rows = page.locator("#offices-rows > .row")
    before = rows.count()
    page.locator("[data-formset-add=offices]").click()
    expect(rows).to_have_count(before + 1)
    for path in ("/reports/", "/offices/scorecards/", "/admin/", "/admin/accounts/user/"):
        page.goto(page.base + path)
        page.wait_for_load_state("load")
    page.context.clear_cookies()

    inquiry = InquiryFactory()
    staff_sign_in(page, reviewer_d1.username)
    page.goto(page.base + f"/staff/inquiries/{inquiry.tracking_code}/")
    page.wait_for_load_state("load")
    assert violations == []


def test_the_admin_date_picker_works_under_the_policy(page, ict_admin):
    """django-jalali's picker builds its calendar with inline handlers: its forms, and only they,
    allow those (see shahrvand/admin.py)."""
    violations = watch_policy(page)
    staff_sign_in(page, ict_admin.username)
    page.goto(page.base + "/admin/counters/trainingsession/add/")
    date = page.locator("input[name=date].hasDatepicker")
    # The admin may have focused the field before the picker was bound: the picker opens on focus.
    date.blur()
    date.click()
    days = page.locator("#ui-datepicker-div td a")
    expect(days.first).to_be_visible()
    days.nth(9).click()
    expect(page.locator("input[name=date]")).to_have_value(re.compile(r"^1[34]\d\d-\d\d-10$"))
    assert violations == []
