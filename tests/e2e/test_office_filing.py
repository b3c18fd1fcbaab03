"""A notary office operator files a transfer inquiry for a citizen at the counter, with the keyboard;
the citizen then finds it as theirs."""

import io

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from inquiries.models import Inquiry
from inquiries.workflow import Channel
from tests.e2e.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_notary_operator_files_a_transfer_for_a_citizen(
    page, notary_operator, notary_office, sms_files, tmp_path
):
    staff_sign_in(page, notary_operator.username)
    page.goto(page.base + "/office/")
    page.get_by_test_id("office-file").click()
    page.locator("#id_kind_0").check()  # transfer
    page.locator("#id_kind_0").press("Enter")

    page.locator("#id_renovation_code").fill("۵-۱-۲-۳-۰-۰-۰")
    page.locator("#id_plate_main").fill("40")
    page.locator("#id_registration_section").fill("3")
    page.locator("#id_address").fill("ارومیه، بلوار والفجر")
    page.locator("#id_area_m2").fill("85.5")
    page.locator("#id_land_use").select_option("residential")
    page.locator("#id_building_status").select_option("completed")
    page.locator("#id_area_m2").press("Enter")

    page.locator("#id_national_id").fill("4608968882")
    page.locator("#id_mobile").fill("09145556677")
    page.locator("#id_first_name").fill("لیلا")
    page.locator("#id_last_name").fill("نوری")
    page.locator("#id_relation_0").check()
    page.locator("#id_last_name").press("Enter")

    # The notary office's number is filled in and cannot be changed.
    number = page.locator("#id_notary_office_number")
    expect(number).to_have_value(str(notary_office.number))
    expect(number).to_be_disabled()
    page.locator("#id_transaction_type").select_option("sale")
    page.locator("#id_seller_national_id").fill("4608968882")
    page.locator("#id_seller_name").fill("لیلا نوری")
    # The notary office's own letter asks for the inquiry: without it the step is not saved.
    page.locator("#id_seller_name").press("Enter")
    expect(page.locator("#id_letter_number")).to_have_attribute("aria-invalid", "true")
    page.locator("#id_letter_number").fill("۱۲/۳۴۵۶")
    page.locator("#id_letter_date").fill("۱۴۰۳/۰۵/۰۱")
    page.locator("#id_letter_date").press("Enter")

    from PIL import Image

    deed = tmp_path / "deed.png"
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), (0, 0, 0)).save(buffer, "PNG")
    deed.write_bytes(buffer.getvalue())
    page.locator("#id_kind").select_option("deed")
    page.locator("#id_file").set_input_files(str(deed))
    page.locator("button[name=upload]").click()
    page.locator("button[name=continue]").click()
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    code = page.get_by_test_id("tracking-code").inner_text()

    inquiry = Inquiry.objects.get()
    assert inquiry.channel == Channel.NOTARY_OFFICE and inquiry.office == notary_office
    assert inquiry.transfer.notary_office_number == notary_office.number
    assert inquiry.transfer.letter_number == "12/3456"
    assert inquiry.transfer.letter_date.isoformat() == "2024-07-22"
    assert inquiry.district.number == 5
    assert any(code in text for text in sms_files())

    page.goto(page.base + f"/office/{notary_office.pk}/")
    expect(page.get_by_test_id("office-queue")).to_contain_text(code)

    citizen = get_user_model().objects.get(national_id="4608968882")
    from django.test import Client

    client = Client()
    client.force_login(citizen)
    assert code in client.get("/inquiries/").content.decode()
