"""A citizen on a phone: a file with a very long name keeps every page within the screen, and
nothing typed on a step is lost to the "back" button, the step pills or a district that is not
online."""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from inquiries.models import Inquiry
from inquiries.tests.factories import complete_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAME = (
    "سند-مالکیت-" + "ScanOfTheOwnershipDeedPage1FromTheRegistryOffice" + "_" * 2 + "x" * 28 + ".png"
)


def _screenshot(page, tmp_path: Path, name: str) -> Path:
    """Saved beside the test's files, and in $E2E_SCREENSHOTS when set, to be looked at."""
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _sign_in_as(page, user) -> None:
    """Signed in without the SMS round trip (the citizen journey covers that)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base,
            }
        ]
    )


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _png(path: Path) -> Path:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (40, 90, 160)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_very_long_file_name_keeps_filing_and_the_inquiry_within_the_screen(
    page, citizen, tmp_path
):
    assert len(LONG_NAME) >= 90
    draft = complete_draft(citizen)
    _sign_in_as(page, citizen)
    width = page.viewport_size["width"]
    page.goto(f"{page.base}/inquiries/drafts/{draft.pk}/documents/")
    page.get_by_label("نوع مدرک").select_option("other")
    page.get_by_label("فایل").set_input_files(str(_png(tmp_path / LONG_NAME)))
    page.get_by_role("button", name="بارگذاری").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("file-name").last).to_have_attribute("title", LONG_NAME)
    assert _page_width(page) <= width
    _screenshot(page, tmp_path, "documents-long-file-name")

    page.get_by_role("button", name="ادامه و بازبینی").click()
    expect(page.locator("h1")).to_contain_text("بازبینی")
    assert _page_width(page) <= width
    _screenshot(page, tmp_path, "review-long-file-name")

    send = page.get_by_role("button", name="ارسال استعلام")
    box = send.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # on the screen, so it can be tapped
    send.click()
    code = page.get_by_test_id("tracking-code").inner_text()
    page.goto(f"{page.base}/inquiries/{code}/")
    expect(page.get_by_test_id("file-name").first).to_be_visible()
    assert _page_width(page) <= width
    _screenshot(page, tmp_path, "inquiry-long-file-name")
    assert Inquiry.objects.get().attachments.filter(original_name=LONG_NAME).exists()


def test_back_and_the_step_pills_keep_what_was_typed(phone_page, citizen, tmp_path):
    page = phone_page
    draft = complete_draft(citizen)
    _sign_in_as(page, citizen)
    page.goto(f"{page.base}/inquiries/drafts/{draft.pk}/applicant/")
    page.locator("#id_first_name").fill("مریم")
    page.get_by_role("button", name="بازگشت").click()  # the in-app "back"
    expect(page).to_have_url(re.compile(r"/property/$"))
    draft.refresh_from_db()
    assert draft.data["applicant"]["first_name"] == "مریم"

    # A mistake on the way out: the saved step stays, what was typed comes back with the problem.
    page.get_by_label("نشانی").fill("")
    page.get_by_label("مساحت").fill("۹۸")
    page.get_by_role("button", name=re.compile("متقاضی")).click()  # the "applicant" pill
    expect(page).to_have_url(re.compile(r"/applicant/$"))
    expect(page.locator(".alert-warning")).to_be_visible()
    draft.refresh_from_db()
    assert draft.data["property"]["address"] == "ارومیه، خیابان امام، کوچه ۱۲"
    page.get_by_role("button", name=re.compile("ملک")).click()  # the "property" pill
    expect(page.get_by_test_id("unsaved")).to_be_visible()
    expect(page.get_by_label("مساحت")).to_have_value("۹۸")
    expect(page.get_by_label("نشانی")).to_have_value("")
    expect(page.locator("#id_plate_main")).to_have_value("56")
    _screenshot(page, tmp_path, "property-unsaved")

    # Enter in a field saves and goes on (the hidden default button, not a pill or "back").
    page.get_by_label("نشانی").fill("ارومیه، خیابان سرداران")
    page.get_by_label("نشانی").press("Tab")
    page.get_by_label("مساحت").press("Enter")
    expect(page).to_have_url(re.compile(r"/applicant/$"))
    draft.refresh_from_db()
    assert draft.data["property"]["address"] == "ارومیه، خیابان سرداران"
    assert draft.data["property"]["area_m2"] == "98"
    assert "property" not in draft.data.get("typed", {})


def test_a_district_two_code_keeps_the_saved_property_and_what_was_typed(
    phone_page, citizen, tmp_path
):
    page = phone_page
    draft = complete_draft(citizen)
    saved = dict(draft.data["property"])
    _sign_in_as(page, citizen)
    page.goto(f"{page.base}/inquiries/drafts/{draft.pk}/property/")
    page.get_by_label("کد نوسازی").fill("2-1-1-1-0-0-0")
    page.get_by_role("button", name="ذخیره و ادامه").click()
    expect(page.get_by_test_id("not-online")).to_be_visible()
    expect(page.get_by_label("نشانی")).to_have_value("ارومیه، خیابان امام، کوچه ۱۲")
    draft.refresh_from_db()
    assert draft.data["property"] == saved

    page.goto(f"{page.base}/inquiries/drafts/{draft.pk}/review/")
    expect(page).to_have_url(re.compile(r"/property/$"))  # settled before the review
    expect(page.get_by_label("کد نوسازی")).to_have_value("2-1-1-1-0-0-0")
    expect(page.get_by_label("مساحت")).to_have_value("150.50")
    page.get_by_label("کد نوسازی").fill("1-3-45-12-0-0-0")
    page.get_by_role("button", name="ذخیره و ادامه").click()
    expect(page).to_have_url(re.compile(r"/applicant/$"))
    page.goto(f"{page.base}/inquiries/drafts/{draft.pk}/review/")
    expect(page.locator("h1")).to_contain_text("بازبینی")
