"""A citizen on a phone: signs in by SMS code, files each kind of inquiry with a document, sees the
tracking code, finds the inquiries on "my inquiries" and on the public tracking page; district 2 is
refused with where to go instead."""

import io
import re

import pytest
from playwright.sync_api import expect

from inquiries.models import Inquiry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NATIONAL_ID = "۰۰۱۲۳۴۵۶۷۹"  # typed with Persian digits, as people do
MOBILE = "۰۹۱۲۰۰۰۰۰۰۱"


def _png(tmp_path):
    from PIL import Image

    path = tmp_path / "سند-ملک.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (40, 90, 160)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _sign_in(page, sms_files):
    page.goto(page.base + "/accounts/citizen/")
    page.get_by_label("کد ملی").fill(NATIONAL_ID)
    page.get_by_label("شماره همراه").fill(MOBILE)
    page.get_by_role("button", name="دریافت کد ورود").click()
    expect(page).to_have_url(re.compile(r"/accounts/citizen/code/$"))
    code = re.search(r"\b(\d{6})\b", sms_files()[-1]).group(1)
    page.get_by_label("کد ۶ رقمی ارسال‌شده").fill(code)
    page.get_by_role("button", name="ورود").click()
    expect(page).to_have_url(re.compile(r"/inquiries/$"))


def _property(page, code="1-3-45-12-0-0-0"):
    page.get_by_label("کد نوسازی").fill(code)
    page.get_by_label("پلاک اصلی").fill("۵۶")
    page.get_by_label("پلاک فرعی").fill("۱۲۳۴")
    page.get_by_label("بخش ثبتی").fill("۲")
    page.get_by_label("نشانی").fill("ارومیه، خیابان امام، کوچه ۱۲، پلاک ۸")
    page.get_by_label("مساحت").fill("۱۵۰")
    page.get_by_label("کاربری").select_option("residential")
    page.get_by_label("وضعیت ساختمان").select_option("completed")
    page.get_by_role("button", name="ذخیره و ادامه").click()


def _file(page, kind_label, details, documents, png):
    page.goto(page.base + "/inquiries/new/")
    page.get_by_text(kind_label, exact=True).click()
    page.get_by_role("button", name="شروع").click()
    _property(page)
    page.locator("#id_first_name").fill("نرگس")
    page.locator("#id_last_name").fill("احمدی")
    page.get_by_label("مالک", exact=True).check()
    page.get_by_role("button", name="ذخیره و ادامه").click()
    details(page)
    page.get_by_role("button", name="ذخیره و ادامه").click()
    for document in documents:
        page.get_by_label("نوع مدرک").select_option(document)
        page.get_by_label("فایل").set_input_files(str(png))
        page.get_by_role("button", name="بارگذاری").click()
        expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("button", name="ادامه و بازبینی").click()
    expect(page.locator("h1")).to_contain_text("بازبینی")
    page.get_by_role("button", name="ارسال استعلام").click()
    code = page.get_by_test_id("tracking-code").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}", code)
    return code


def _transfer(page):
    page.get_by_label("نوع معامله").select_option("sale")
    page.get_by_label("کد ملی فروشنده (مالک)").fill(NATIONAL_ID)
    page.get_by_label("نام و نام خانوادگی فروشنده (مالک)").fill("نرگس احمدی")


def _bank(page):
    page.get_by_label("نام بانک").select_option("melli")
    page.get_by_label("نام شعبه").fill("شعبه مرکزی")
    page.get_by_label("نوع تسهیلات").select_option("mortgage")
    page.get_by_label("شماره نامه بانک").fill("۴۵/۱۲۳۴")
    page.get_by_label("تاریخ نامه بانک").fill("۱۴۰۵/۰۸/۰۱")


def _agency(page):
    page.get_by_label("نوع اداره").select_option("court")
    page.get_by_label("نام اداره").fill("دادگستری ارومیه، شعبه ۵")
    page.get_by_label("شماره نامه اداره").fill("۹۹۰۱/۲۲")
    page.get_by_label("تاریخ نامه اداره").fill("1405/08/01")
    page.get_by_label("موضوع استعلام").fill("وضعیت ملک برای پرونده")


def test_citizen_files_each_kind_and_tracks_it(phone_page, sms_files, tmp_path, browser):
    page = phone_page
    png = _png(tmp_path)
    _sign_in(page, sms_files)
    expect(page.locator("main")).to_contain_text("هنوز استعلامی")

    codes = [
        _file(page, "نقل و انتقال", _transfer, ["deed"], png),
        _file(page, "بانکی", _bank, ["deed", "bank_letter"], png),
        _file(page, "ادارات", _agency, ["deed", "agency_letter"], png),
    ]
    assert Inquiry.objects.count() == 3
    # Each tracking code also came by SMS.
    for code in codes:
        assert any(code in text for text in sms_files())

    page.goto(page.base + "/inquiries/")
    listed = page.get_by_test_id("my-inquiries")
    for code in codes:
        expect(listed).to_contain_text(code)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The public page, from another browser with nobody signed in.
    visitor = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    public = visitor.new_page()
    public.goto(page.base + "/track/")
    public.get_by_label("کد رهگیری").fill(codes[1].lower())
    public.get_by_label("کد ملی متقاضی").fill(NATIONAL_ID)
    public.get_by_role("button", name="نمایش وضعیت").click()
    expect(public.get_by_test_id("tracking-status")).to_have_text("ثبت‌شده")
    expect(public.locator("main")).not_to_contain_text("نرگس")
    visitor.close()


def test_district_two_is_refused_with_the_office_address(phone_page, sms_files):
    page = phone_page
    _sign_in(page, sms_files)
    page.goto(page.base + "/inquiries/new/")
    page.get_by_text("نقل و انتقال", exact=True).click()
    page.get_by_role("button", name="شروع").click()
    _property(page, code="2-1-1-1-0-0-0")
    refusal = page.get_by_test_id("not-online")
    expect(refusal).to_contain_text("منطقه دو")
    expect(refusal).to_contain_text("ساختمان شهرداری منطقه دو")
    assert not Inquiry.objects.exists()
