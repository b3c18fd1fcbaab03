"""Numbers typed in Persian inside free text read back in Persian digits to a Persian reader: "۲٫۵
متر" never comes back as "2٫5" (which reads as 2/5), "شعبه ۵" never as "شعبه 5"."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from inquiries import services
from inquiries.kinds import InquiryKind
from inquiries.models import InfoRequest
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


def test_the_request_for_information_and_the_history_read_in_persian_digits(
    client_for, citizen, reviewer_d1
):
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    services.inquiry_info_request(
        actor=reviewer_d1, inquiry=inquiry, note="عرض گذر 2٫5 متر در صفحه 3 سند دیده نمی‌شود"
    )
    html = client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/").content.decode()
    assert "۲٫۵ متر" in html and "صفحه ۳" in html
    assert "2٫5" not in html


def test_a_bank_branch_typed_with_persian_digits_reads_in_persian_digits(citizen):
    inquiry = InquiryFactory(applicant=citizen, kind=InquiryKind.BANK)
    details = SimpleNamespace(
        bank="بانک ملی",
        branch_name="شعبه 5",
        get_facility_type_display=lambda: "وام",
        letter_number="1234",
        letter_date=dt.date(2025, 1, 1),
    )
    with translation.override("fa"):
        html = render_to_string("inquiries/_summary.html", {"inquiry": inquiry, "details": details})
    assert "شعبه ۵" in html and "شعبه 5" not in html


def test_a_note_typed_with_persian_digits_is_stored_and_shown_as_typed(
    client_for, citizen, reviewer_d1
):
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    note = "عرض گذر ۲٫۵ متر در صفحه ۳ سند دیده نمی‌شود"
    response = client_for(reviewer_d1).post(
        f"/staff/inquiries/{inquiry.tracking_code}/request-info/",
        {"note": note, "version": inquiry.version},
    )
    assert response.status_code == 302
    assert InfoRequest.objects.get(inquiry=inquiry).note == note
    html = client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/").content.decode()
    assert note in html
