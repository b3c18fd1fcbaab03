"""The staff queue kept in the shared cache (Redis, as in production), in a browser: two reviewers
of a district share the kept list, one takes an inquiry and both see who holds it at once; the
filter form of a kept copy posts (its CSRF token is the reader's own) and "held by me" is each
reader's own list."""

import pytest
from playwright.sync_api import expect

from inquiries.tests.factories import InquiryFactory
from shahrvand.tests.shared_cache import needs_redis, shared_cache
from tests.e2e.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), *needs_redis]


@pytest.fixture(autouse=True)
def _shared_cache():
    with shared_cache():
        yield


def _new_page(browser, base, width):
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = base
    return page


def _held_by_me(page):
    page.goto(page.base + "/staff/")
    page.get_by_label("در دست").select_option("me")
    page.get_by_role("button", name="فیلتر").click()
    expect(page).to_have_url(page.base + "/staff/?assigned=me")


def test_two_reviewers_share_the_kept_queue_and_see_a_take_at_once(
    browser, live_server, citizen, reviewer_d1, manager_d1
):
    first, second = InquiryFactory(applicant=citizen), InquiryFactory(applicant=citizen)
    reviewer = _new_page(browser, live_server.url, 1366)
    manager = _new_page(browser, live_server.url, 390)
    staff_sign_in(reviewer, reviewer_d1.username)
    staff_sign_in(manager, manager_d1.username)
    for page in (reviewer, manager):
        page.goto(page.base + "/staff/")
        expect(page.get_by_test_id("queue")).to_contain_text(first.tracking_code_display())
        expect(page.get_by_test_id("queue")).to_contain_text(second.tracking_code_display())

    reviewer.get_by_role("link", name=first.tracking_code_display()).click()
    reviewer.get_by_role("button", name="برداشتن و شروع بررسی").click()
    expect(reviewer.get_by_test_id("status")).to_have_text("در حال بررسی")

    for page in (reviewer, manager):
        page.goto(page.base + "/staff/")
        row = page.get_by_test_id("queue").locator("tr", has_text=first.tracking_code_display())
        expect(row).to_contain_text(str(reviewer_d1.display_name))

    # The filter form of the kept copy posts; "held by me" is each reader's own.
    _held_by_me(reviewer)
    expect(reviewer.get_by_test_id("queue")).to_contain_text(first.tracking_code_display())
    expect(reviewer.get_by_test_id("queue")).not_to_contain_text(second.tracking_code_display())
    _held_by_me(manager)
    expect(manager.get_by_test_id("queue-empty")).to_be_visible()
