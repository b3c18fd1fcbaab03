"""Hostile inputs to what a signed-in citizen submits: a new inquiry, each filing step of each kind,
the documents step, the answer to a request for information, withdrawing, and codes in addresses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries.kinds import InquiryKind

from .files import png_upload
from .harness import HTML_CASES, Form, attack, attack_path, send
from .world import OTHER_NATIONAL_ID, jalali_days_ago

pytestmark = pytest.mark.django_db


def _step(draft, step: str) -> str:
    return reverse("inquiries:draft_step", args=[draft.pk, step])


def _show_review(draft):
    """After a step is saved, the review page shows what was typed: it must be escaped there."""

    def then(client, response, case, name):
        if case.label in HTML_CASES:
            return send(client, "get", _step(draft, "review"), {})
        return None

    return then


def test_starting_an_inquiry_survives_hostile_kinds(report, citizen_client):
    attack(
        report,
        Form(
            key="citizen-new",
            persona="citizen",
            client=citizen_client,
            url=reverse("inquiries:new"),
            data={"kind": "transfer"},
        ),
    )
    report.assert_clean()


def test_property_step_survives_hostile_codes_plates_areas_and_addresses(
    report, citizen_client, drafts
):
    draft = drafts[InquiryKind.TRANSFER]
    form = Form(
        key="citizen-property",
        persona="citizen",
        client=citizen_client,
        url=_step(draft, "property"),
        data={
            "renovation_code": "1-3-45-12-0-0-0",
            "plate_main": "56",
            "plate_sub": "1234",
            "registration_section": "2",
            "address": "ارومیه، کوچه نسترن ۷",
            "area_m2": "150.5",
            "land_use": "residential",
            "building_status": "completed",
        },
        keep=("address", "renovation_code"),
        then=_show_review(draft),
    )
    attack(report, form)
    report.assert_clean()


def test_applicant_step_survives_hostile_names_and_owner_ids(report, citizen_client, drafts):
    draft = drafts[InquiryKind.TRANSFER]
    form = Form(
        key="citizen-applicant",
        persona="citizen",
        client=citizen_client,
        url=_step(draft, "applicant"),
        data={
            "first_name": "شهرزاد",
            "last_name": "کامرانی",
            "relation": "attorney",
            "owner_national_id": OTHER_NATIONAL_ID,
            "owner_name": "بهرام رضایی",
        },
        keep=("last_name", "first_name"),
        then=_show_review(draft),
    )
    attack(report, form)
    report.assert_clean()


def test_transfer_details_survive_hostile_ids_names_and_notary_numbers(
    report, citizen_client, drafts
):
    draft = drafts[InquiryKind.TRANSFER]
    form = Form(
        key="citizen-details-transfer",
        persona="citizen",
        client=citizen_client,
        url=_step(draft, "details"),
        data={
            "transaction_type": "sale",
            "seller_national_id": "0013542419",
            "seller_name": "نرگس احمدی",
            "buyer_national_id": OTHER_NATIONAL_ID,
            "buyer_name": "بهرام رضایی",
            "notary_office_number": "12",
            "letter_number": "12/3456",
            "letter_date": jalali_days_ago(),
            "notes": "یادداشت آزمایشی",
        },
        keep=("seller_name", "buyer_name", "letter_number"),
        then=_show_review(draft),
    )
    attack(report, form)
    report.assert_clean()


def test_bank_details_survive_hostile_letter_numbers_and_dates(report, citizen_client, drafts):
    draft = drafts[InquiryKind.BANK]
    form = Form(
        key="citizen-details-bank",
        persona="citizen",
        client=citizen_client,
        url=_step(draft, "details"),
        data={
            "bank": "melli",
            "branch_name": "شعبه مرکزی ارومیه",
            "branch_code": "1234",
            "facility_type": "mortgage",
            "letter_number": "45/1234",
            "letter_date": jalali_days_ago(),
            "notes": "",
        },
        keep=("branch_name", "letter_number"),
        then=_show_review(draft),
    )
    attack(report, form)
    report.assert_clean()


def test_agency_details_survive_hostile_letter_numbers_dates_and_subjects(
    report, citizen_client, drafts
):
    draft = drafts[InquiryKind.AGENCY]
    form = Form(
        key="citizen-details-agency",
        persona="citizen",
        client=citizen_client,
        url=_step(draft, "details"),
        data={
            "agency_type": "court",
            "agency_name": "دادگستری ارومیه شعبه پنج",
            "letter_number": "9901/22",
            "letter_date": jalali_days_ago(),
            "subject": "استعلام وضعیت ملک برای پرونده",
            "notes": "",
        },
        keep=("agency_name", "subject"),
        then=_show_review(draft),
    )
    attack(report, form)
    report.assert_clean()


def test_documents_step_survives_hostile_document_kinds(report, citizen_client, drafts):
    draft = drafts[InquiryKind.TRANSFER]
    form = Form(
        key="citizen-documents",
        persona="citizen",
        client=citizen_client,
        url=_step(draft, "documents"),
        data={"kind": "national_card"},
        files=lambda: {"file": png_upload()},
    )
    attack(report, form)
    report.assert_clean()


def test_answer_to_a_request_for_information_survives_hostile_notes_and_kinds(
    report, citizen_client, needs_info
):
    form = Form(
        key="citizen-respond",
        persona="citizen",
        client=citizen_client,
        url=reverse("inquiries:respond", args=[needs_info.tracking_code]),
        data={"note": "سند را پیوست کردم", "kind": "deed", "kind_2": ""},
        keep=("note",),
        files=lambda: {"file": png_upload()},
        then=lambda client, response, case, name: (
            send(client, "get", response["Location"], {}) if case.label in HTML_CASES else None
        ),
    )
    attack(report, form)
    report.assert_clean()


def test_withdrawing_ignores_hostile_extra_fields(report, citizen_client, submitted):
    form = Form(
        key="citizen-withdraw",
        persona="citizen",
        client=citizen_client,
        url=reverse("inquiries:withdraw", args=[submitted.tracking_code]),
        data={"note": ""},
    )
    attack(report, form)
    report.assert_clean()


def test_inquiry_addresses_survive_hostile_tracking_codes(report, citizen_client):
    form = Form(
        key="citizen-inquiry-path",
        persona="citizen",
        client=citizen_client,
        url="/inquiries/<code>/",
        data={},
    )
    attack_path(report, form, lambda code: f"/inquiries/{code}/")
    report.assert_clean()
