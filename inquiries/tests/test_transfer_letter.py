"""A transfer inquiry carries the notary office's letter, as a bank's and an agency's carry theirs:
required when a notary office files it, optional (both or neither) for everyone else."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from inquiries import services
from inquiries.answer_pdf import answer_pdf_bytes
from inquiries.forms import TransferDetailsForm, details_form
from inquiries.models import Answer, Inquiry, InquiryDraft, TransferDetails
from inquiries.requirements import transfer_letter_required
from inquiries.tests.factories import InquiryFactory, complete_draft
from inquiries.tests.test_answer_pdf import DATA, DUES, _text
from inquiries.workflow import Channel

pytestmark = pytest.mark.django_db

TRANSFER = {
    "transaction_type": "sale",
    "seller_national_id": "0084575948",
    "seller_name": "رضا کریمی",
}


@pytest.mark.parametrize(
    ("channel", "required"),
    [
        (Channel.NOTARY_OFFICE, True),
        (Channel.INSTITUTION_API, True),
        (Channel.WEB, False),
        (Channel.COUNTER_OFFICE, False),
        (Channel.KIOSK, False),
    ],
)
def test_a_notary_office_must_give_its_letter_and_others_may(channel, required):
    assert transfer_letter_required(channel) is required
    form = details_form("transfer", channel, TRANSFER)
    assert form.is_valid() is not required
    if required:
        assert set(form.errors) == {"letter_number", "letter_date"}


def test_the_bank_and_agency_forms_are_unchanged_by_the_channel():
    for channel in Channel.values:
        assert details_form("bank", channel).fields["letter_number"].required
        assert details_form("agency", channel).fields["letter_date"].required


@pytest.mark.parametrize(
    ("number", "date"),
    [("۱۲/۳۴۵۶", "۱۴۰۳/۰۵/۰۱"), ("١٢/٣٤٥٦", "١٤٠٣/٠٥/٠١"), ("12/3456", "14030501")],
)
def test_the_letter_is_normalised_like_the_banks(number, date):
    form = TransferDetailsForm(
        {**TRANSFER, "letter_number": number, "letter_date": date}, letter_required=True
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["letter_number"] == "12/3456"
    assert form.cleaned_data["letter_date"] == dt.date(2024, 7, 22)


def test_a_letter_needs_both_its_number_and_its_date():
    with translation.override("en"):
        only_number = TransferDetailsForm({**TRANSFER, "letter_number": "12/3456"})
        only_date = TransferDetailsForm({**TRANSFER, "letter_date": "1403/05/01"})
        assert not only_number.is_valid() and not only_date.is_valid()
        assert only_number.errors == {"letter_date": ["Enter the letter's date too."]}
        assert only_date.errors == {"letter_number": ["Enter the letter's number too."]}


def test_the_model_keeps_number_and_date_together_and_old_rows_valid(citizen):
    details = InquiryFactory(applicant=citizen).transfer
    details.full_clean()  # an old transfer: no letter at all
    details.letter_number = "12/3456"
    with pytest.raises(ValidationError):
        details.full_clean()
    details.letter_date = dt.date(2024, 7, 22)
    details.full_clean()


def test_a_citizen_may_give_a_notary_letter_and_it_is_stored(
    client_for, citizen, django_capture_on_commit_callbacks
):
    draft = complete_draft(citizen)
    client = client_for(citizen)
    details = {**draft.data["details"], "letter_number": "۷۷/۱۰", "letter_date": "۱۴۰۳/۰۵/۰۱"}
    url = f"/inquiries/drafts/{draft.pk}/details/"
    assert client.post(url, details).status_code == 302
    review = client.get(f"/inquiries/drafts/{draft.pk}/review/").content.decode()
    assert "۷۷/۱۰" in review
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/inquiries/drafts/{draft.pk}/submit/")
    inquiry = Inquiry.objects.get(submission_key=InquiryDraft.objects.get().submission_key)
    assert (inquiry.transfer.letter_number, inquiry.transfer.letter_date) == (
        "77/10",
        dt.date(2024, 7, 22),
    )
    page = client.get(f"/inquiries/{inquiry.tracking_code}/").content.decode()
    assert "۷۷/۱۰" in page and "۱ مرداد ۱۴۰۳" in page


def test_a_citizen_files_a_transfer_without_a_letter(client_for, citizen):
    draft = complete_draft(citizen)
    response = client_for(citizen).post(f"/inquiries/drafts/{draft.pk}/details/", TRANSFER)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["details"]["letter_number"] == ""
    assert draft.data["details"]["letter_date"] is None


@pytest.fixture
def notary_transfer(citizen, notary_office):
    inquiry = InquiryFactory(applicant=citizen, office=notary_office, channel=Channel.NOTARY_OFFICE)
    TransferDetails.objects.filter(inquiry=inquiry).update(
        notary_office_number=notary_office.number,
        letter_number="12/3456",
        letter_date=dt.date(2024, 7, 22),
    )
    return inquiry


def test_the_answer_letter_names_the_notary_offices_letter(
    notary_transfer, reviewer_d1, manager_d1
):
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=notary_transfer)
    answer = services.answer_prepare(actor=reviewer_d1, inquiry=inquiry, data=DATA, dues=DUES)
    answer = services.answer_sign(actor=manager_d1, answer=answer)
    text = _text(answer_pdf_bytes(Answer.objects.get(pk=answer.pk)))
    assert "دفتر اسناد رسمی شماره" in text and "نامه استعلام" in text
    assert "۱۲/۳۴۵۶" in text, text
    assert "۱ مرداد ۱۴۰۳" in text, text


def test_the_admin_shows_the_transfers_details_read_only(client_for, ict_admin, notary_transfer):
    page = client_for(ict_admin).get(f"/admin/inquiries/inquiry/{notary_transfer.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "12/3456" in html
    assert 'name="transfer-0-letter_number"' not in html  # shown, not editable
