"""District staff in a browser: a reviewer finds an inquiry, asks for more information, the citizen
answers, a manager signs; the page says the PDF is being prepared, then offers it; the public
verification page says the answer is valid. And a kiosk clerk files for a walk-in citizen."""

import io

import pytest
from playwright.sync_api import expect

from inquiries.models import Answer, Inquiry
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Channel, InquiryStatus
from tests.e2e.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _new_page(browser, base, width=1366, height=900):
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = base
    return page


def _png(tmp_path):
    from PIL import Image

    path = tmp_path / "deed.png"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 60)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_review_request_info_resubmit_sign_and_verify(
    browser, live_server, citizen, reviewer_d1, manager_d1, tmp_path, monkeypatch
):
    # No PDF worker yet: the signed answer waits for its PDF as it would behind a queue.
    queued = []
    monkeypatch.setattr("inquiries.tasks.answer_pdf_enqueue", queued.append)
    inquiry = InquiryFactory(applicant=citizen)
    code = inquiry.tracking_code_display()

    reviewer = _new_page(browser, live_server.url)
    staff_sign_in(reviewer, reviewer_d1.username)
    reviewer.goto(reviewer.base + "/staff/")
    reviewer.get_by_label("جست‌وجو").fill(code.lower())
    reviewer.get_by_role("button", name="فیلتر").click()
    expect(reviewer.get_by_test_id("queue")).to_contain_text(code)
    reviewer.get_by_role("link", name=code).click()
    reviewer.get_by_role("button", name="برداشتن و شروع بررسی").click()
    expect(reviewer.get_by_test_id("status")).to_have_text("در حال بررسی")
    reviewer.locator("summary", has_text="درخواست اطلاعات تکمیلی").click()
    reviewer.get_by_label("تصویر سند مالکیت خوانا نیست یا کامل نیست").check()
    reviewer.locator("#id_note").fill("لطفاً صفحه دوم سند را هم بفرستید.")
    reviewer.get_by_role("button", name="ارسال درخواست").click()
    expect(reviewer.get_by_test_id("status")).to_have_text("نیازمند اطلاعات تکمیلی")

    person = _new_page(browser, live_server.url, 390, 844)
    person.context.add_cookies([])  # a separate browser profile for the citizen
    from django.test import Client

    client = Client()
    client.force_login(citizen)
    person.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    person.goto(person.base + f"/inquiries/{inquiry.tracking_code}/")
    expect(person.get_by_test_id("info-request")).to_contain_text("صفحه دوم سند")
    person.get_by_role("link", name="ارسال اطلاعات").click()
    person.locator("#id_note").fill("صفحه دوم پیوست شد.")
    person.locator("#id_kind").select_option("deed")
    person.locator("#id_file").set_input_files(str(_png(tmp_path)))
    person.get_by_role("button", name="ارسال به منطقه").click()
    expect(person.get_by_test_id("status")).to_have_text("ارسال مجدد")

    reviewer.reload()
    reviewer.get_by_role("button", name="برداشتن و شروع بررسی").click()
    reviewer.get_by_role("link", name="تهیه پاسخ").click()
    reviewer.get_by_label("بلامانع", exact=True).check()
    reviewer.get_by_label("وضعیت ساختمان").select_option("completed")
    reviewer.locator("#id_dues-0-title").fill("عوارض نوسازی")
    reviewer.locator("#id_dues-0-amount_rials").fill("۲۵۰۰۰۰۰")
    reviewer.get_by_role("button", name="ذخیره پاسخ").click()
    expect(reviewer.locator("main")).to_contain_text("مدیر منطقه")  # waits for a signer

    manager = _new_page(browser, live_server.url)
    staff_sign_in(manager, manager_d1.username)
    manager.goto(manager.base + f"/staff/inquiries/{inquiry.tracking_code}/")
    manager.get_by_role("link", name="بررسی و امضای پاسخ").click()
    manager.get_by_label("پاسخ را بررسی کرده‌ام", exact=False).check()
    manager.get_by_role("button", name="امضا", exact=True).click()
    expect(manager.get_by_test_id("status")).to_have_text("پاسخ داده شد")
    pdf_box = manager.get_by_test_id("answer-pdf").first
    expect(pdf_box).to_contain_text("در حال آماده")
    answer = Answer.objects.get(inquiry=inquiry)
    assert queued == [answer.pk]

    # The worker does its job; the page notices by itself (htmx polling).
    from inquiries.answer_pdf import answer_pdf_store

    assert answer_pdf_store(answer.pk) == "rendered"
    expect(manager.get_by_test_id("answer-pdf-download")).to_be_visible(timeout=15_000)

    answer.refresh_from_db()
    visitor = _new_page(browser, live_server.url, 390, 844)
    visitor.goto(visitor.base + "/verify/")
    visitor.locator("#id_code").fill(answer.verification_code.lower())
    visitor.get_by_role("button", name="بررسی کد").click()
    verdict = visitor.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-result", "valid")
    expect(verdict).to_contain_text("معتبر")
    expect(visitor.locator("main")).not_to_contain_text(citizen.national_id)
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.ANSWERED
    for page in (reviewer, person, manager, visitor):
        page.context.close()


def test_kiosk_clerk_files_for_a_walk_in_citizen(
    browser, live_server, kiosk_clerk, sms_files, tmp_path
):
    page = _new_page(browser, live_server.url)
    staff_sign_in(page, kiosk_clerk.username)
    page.goto(page.base + "/kiosk/")
    # Keyboard only: the kiosk's buttons are reachable and work with Enter.
    page.get_by_role("link", name="ثبت استعلام برای شهروند").focus()
    page.keyboard.press("Enter")
    page.get_by_label("بانکی").check()
    page.get_by_role("button", name="شروع").click()
    page.get_by_label("کد نوسازی").fill("1-2-3-4-0-0-0")
    page.get_by_label("پلاک اصلی").fill("12")
    page.get_by_label("بخش ثبتی").fill("2")
    page.get_by_label("نشانی").fill("ارومیه، خیابان شهید بهشتی")
    page.get_by_label("مساحت").fill("200")
    page.get_by_label("کاربری").select_option("residential")
    page.get_by_label("وضعیت ساختمان").select_option("completed")
    page.get_by_role("button", name="ذخیره و ادامه").click()
    page.locator("#id_national_id").fill("0084575948")
    page.locator("#id_mobile").fill("09141234567")
    page.locator("#id_first_name").fill("رضا")
    page.locator("#id_last_name").fill("کریمی")
    page.get_by_label("مالک", exact=True).check()
    page.get_by_role("button", name="ذخیره و ادامه").click()
    page.get_by_label("نام بانک").select_option("mellat")
    page.get_by_label("نام شعبه").fill("شعبه مرکزی")
    page.get_by_label("نوع تسهیلات").select_option("construction")
    page.get_by_label("شماره نامه بانک").fill("1234")
    page.get_by_label("تاریخ نامه بانک").fill("1405/08/20")
    page.get_by_role("button", name="ذخیره و ادامه").click()
    png = _png(tmp_path)
    for document in ("deed", "bank_letter"):
        page.get_by_label("نوع مدرک").select_option(document)
        page.get_by_label("فایل").set_input_files(str(png))
        page.get_by_role("button", name="بارگذاری").click()
    page.get_by_role("button", name="ادامه و بازبینی").click()
    page.get_by_role("button", name="ارسال استعلام").click()
    code = page.get_by_test_id("tracking-code").inner_text()
    inquiry = Inquiry.objects.get()
    assert inquiry.channel == Channel.KIOSK and inquiry.filed_by == kiosk_clerk
    assert inquiry.tracking_code_display() == code
    assert any(code in text and "09141234567" in text for text in sms_files())
    page.get_by_role("link", name="بازگشت به باجه").click()
    page.get_by_role("link", name="جست‌وجوی استعلام").click()
    page.get_by_label("کد رهگیری").fill(code)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("kiosk-result")).to_contain_text("ثبت‌شده")
    page.context.close()
