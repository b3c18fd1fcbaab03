"""The dues lines of the answer form on a phone: rows stacked within the screen, added and removed
freely, a running total in Persian digits, and the lines saved as they were left."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from inquiries import services
from inquiries.models import Answer
from inquiries.tests.factories import InquiryFactory
from tests.e2e.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _screenshot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _row(page, index: int):
    return page.get_by_test_id("dues").locator("[data-due-row]").nth(index)


@pytest.mark.parametrize("width", [360, 390])
def test_dues_lines_are_added_removed_totalled_and_saved_on_a_phone(
    browser, live_server, citizen, reviewer_d1, tmp_path, width
):
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    context = browser.new_context(
        locale="en-US", viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    staff_sign_in(page, reviewer_d1.username)
    page.goto(f"{page.base}/staff/inquiries/{inquiry.tracking_code}/answer/")

    rows = page.get_by_test_id("dues").locator("[data-due-row]")
    expect(rows).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for index in range(3):
        box = _row(page, index).locator("input[name$='-title']").bounding_box()
        assert box["width"] > width * 0.6  # a real box, stacked on a phone, not 26 px
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    expect(page.get_by_test_id("dues-total")).to_have_text("۰")

    page.locator("input[name=decision][value=violations]").check()
    page.locator("#id_building_status").select_option("completed")
    page.locator("#id_land_use_plan").select_option("residential")
    page.locator("#id_road_widening").select_option("not_affected")

    lines = [
        ("عوارض نوسازی", "۱٬۲۵۰٬۰۰۰"),
        ("عوارض پسماند", "750000"),
        ("عوارض کسب", "۲۰۰۰"),
        ("جریمهٔ تخلف ساختمانی", "3,000,000"),
    ]
    page.get_by_test_id("dues-add").click()
    expect(rows).to_have_count(4)
    for index, (title, amount) in enumerate(lines):
        _row(page, index).locator("input[name$='-title']").fill(title)
        _row(page, index).locator("input[name$='-amount_rials']").fill(amount)
    expect(page.get_by_test_id("dues-total")).to_have_text("۵٬۰۰۲٬۰۰۰")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _screenshot(page, tmp_path, f"answer-dues-{width}")

    # The second line goes; the others move up and keep what was typed in them.
    _row(page, 1).get_by_role("button", name="حذف این ردیف").click()
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("dues-total")).to_have_text("۴٬۲۵۲٬۰۰۰")
    expect(page.locator("#id_dues-TOTAL_FORMS")).to_have_value("3")
    expect(page.locator("[name='dues-1-title']")).to_have_value("عوارض کسب")
    expect(page.locator("[name='dues-2-amount_rials']")).to_have_value("3,000,000")
    expect(_row(page, 2).locator("[data-due-number]")).to_have_text("۳")

    page.get_by_role("button", name="ذخیره پاسخ").click()
    expect(page).to_have_url(re.compile(r"/answers/\d+/sign/$"))
    answer = Answer.objects.get(inquiry=inquiry)
    assert [(d.title, d.amount_rials) for d in answer.dues.order_by("pk")] == [
        ("عوارض نوسازی", 1_250_000),
        ("عوارض کسب", 2_000),
        ("جریمهٔ تخلف ساختمانی", 3_000_000),
    ]
    context.close()
