"""Issue 10, items 3, 5, 8 and 9, over HTTP: dues beyond what a payment ID carries, a 30-digit
deficiency reason id, invisible-only or control-character text, and dates like 0001/01/01."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from counters.models import FindingCategory, OfficeVisit, TrainingSession
from districts.models import KioskHelpLog
from inquiries.kinds import InquiryKind
from inquiries.models import Answer, AnswerStatus, Inquiry
from inquiries.workflow import InquiryStatus

from .corpus import THIRTY_DIGITS
from .harness import persona_client, refusal_problems, send
from .world import ANSWER_DATA, DUES_DATA, jalali_days_ago

pytestmark = pytest.mark.django_db

INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2066\u2069\ufeff"
ABSURD_DATES = ["0001/01/01", "9999/12/31", "1401/13/40", "0000/00/00"]


def _answer(client, inquiry, **changes):
    data = {**ANSWER_DATA, **DUES_DATA, "version": str(inquiry.version), **changes}
    return send(
        client, "post", reverse("inquiries:staff_answer", args=[inquiry.tracking_code]), data
    )


# --- item 3: dues the payment ID cannot carry -----------------------------------------------------


@pytest.mark.parametrize(
    "amounts",
    [
        ("60000000000", "40000000000"),  # each line allowed, the total is 100,000,000,000
        ("99999999000", "1000"),
        ("100000000000", ""),
        ("۱۰۰۰۰۰۰۰۰۰۰۰", ""),
    ],
)
def test_item_3_dues_beyond_a_payment_id_are_refused_by_the_answer_form(
    reviewer_d1, in_review, amounts
):
    first, second = amounts
    response = _answer(
        persona_client(reviewer_d1),
        in_review,
        **{
            "dues-0-amount_rials": first,
            "dues-1-amount_rials": second,
            "dues-1-title": "عوارض پسماند" if second else "",
        },
    )
    assert refusal_problems(response, ANSWER_DATA["conditions"]) == []
    assert not Answer.objects.filter(inquiry=in_review).exists()


def test_item_3_the_largest_total_a_payment_id_carries_is_answered_and_signed(
    reviewer_d1, manager_d1, in_review
):
    response = _answer(
        persona_client(reviewer_d1),
        in_review,
        **{"dues-0-amount_rials": "99999998000", "dues-1-amount_rials": "1000"},
    )
    assert response.status_code == 302
    answer = Answer.objects.get(inquiry=in_review)
    signed = send(
        persona_client(manager_d1),
        "post",
        response["Location"],
        {"version": str(Inquiry.objects.get(pk=in_review.pk).version), "confirm": "on"},
    )
    assert signed.status_code == 302
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SIGNED and answer.payment_id


# --- item 5: a 30-digit deficiency reason id ------------------------------------------------------


@pytest.mark.parametrize("reason_id", [THIRTY_DIGITS, "9223372036854775808", "-1", "১"])
def test_item_5_an_impossible_deficiency_reason_id_is_refused_with_a_message(
    reviewer_d1, in_review, reason_id
):
    response = send(
        persona_client(reviewer_d1),
        "post",
        reverse("inquiries:staff_request_info", args=[in_review.tracking_code]),
        {"reasons": reason_id, "note": "نقشه تفکیکی را بفرستید", "version": str(in_review.version)},
    )
    assert refusal_problems(response, "نقشه تفکیکی را بفرستید") == []
    assert Inquiry.objects.get(pk=in_review.pk).status == InquiryStatus.IN_REVIEW


# --- item 8: invisible-only and control characters ---------------------------------------------------


def test_item_8_a_revocation_reason_of_invisible_characters_is_refused(manager_d1, answered):
    inquiry, answer = answered
    response = send(
        persona_client(manager_d1),
        "post",
        reverse("inquiries:staff_revoke", args=[inquiry.tracking_code, answer.pk]),
        {"reason": INVISIBLE, "version": str(inquiry.version)},
    )
    assert refusal_problems(response) == []
    assert Answer.objects.get(pk=answer.pk).status == AnswerStatus.SIGNED


def test_item_8_control_characters_never_reach_the_letter_and_zwnj_stays(reviewer_d1, in_review):
    conditions = "تسویه\x00 عوارض\x07 پیش\u202e از\ufeff انتقال می\u200cشود"
    response = _answer(persona_client(reviewer_d1), in_review, conditions=conditions)
    assert response.status_code == 302
    stored = Answer.objects.get(inquiry=in_review).conditions
    assert "\u200c" in stored
    assert [
        ch for ch in stored if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\u200c"
    ] == []


def test_item_8_a_kiosk_resolution_of_invisible_characters_is_refused(kiosk_clerk):
    response = send(
        persona_client(kiosk_clerk),
        "post",
        reverse("districts:kiosk_help"),
        {"topic": "status", "minutes": "5", "resolution": INVISIBLE},
    )
    assert refusal_problems(response) == []
    assert not KioskHelpLog.objects.exists()


def test_item_8_a_trainer_of_invisible_characters_is_refused(ict_admin, pishkhan_office):
    response = send(
        persona_client(ict_admin),
        "post",
        reverse("counters:training_new"),
        {
            "date": jalali_days_ago(),
            "trainer": INVISIBLE,
            "topic": "آشنایی با سامانه استعلام",
            "offices-TOTAL_FORMS": "1",
            "offices-INITIAL_FORMS": "0",
            "offices-0-office": str(pishkhan_office.pk),
            "offices-0-people": "3",
        },
    )
    assert refusal_problems(response, "آشنایی با سامانه استعلام") == []
    assert not TrainingSession.objects.exists()


def test_item_8_an_address_of_invisible_characters_is_refused(citizen, drafts):
    draft = drafts[InquiryKind.TRANSFER]
    response = send(
        persona_client(citizen),
        "post",
        reverse("inquiries:draft_step", args=[draft.pk, "property"]),
        {
            "renovation_code": "1-3-45-12-0-0-0",
            "plate_main": "56",
            "registration_section": "2",
            "address": INVISIBLE,
            "area_m2": "150",
            "land_use": "residential",
            "building_status": "completed",
        },
    )
    assert refusal_problems(response, "1-3-45-12-0-0-0") == []


# --- item 9: dates like 0001/01/01 -----------------------------------------------------------------


@pytest.mark.parametrize("date", ABSURD_DATES)
def test_item_9_a_bank_letter_dated_absurdly_is_refused(citizen, drafts, date):
    draft = drafts[InquiryKind.BANK]
    response = send(
        persona_client(citizen),
        "post",
        reverse("inquiries:draft_step", args=[draft.pk, "details"]),
        {
            "bank": "melli",
            "branch_name": "شعبه مرکزی ارومیه",
            "facility_type": "mortgage",
            "letter_number": "45/1234",
            "letter_date": date,
        },
    )
    assert refusal_problems(response, "شعبه مرکزی ارومیه") == []


@pytest.mark.parametrize("date", ABSURD_DATES)
def test_item_9_a_visit_dated_absurdly_is_refused(ict_admin, pishkhan_office, date):
    category = FindingCategory.objects.filter(is_active=True).first()
    response = send(
        persona_client(ict_admin),
        "post",
        reverse("counters:visit_new", args=[pishkhan_office.pk]),
        {
            "date": date,
            "notes": "بازدید دوره‌ای",
            "findings-TOTAL_FORMS": "1",
            "findings-INITIAL_FORMS": "0",
            "findings-0-category": str(category.pk),
            "findings-0-description": "تابلوی تعرفه نصب نشده",
        },
    )
    assert refusal_problems(response, "بازدید دوره‌ای") == []
    assert not OfficeVisit.objects.exists()


@pytest.mark.parametrize("date", ABSURD_DATES)
def test_item_9_a_certificate_dated_absurdly_is_refused(reviewer_d1, in_review, date):
    response = _answer(persona_client(reviewer_d1), in_review, certificate_date=date)
    assert refusal_problems(response, ANSWER_DATA["conditions"]) == []
    assert not Answer.objects.filter(inquiry=in_review).exists()


def test_item_9_a_plausible_date_is_still_taken(ict_admin, pishkhan_office):
    response = send(
        persona_client(ict_admin),
        "post",
        reverse("counters:visit_new", args=[pishkhan_office.pk]),
        {
            "date": jalali_days_ago(),
            "notes": "",
            "findings-TOTAL_FORMS": "1",
            "findings-INITIAL_FORMS": "0",
            "findings-0-category": "",
            "findings-0-description": "",
        },
    )
    assert response.status_code == 302
