"""Issue 10, items 1, 3, 5, 8, 9 and 12 on the inquiries side: hostile numbers, dues, choices, free
text, dates and row counts are refused with a Persian message (or, in a search box, find nothing),
never a server error, and nothing of them reaches the database or the billing code."""

import datetime as dt

import pytest
from django.utils import translation

from inquiries import services
from inquiries.forms import (
    AgencyDetailsForm,
    BankDetailsForm,
    PropertyForm,
    TrackingForm,
    TransferDetailsForm,
)
from inquiries.models import Answer, AnswerStatus, Bank, DeficiencyReason, InfoRequest, Inquiry
from inquiries.selectors import inquiries_queue
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import InquiryStatus
from shahrvand import jalali, sms
from shahrvand.billing import MAX_AMOUNT_RIALS, payment_amount_rials, payment_id_is_valid

pytestmark = pytest.mark.django_db

DIGITS_MESSAGE = "فقط رقم‌های ۰ تا ۹"
LIMIT_FA = "۹۹٬۹۹۹٬۹۹۹٬۰۰۰"
HOSTILE_NUMBERS = [
    "²⁷¹⁸²⁸¹⁸²⁸",
    "①②③",
    "০০১৩৫৪২৪১৯",
    "００１３５４２４１９",
    "𝟖𝟔𝟒𝟐",
    "9" * 5000,
    "1" * 30,
    "¹²/³",
    "8642/¹⁷",
    "9" * 30 + "/1/2",
]


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _staff_url(inquiry, action: str = "") -> str:
    url = f"/staff/inquiries/{inquiry.tracking_code}/"
    return f"{url}{action}/" if action else url


def _version(inquiry) -> int:
    return Inquiry.objects.get(pk=inquiry.pk).version


@pytest.fixture
def taken(citizen, reviewer_d1):
    return services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )


# --- item 1: search boxes -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", HOSTILE_NUMBERS)
def test_a_hostile_number_in_the_review_queue_search_finds_nothing(reviewer_d1, typed):
    wanted = InquiryFactory()
    wanted.property.plate_main, wanted.property.plate_sub = 8642, 17
    wanted.property.save()
    assert list(inquiries_queue(reviewer_d1, q=typed)) == []


def test_the_plate_search_still_finds_a_plate_typed_in_persian_digits(reviewer_d1):
    wanted = InquiryFactory()
    wanted.property.plate_main, wanted.property.plate_sub = 8642, 17
    wanted.property.save()
    InquiryFactory()
    assert list(inquiries_queue(reviewer_d1, q="۸۶۴۲/۱۷")) == [wanted]


@pytest.mark.parametrize("typed", ["9" * 5000, "²⁷¹⁸", "８６４２"])
def test_the_review_queue_page_answers_a_hostile_search_without_an_error(
    client_for, reviewer_d1, typed
):
    InquiryFactory()
    client = client_for(reviewer_d1)
    assert client.get("/staff/", {"q": typed}, follow=True).status_code == 200
    response = client.post("/staff/", {"q": typed}, follow=True)
    assert response.status_code in (200, 405)  # the search is POSTed where the page takes it
    if response.status_code == 200:
        assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize(
    "typed", ["¹-³-⁴⁵-¹²-⁰-⁰-⁰", "١-٣-٤٥-١٢-০-০-০", "１-３-４５-１２-０-０-０", "①-3-45-12-0-0-0"]
)
def test_a_renovation_code_in_other_digits_gets_the_digits_message(typed):
    with translation.override("fa"):
        form = PropertyForm(
            {
                "renovation_code": typed,
                "plate_main": "۱۲",
                "registration_section": "2",
                "address": "ارومیه",
                "area_m2": "100",
                "land_use": "residential",
                "building_status": "completed",
            }
        )
        assert not form.is_valid()
        assert DIGITS_MESSAGE in " ".join(form.errors["renovation_code"])


@pytest.mark.parametrize("typed", ["¹²", "১২", "9" * 5000])
def test_a_plate_in_other_digits_or_too_long_is_refused_with_a_persian_message(typed):
    with translation.override("fa"):
        form = PropertyForm({"plate_main": typed})
        form.is_valid()
        message = " ".join(form.errors["plate_main"])
    assert DIGITS_MESSAGE in message or "طولانی" in message


@pytest.mark.parametrize("typed", ["ß" * 9, "ＡＢＣＤＥＦＧＨＪ", "x" * 5000, "²³⁴⁵⁶⁷⁸⁹A"])
def test_a_tracking_code_of_other_characters_is_no_tracking_code(typed, citizen):
    form = TrackingForm({"tracking_code": typed, "national_id": citizen.national_id})
    assert not form.is_valid() and "tracking_code" in form.errors


# --- item 3: dues no larger than the payment ID can carry ----------------------------------------


def _answer_post(inquiry, **changes) -> dict:
    return {
        "version": _version(inquiry),
        "decision": "violations",
        "reason": "",
        "building_status": "completed",
        "certificate_type": "none",
        "land_use_plan": "residential",
        "road_widening": "not_affected",
        "conditions": "",
        "dues-TOTAL_FORMS": "3",
        "dues-INITIAL_FORMS": "0",
        "dues-MIN_NUM_FORMS": "3",
        "dues-MAX_NUM_FORMS": "20",
        "dues-0-title": "عوارض تخلف ساختمانی",
        "dues-0-amount_rials": "60,000,000,000",
        "dues-1-title": "عوارض نوسازی",
        "dues-1-amount_rials": "۵۰٬۰۰۰٬۰۰۰٬۰۰۰",
        "dues-2-title": "",
        "dues-2-amount_rials": "",
        **changes,
    }


def test_the_answer_form_states_the_dues_limit(client_for, reviewer_d1, taken):
    with translation.override("fa"):
        page = client_for(reviewer_d1).get(_staff_url(taken, "answer"), HTTP_ACCEPT_LANGUAGE="fa")
    assert LIMIT_FA in page.content.decode()


def test_dues_adding_up_to_more_than_a_payment_id_carries_are_refused_and_kept(
    client_for, reviewer_d1, taken
):
    response = client_for(reviewer_d1).post(_staff_url(taken, "answer"), _answer_post(taken))
    assert response.status_code == 200
    assert response.context["form"].is_valid()  # only the dues are refused
    errors = " ".join(response.context["formset"].non_form_errors())
    assert LIMIT_FA in errors and "شناسه پرداخت" in errors
    html = response.content.decode()
    assert "عوارض تخلف ساختمانی" in html and "60,000,000,000" in html  # what was typed is kept
    assert not Answer.objects.exists()


def test_one_dues_line_beyond_the_limit_is_refused_on_its_row(client_for, reviewer_d1, taken):
    response = client_for(reviewer_d1).post(
        _staff_url(taken, "answer"),
        _answer_post(taken, **{"dues-0-amount_rials": "100000000000", "dues-1-title": ""}),
    )
    assert response.status_code == 200
    assert LIMIT_FA in " ".join(response.context["formset"].errors[0]["amount_rials"])
    assert not Answer.objects.exists()


def test_the_answer_service_refuses_dues_beyond_the_limit(taken, reviewer_d1):
    with pytest.raises(services.AnswerInvalid) as refusal:
        services.answer_prepare(
            actor=reviewer_d1,
            inquiry=taken,
            data={"decision": "violations"},
            dues=[("الف", 60_000_000_000), ("ب", 40_000_000_000)],
        )
    assert "dues" in refusal.value.errors
    with pytest.raises(services.AnswerInvalid):
        services.answer_prepare(
            actor=reviewer_d1, inquiry=taken, data={"decision": "violations"}, dues=[("الف", -1000)]
        )
    assert not Answer.objects.exists()


def test_dues_of_exactly_the_limit_are_signed_and_billed(
    taken, reviewer_d1, manager_d1, django_capture_on_commit_callbacks
):
    answer = services.answer_prepare(
        actor=reviewer_d1,
        inquiry=taken,
        data={"decision": "violations"},
        dues=[("الف", MAX_AMOUNT_RIALS - 1000), ("ب", 1000)],
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.answer_sign(actor=manager_d1, answer=answer)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SIGNED
    assert payment_id_is_valid(answer.bill_id, answer.payment_id)
    assert payment_amount_rials(answer.payment_id) == MAX_AMOUNT_RIALS


def test_a_draft_saved_beyond_the_limit_before_the_bound_is_refused_at_signing_not_crashed(
    taken, reviewer_d1, manager_d1
):
    answer = services.answer_prepare(
        actor=reviewer_d1, inquiry=taken, data={"decision": "violations"}, dues=[("الف", 1000)]
    )
    Answer.objects.filter(pk=answer.pk).update(dues_total_rials=MAX_AMOUNT_RIALS + 1000)
    with pytest.raises(services.AnswerInvalid) as refusal:
        services.answer_sign(actor=manager_d1, answer=answer)
    assert "dues" in refusal.value.errors
    assert Answer.objects.get(pk=answer.pk).status == AnswerStatus.DRAFT


# --- item 12: a forged row count on the dues formset ----------------------------------------------


def test_a_forged_million_dues_rows_is_refused_with_a_message(client_for, reviewer_d1, taken):
    response = client_for(reviewer_d1).post(
        _staff_url(taken, "answer"), _answer_post(taken, **{"dues-TOTAL_FORMS": "1000000"})
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert "۲۰" in " ".join(formset.non_form_errors())
    assert len(formset.forms) <= formset.absolute_max == 20
    assert not Answer.objects.exists()


# --- item 5: a deficiency reason id the database cannot hold --------------------------------------


@pytest.mark.parametrize(
    "posted",
    [
        ["1" * 30],
        ["9223372036854775808"],
        ["¹"],
        ["١"],
        ["abc"],
        ["-1"],
        [str(n) for n in range(500)],
    ],
)
def test_an_impossible_reason_id_is_a_form_error_not_a_database_error(
    client_for, reviewer_d1, taken, posted
):
    response = client_for(reviewer_d1).post(
        _staff_url(taken, "request-info"),
        {"reasons": posted, "note": "صفحه دوم سند", "version": _version(taken)},
    )
    assert response.status_code == 400
    assert response.context["info_form"].errors["reasons"]
    assert "صفحه دوم سند" in response.content.decode()
    assert not InfoRequest.objects.exists()
    assert Inquiry.objects.get(pk=taken.pk).status == InquiryStatus.IN_REVIEW


def test_a_real_reason_id_is_still_taken(client_for, reviewer_d1, taken):
    reason = DeficiencyReason.objects.filter(is_active=True).first()
    response = client_for(reviewer_d1).post(
        _staff_url(taken, "request-info"), {"reasons": [reason.pk], "version": _version(taken)}
    )
    assert response.status_code == 302
    assert list(InfoRequest.objects.get().reasons.all()) == [reason]


def test_a_bank_code_longer_than_any_bank_is_not_a_choice():
    form = BankDetailsForm({"bank": "X" * 5000})
    form.is_valid()
    assert "bank" in form.errors
    assert Bank.objects.exists()


# --- item 8: free text that says nothing ---------------------------------------------------------


@pytest.fixture
def signed(citizen, reviewer_d1, manager_d1) -> Answer:
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    answer = services.answer_prepare(
        actor=reviewer_d1, inquiry=inquiry, data={"decision": "no_objection"}, dues=[]
    )
    return services.answer_sign(actor=manager_d1, answer=answer)


@pytest.mark.parametrize("reason", ["\u200b\u200c\u200f", "\u202e\u2066 \u00a0", "\x00\x07\x1b"])
def test_a_revoke_reason_of_invisible_characters_is_refused_on_the_page(
    client_for, manager_d1, signed, reason
):
    with translation.override("fa"):
        response = client_for(manager_d1).post(
            _staff_url(signed.inquiry, f"answers/{signed.pk}/revoke"),
            {"reason": reason, "version": _version(signed.inquiry)},
        )
    assert response.status_code < 500
    assert response.context["revoke_form"].errors["reason"]
    signed.refresh_from_db()
    assert signed.status == AnswerStatus.SIGNED and signed.revoke_reason == ""


def test_a_revoke_reason_loses_its_control_characters_and_keeps_the_zero_width_non_joiner(
    client_for, manager_d1, signed
):
    client_for(manager_d1).post(
        _staff_url(signed.inquiry, f"answers/{signed.pk}/revoke"),
        {"reason": "پلاک\x00 اشتباه\u202e می\u200cشود\x07", "version": _version(signed.inquiry)},
    )
    signed.refresh_from_db()
    assert signed.status == AnswerStatus.REVOKED
    assert signed.revoke_reason == "پلاک اشتباه می\u200cشود"


def test_an_answer_that_cannot_be_given_needs_a_visible_reason(taken, reviewer_d1):
    with pytest.raises(services.AnswerInvalid) as refusal:
        services.answer_prepare(
            actor=reviewer_d1,
            inquiry=taken,
            data={"decision": "cannot_answer", "reason": "\u200c\u200b"},
            dues=[],
        )
    assert "reason" in refusal.value.errors


def test_answer_text_on_the_letter_loses_control_characters(client_for, reviewer_d1, taken):
    response = client_for(reviewer_d1).post(
        _staff_url(taken, "answer"),
        _answer_post(
            taken,
            decision="conditional",
            conditions="تسویه\x00 عوارض\x0c\r\nپیش از انتقال",
            **{"dues-0-amount_rials": "1000", "dues-1-amount_rials": "2000"},
        ),
    )
    assert response.status_code == 302
    assert Answer.objects.get().conditions == "تسویه عوارض\nپیش از انتقال"


# --- item 9: dates in a plausible range -----------------------------------------------------------


@pytest.mark.parametrize("form_class", [BankDetailsForm, AgencyDetailsForm, TransferDetailsForm])
@pytest.mark.parametrize("typed", ["0001/01/01", "1299/12/29", "9000/01/01"])
def test_a_letter_dated_outside_the_plausible_range_is_refused(form_class, typed):
    with translation.override("fa"):
        form = form_class({"letter_date": typed})
        form.is_valid()
        message = " ".join(form.errors["letter_date"])
    assert "۱۳۰۰/۰۱/۰۱" in message or "آینده" in message or "بعد از امروز" in message


@pytest.mark.parametrize("form_class", [BankDetailsForm, TransferDetailsForm])
def test_a_letter_dated_tomorrow_is_refused_with_the_letters_own_message(form_class):
    tomorrow = jalali.format_date(jalali.today() + dt.timedelta(days=1), "short")
    with translation.override("en"):
        form = form_class({"letter_date": tomorrow})
        form.is_valid()
        assert form.errors["letter_date"] == ["The letter's date cannot be in the future."]


def test_a_certificate_dated_in_the_year_one_is_refused(client_for, reviewer_d1, taken):
    response = client_for(reviewer_d1).post(
        _staff_url(taken, "answer"),
        _answer_post(
            taken,
            certificate_type="completion",
            certificate_number="1401/555",
            certificate_date="0001/01/01",
            **{"dues-0-amount_rials": "1000", "dues-1-amount_rials": "2000"},
        ),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["certificate_date"]
    assert not Answer.objects.exists()
