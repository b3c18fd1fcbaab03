"""A citizen who uses only a keyboard files a transfer inquiry from start to finish: Tab and
Shift+Tab to move, typing into fields, arrow keys in selects and radio groups, Space and Enter to
choose and press. No mouse click anywhere."""

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from accounts.tests.factories import valid_national_id
from inquiries.kinds import InquiryKind
from inquiries.models import Inquiry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_KEYS = 80  # more Tab presses than this to reach a control means it is not reachable


def _sign_in_as(page, user) -> None:
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


def _focused_matches(page, selector: str) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def tab_to(page, selector: str) -> None:
    """Move the focus to ``selector`` with Tab, or Shift+Tab when it lies before the focus."""
    for _ in range(MAX_KEYS):
        if _focused_matches(page, selector):
            # and the focus can be seen (WCAG 2.4.7)
            ring = page.evaluate(
                """() => { const s = getComputedStyle(document.activeElement);
                           return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
            )
            assert (ring[0] != "none" and ring[1] != "0px") or ring[2] != "none", (selector, ring)
            return
        behind = page.evaluate(
            """s => {
                const target = document.querySelector(s), here = document.activeElement;
                if (!target || !here || here === document.body) return false;
                return !!(here.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING);
            }""",
            selector,
        )
        page.keyboard.press("Shift+Tab" if behind else "Tab")
    raise AssertionError(f"{selector} cannot be reached with the keyboard")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, selector: str, value: str) -> None:
    """A select or a radio group, changed with the arrow keys only."""
    tab_to(page, selector)
    for key in ("ArrowDown", "ArrowUp"):
        for _ in range(15):
            if page.evaluate("s => document.activeElement.value", selector) == value and (
                page.evaluate("() => document.activeElement.type !== 'radio'")
                or page.evaluate("() => document.activeElement.checked")
            ):
                return
            page.keyboard.press(key)
    raise AssertionError(f"{value!r} cannot be chosen in {selector} with the arrow keys")


def press_button(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def test_a_citizen_files_a_transfer_inquiry_with_the_keyboard_only(page, citizen, tmp_path):
    from PIL import Image

    deed = tmp_path / "deed.png"
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (40, 90, 160)).save(buffer, "PNG")
    deed.write_bytes(buffer.getvalue())
    _sign_in_as(page, citizen)

    page.goto(page.base + "/inquiries/")
    press_button(page, "main a[href$='/inquiries/new/']")
    expect(page).to_have_url(re.compile(r"/inquiries/new/$"))

    # The kind: Tab into the radio group, arrows to "transfer", Space to be sure it is checked.
    choose(page, "input[name=kind]", InquiryKind.TRANSFER)
    page.keyboard.press("Space")
    press_button(page, "main form button[type=submit]:not([tabindex='-1'])")
    expect(page).to_have_url(re.compile(r"/property/$"))

    type_into(page, "#id_renovation_code", "1-3-45-12-0-0-0")
    type_into(page, "#id_plate_main", "۵۶")
    type_into(page, "#id_plate_sub", "۱۲۳۴")
    type_into(page, "#id_registration_section", "۲")
    type_into(page, "#id_address", "ارومیه، خیابان امام، کوچه ۱۲")
    type_into(page, "#id_area_m2", "۱۵۰")
    choose(page, "#id_land_use", "residential")
    choose(page, "#id_building_status", "completed")
    # Back up to the first field (Shift+Tab) to check it kept what was typed.
    tab_to(page, "#id_renovation_code")
    expect(page.locator("#id_renovation_code")).to_have_value("1-3-45-12-0-0-0")
    press_button(page, "main .btn-brand[type=submit]")
    expect(page).to_have_url(re.compile(r"/applicant/$"))

    type_into(page, "#id_first_name", "نرگس")
    type_into(page, "#id_last_name", "احمدی")
    choose(page, "input[name=relation]", "owner")
    press_button(page, "main .btn-brand[type=submit]")
    expect(page).to_have_url(re.compile(r"/details/$"))

    choose(page, "#id_transaction_type", "sale")
    type_into(page, "#id_seller_national_id", citizen.national_id)
    type_into(page, "#id_seller_name", "نرگس احمدی")
    type_into(page, "#id_buyer_national_id", valid_national_id(seed=7))
    type_into(page, "#id_buyer_name", "بهرام رضایی")
    press_button(page, "main .btn-brand[type=submit]")
    expect(page).to_have_url(re.compile(r"/documents/$"))

    choose(page, "#id_kind", "deed")
    tab_to(page, "#id_file")
    chooser = None
    for _attempt in range(3):
        # The system's file dialog opens on Space; the file is picked there. Playwright switches
        # on its file-chooser interception asynchronously, so on a loaded machine the first key
        # press can beat it and the dialog goes unseen: press again (the focus stays put).
        try:
            with page.expect_file_chooser(timeout=8_000) as waiting:
                page.keyboard.press("Space")
            chooser = waiting.value
            break
        except PlaywrightTimeoutError:
            expect(page.locator("#id_file")).to_be_focused()
    assert chooser is not None, "Space on the focused file input never opened the file dialog"
    chooser.set_files(str(deed))
    press_button(page, "button[name=upload]")
    expect(page.locator(".alert-success")).to_be_visible()
    press_button(page, "button[name=continue]")
    expect(page).to_have_url(re.compile(r"/review/$"))

    press_button(page, "form[action$='/submit/'] button[type=submit]")
    code = page.get_by_test_id("tracking-code").inner_text()
    inquiry = Inquiry.objects.get()
    assert inquiry.tracking_code_display() == code
    assert inquiry.kind == InquiryKind.TRANSFER and inquiry.filed_by == citizen
    assert inquiry.applicant_national_id == citizen.national_id
    assert inquiry.property.renovation_code == "1-3-45-12-0-0-0"
    assert inquiry.attachments.count() == 1
    assert inquiry.transfer.buyer_name == "بهرام رضایی"
