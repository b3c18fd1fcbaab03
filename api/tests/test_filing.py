import datetime as dt
import io
import threading

import pytest

from accounts.tests.factories import valid_national_id
from api.models import ApiCall, ApiFiling
from inquiries.models import Attachment, Inquiry, InquiryEvent
from inquiries.models.summary import QueueCount
from inquiries.workflow import Action, Channel, InquiryStatus

from .conftest import filing_data, key_for, png_file

pytestmark = pytest.mark.django_db

LIST = "/api/v1/inquiries/"


def _file(api_as, key, *, idem="filing-0001", **changes):
    return api_as(key).post(LIST, filing_data(**changes), HTTP_IDEMPOTENCY_KEY=idem)


def test_a_bank_files_an_inquiry_of_its_kind_through_the_api_channel(
    api_as, bank_key, bank_institution
):
    response = _file(api_as, bank_key)
    assert response.status_code == 201, response.json()
    body = response.json()
    inquiry = Inquiry.objects.get(tracking_code=body["tracking_code"])
    assert (inquiry.kind, inquiry.channel, inquiry.status) == (
        "bank",
        Channel.INSTITUTION_API,
        InquiryStatus.SUBMITTED,
    )
    assert inquiry.filed_by == bank_institution.account and inquiry.office is None
    # What the institution is, not what it typed: its bank and its registered branch.
    assert inquiry.bank.bank.code == "melli"
    assert (inquiry.bank.branch_code, inquiry.bank.branch_name) == ("1234", "شعبه مرکزی ارومیه")
    assert inquiry.bank.letter_number == "45/1234"
    assert sorted(inquiry.attachments.values_list("kind", flat=True)) == ["bank_letter", "deed"]
    assert body["channel"] == "institution_api" and body["letter_number"] == "45/1234"
    assert body["due_date"] and body["history"][0]["action"] == "submit"
    event = InquiryEvent.objects.get(inquiry=inquiry)
    assert (event.action, event.channel) == (Action.SUBMIT, Channel.INSTITUTION_API)
    # The kept counts moved with it (the queue's tabs, the reports by channel).
    assert QueueCount.objects.get(channel=Channel.INSTITUTION_API, status="submitted").n == 1
    assert ApiCall.objects.get(endpoint="inquiries").status_code == 201


def test_a_court_files_an_agency_inquiry_named_after_itself(api_as, ict_admin, court_institution):
    key = key_for(ict_admin, court_institution)
    data = {
        **filing_data(subject="استعلام برای پرونده ۱۲۳", agency_letter=png_file("a.png")),
        "bank_letter": None,
    }
    data = {k: v for k, v in data.items() if v is not None}
    response = api_as(key).post(LIST, data, HTTP_IDEMPOTENCY_KEY="court-0001")
    assert response.status_code == 201, response.json()
    inquiry = Inquiry.objects.get(tracking_code=response.json()["tracking_code"])
    assert inquiry.kind == "agency"
    assert (inquiry.agency.agency_type, inquiry.agency.agency_name) == ("court", "دادگستری ارومیه")


def _notary_filing(**changes) -> dict:
    """A notary system's filing: a transfer, with the notary office's letter, no bank's fields."""
    transfer = {
        "transaction_type": "sale",
        "seller_national_id": valid_national_id(seed=11),
        "seller_name": "نرگس احمدی",
        "bank_letter": None,
        "branch_code": None,
        "facility_type": None,
        "letter_number": "۱۲/۳۴۵۶",
        "letter_date": "۱۴۰۳/۰۵/۰۱",
    }
    return filing_data(**{**transfer, **changes})


def test_a_notary_system_files_a_transfer_with_its_office_number_and_letter(
    api_as, ict_admin, notary_institution
):
    key = key_for(ict_admin, notary_institution)
    response = api_as(key).post(LIST, _notary_filing(), HTTP_IDEMPOTENCY_KEY="notary-0001")
    assert response.status_code == 201, response.json()
    body = response.json()
    inquiry = Inquiry.objects.get(tracking_code=body["tracking_code"])
    assert inquiry.kind == "transfer"
    assert inquiry.transfer.notary_office_number == notary_institution.office.number
    # Normalised as on the web: Latin digits, the Jalali date as a date.
    assert inquiry.transfer.letter_number == "12/3456"
    assert inquiry.transfer.letter_date == dt.date(2024, 7, 22)
    assert (body["letter_number"], body["letter_date"]) == ("12/3456", "2024-07-22")
    # Read back, one inquiry and the list.
    read = api_as(key).get(f"{LIST}{inquiry.tracking_code}/").json()
    assert (read["letter_number"], read["letter_date"]) == ("12/3456", "2024-07-22")
    listed = api_as(key).get(LIST).json()["results"]
    assert [(r["letter_number"], r["letter_date"]) for r in listed] == [("12/3456", "2024-07-22")]


def test_a_notary_systems_transfer_without_its_letter_is_refused(
    api_as, ict_admin, notary_institution
):
    key = key_for(ict_admin, notary_institution)
    data = _notary_filing(letter_number=None, letter_date=None)
    response = api_as(key).post(LIST, data, HTTP_IDEMPOTENCY_KEY="notary-0002")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert set(body["fields"]) == {"letter_number", "letter_date"}
    assert all(body["fields"][name] for name in ("letter_number", "letter_date"))
    # A letter dated tomorrow is refused like a bank's.
    data = _notary_filing(letter_date="1499/01/01")
    response = api_as(key).post(LIST, data, HTTP_IDEMPOTENCY_KEY="notary-0003")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"letter_date"}
    assert not Inquiry.objects.exists() and not ApiFiling.objects.exists()


def test_a_retried_call_with_the_same_key_makes_one_inquiry(api_as, bank_key):
    first = _file(api_as, bank_key)
    again = _file(api_as, bank_key)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert Inquiry.objects.count() == 1 and Attachment.objects.count() == 2


def test_the_same_key_with_another_request_is_refused(api_as, bank_key):
    _file(api_as, bank_key)
    response = _file(api_as, bank_key, letter_number="46/1")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Inquiry.objects.count() == 1


def test_keys_are_per_institution(api_as, bank_key, other_bank_key):
    assert _file(api_as, bank_key).status_code == 201
    assert _file(api_as, other_bank_key, branch_code="77").status_code == 201
    assert Inquiry.objects.count() == 2


def test_a_filing_without_an_idempotency_key_is_refused(api_as, bank_key):
    response = api_as(bank_key).post(LIST, filing_data())
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_missing"
    assert not Inquiry.objects.exists()


def test_fields_are_checked_by_the_web_forms_rules(api_as, bank_key):
    response = _file(
        api_as,
        bank_key,
        national_id="1234567890",
        mobile="0912",
        renovation_code="x",
        branch_code="9999",
        letter_date="1499/01/01",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert {"national_id", "mobile", "renovation_code", "branch_code", "letter_date"} <= set(
        body["fields"]
    )
    assert not Inquiry.objects.exists() and not ApiFiling.objects.exists()


def test_persian_digits_are_normalised_as_on_the_web(api_as, bank_key):
    response = _file(api_as, bank_key, mobile="۰۹۱۲۱۲۳۴۵۶۷", plate_main="۵۶")
    assert response.status_code == 201, response.json()
    assert Inquiry.objects.get().applicant_mobile == "09121234567"


def test_a_district_not_online_is_refused_with_its_message(api_as, bank_key):
    response = _file(api_as, bank_key, renovation_code="2-3-45-12-0-0-0")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "not_online" and "منطقه" in body["message"]
    assert not Inquiry.objects.exists()


def test_a_missing_required_document_is_named(api_as, bank_key):
    response = _file(api_as, bank_key, bank_letter=None)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["bank_letter"]


def test_uploads_pass_the_same_checks_as_on_the_web(api_as, bank_key):
    html = io.BytesIO(b"<html><script>alert(1)</script></html>")
    html.name = "deed.pdf"
    response = _file(api_as, bank_key, deed=html)
    assert response.status_code == 400
    assert "deed" in response.json()["fields"]
    unknown = _file(api_as, bank_key, idem="filing-0002", selfie=png_file())
    assert unknown.status_code == 400 and "selfie" in unknown.json()["fields"]
    assert not Attachment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_calls_at_once_with_one_key_make_one_inquiry(reference_data, api_as, ict_admin):
    from django.db import connection

    from .conftest import register

    if connection.vendor == "sqlite":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    from api.models import InstitutionBranch
    from inquiries.models import Bank

    bank = register(ict_admin, kind="bank", name="بانک", bank=Bank.objects.get(code="melli"))
    InstitutionBranch.objects.create(institution=bank, code="1234", name="شعبه")
    key = key_for(ict_admin, bank)
    results = []

    def call():
        try:
            results.append(_file(api_as, key, idem="same-key-1").json()["tracking_code"])
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results[0] == results[1]
    assert Inquiry.objects.count() == 1
