"""The staff queue kept in the shared cache (Redis, as in production), in a browser: two reviewers
of a district share the kept list, one takes an inquiry and both see who holds it at once; the
filter form of a kept copy posts (its CSRF token is the reader's own) and "held by me" is each
reader's own list. The layout around it is kept too (``accounts/layout.py``, as in production):
each reader sees their own name, and its forms (the language switch, signing out) post with the
reader's own token and return to the reader's own address."""

import pytest
from playwright.sync_api import expect

from inquiries.tests.factories import InquiryFactory
from shahrvand.tests.shared_cache import needs_redis, shared_cache
from tests.e2e.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), *needs_redis]


@pytest.fixture(autouse=True)
def _shared_cache(settings):
    settings.KEPT_LAYOUT = True
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


def test_the_kept_layout_is_each_readers_own_and_its_forms_post(
    browser, live_server, reviewer_d1, manager_d1
):
    reviewer = _new_page(browser, live_server.url, 1366)
    manager = _new_page(browser, live_server.url, 390)
    staff_sign_in(reviewer, reviewer_d1.username)
    staff_sign_in(manager, manager_d1.username)
    for page in (reviewer, manager, reviewer, manager):  # the second time from the kept layout
        page.goto(page.base + "/staff/?status=all")
        expect(page.get_by_test_id("queue-empty")).to_be_visible()
    expect(reviewer.get_by_test_id("signed-in-as")).to_have_text(reviewer_d1.display_name)
    manager.get_by_role("button", name="باز کردن منو").click()  # the menu is folded at 390 px
    expect(manager.get_by_test_id("signed-in-as")).to_have_text(manager_d1.display_name)

    # The language switch posts the reader's token and comes back to the reader's address.
    reviewer.locator("#language-select").select_option("en")
    reviewer.get_by_role("button", name="تغییر").click()
    expect(reviewer).to_have_url(reviewer.base + "/staff/?status=all")
    expect(reviewer.locator("html")).to_have_attribute("lang", "en")
    expect(reviewer.get_by_test_id("signed-in-as")).to_have_text(reviewer_d1.display_name)

    # Signing out posts the reader's token too.
    manager.get_by_role("button", name="خروج").click()
    expect(manager).not_to_have_url(manager.base + "/staff/?status=all")
    manager.goto(manager.base + "/staff/")
    expect(manager).to_have_url(manager.base + "/accounts/login/?next=/staff/", ignore_case=True)
