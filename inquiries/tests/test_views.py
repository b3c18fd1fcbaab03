import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiries import services
from inquiries.models import Inquiry, InquiryDraft
from inquiries.tests.factories import InquiryFactory, complete_draft, png_bytes
from inquiries.workflow import InquiryStatus

pytestmark = pytest.mark.django_db

PROPERTY = {
    "renovation_code": "۱-۳-۴۵-۱۲-۰-۰-۰",
    "plate_main": "۵۶",
    "plate_sub": "1234",
    "registration_section": "2",
    "address": "ارومیه، خیابان امام، کوچه ۱۲",
    "area_m2": "۱۵۰٫۵",
    "land_use": "residential",
    "building_status": "completed",
}


def _draft_url(draft, step):
    return f"/inquiries/drafts/{draft.pk}/{step}/"


def _start(client, kind="transfer") -> InquiryDraft:
    response = client.post("/inquiries/new/", {"kind": kind})
    assert response.status_code == 302
    return InquiryDraft.objects.latest("created_at")


def test_filing_needs_a_citizen_sign_in(client):
    response = client.get("/inquiries/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/citizen/?next=/inquiries/new/")


def test_staff_cannot_file_as_a_citizen(client_for, reviewer_d1):
    assert client_for(reviewer_d1).get("/inquiries/new/").status_code == 403


def test_full_filing_flow_with_persian_digits(
    client_for, citizen, django_capture_on_commit_callbacks
):
    client = client_for(citizen)
    draft = _start(client)
    response = client.post(_draft_url(draft, "property"), PROPERTY)
    assert response["Location"] == _draft_url(draft, "applicant")
    draft.refresh_from_db()
    assert draft.data["property"]["renovation_code"] == "1-3-45-12-0-0-0"
    assert draft.data["property"]["area_m2"] == "150.5"

    response = client.post(
        _draft_url(draft, "applicant"),
        {"first_name": "نرگس", "last_name": "احمدي", "relation": "owner"},
    )
    assert response["Location"] == _draft_url(draft, "details")
    draft.refresh_from_db()
    assert draft.data["applicant"]["last_name"] == "احمدی"  # Arabic yeh normalised
    assert draft.data["applicant"]["national_id"] == citizen.national_id

    response = client.post(
        _draft_url(draft, "details"),
        {
            "transaction_type": "sale",
            "seller_national_id": citizen.national_id,
            "seller_name": "نرگس احمدی",
            "notes": "",
        },
    )
    assert response["Location"] == _draft_url(draft, "documents")

    page = client.post(_draft_url(draft, "documents"), {"continue": "1"}, follow=True)
    assert "هنوز" in page.content.decode()  # the deed is still missing

    upload = SimpleUploadedFile("سند.png", png_bytes(), content_type="image/png")
    response = client.post(_draft_url(draft, "documents"), {"kind": "deed", "file": upload})
    assert response.status_code == 302
    response = client.post(_draft_url(draft, "documents"), {"continue": "1"})
    assert response["Location"] == _draft_url(draft, "review")

    review = client.get(_draft_url(draft, "review")).content.decode()
    assert "۱-۳-۴۵-۱۲-۰-۰-۰" in review
    assert "سند.png" in review

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/inquiries/drafts/{draft.pk}/submit/")
    inquiry = Inquiry.objects.get()
    assert response["Location"] == f"/inquiries/{inquiry.tracking_code}/submitted/"
    page = client.get(response["Location"]).content.decode()
    assert inquiry.tracking_code_display() in page

    # A double tap or a resend after a timeout: the same inquiry, not a second one.
    again = client.post(f"/inquiries/drafts/{draft.pk}/submit/")
    assert again["Location"] == response["Location"]
    assert Inquiry.objects.count() == 1
    # The finished draft's steps lead to the inquiry, not to a second filing.
    assert client.get(_draft_url(draft, "review"))["Location"] == response["Location"]


def test_going_back_shows_what_was_typed(client_for, citizen):
    client = client_for(citizen)
    draft = _start(client)
    client.post(_draft_url(draft, "property"), PROPERTY)
    page = client.get(_draft_url(draft, "property")).content.decode()
    assert 'value="1-3-45-12-0-0-0"' in page
    assert "کوچه ۱۲" in page  # free text keeps the digits it was typed with
    draft.refresh_from_db()
    assert draft.data["property"]["address"] == "ارومیه، خیابان امام، کوچه ۱۲"


def test_bad_renovation_code_gets_a_persian_message_and_keeps_the_rest(client_for, citizen):
    client = client_for(citizen)
    draft = _start(client)
    page = client.post(_draft_url(draft, "property"), {**PROPERTY, "renovation_code": "1-3-45"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "کد نوسازی" in html and "1-3-45-12-0-0-0" in html  # explains with an example
    assert "کوچه ۱۲" in html
    draft.refresh_from_db()
    assert not draft.data.get("property")


@pytest.mark.parametrize(
    ("field", "value"),
    [("plate_main", "abc"), ("registration_section", "0"), ("area_m2", "-5"), ("address", "")],
)
def test_other_bad_property_fields_are_refused(client_for, citizen, field, value):
    client = client_for(citizen)
    draft = _start(client)
    page = client.post(_draft_url(draft, "property"), {**PROPERTY, field: value})
    assert page.status_code == 200
    assert "is-invalid" in page.content.decode()


def test_district_two_is_refused_with_where_to_go(client_for, citizen):
    client = client_for(citizen)
    draft = _start(client)
    page = client.post(
        _draft_url(draft, "property"), {**PROPERTY, "renovation_code": "2-1-1-1-0-0-0"}
    )
    html = page.content.decode()
    assert 'data-testid="not-online"' in html
    assert "ساختمان شهرداری منطقه دو" in html
    assert 'value="2-1-1-1-0-0-0"' in html
    draft.refresh_from_db()
    assert not draft.data.get("property")


def test_a_wrong_file_is_refused_and_nothing_else_is_lost(client_for, citizen):
    client = client_for(citizen)
    draft = complete_draft(citizen)
    before = dict(draft.data)
    fake = SimpleUploadedFile("deed.pdf", png_bytes(), content_type="application/pdf")
    page = client.post(_draft_url(draft, "documents"), {"kind": "other", "file": fake})
    assert page.status_code == 200
    assert "invalid-feedback" in page.content.decode()
    draft.refresh_from_db()
    assert draft.data == before
    assert draft.attachments.count() == 1


def test_attorney_must_name_the_owner(client_for, citizen):
    client = client_for(citizen)
    draft = _start(client)
    page = client.post(
        _draft_url(draft, "applicant"),
        {"first_name": "نرگس", "last_name": "احمدی", "relation": "attorney"},
    )
    assert page.status_code == 200
    assert page.content.decode().count("invalid-feedback") >= 2


def test_bank_letter_date_in_jalali_and_not_in_the_future(client_for, citizen):
    client = client_for(citizen)
    draft = _start(client, "bank")
    data = {
        "bank": "melli",
        "branch_name": "مرکزی",
        "facility_type": "mortgage",
        "letter_number": "12/345",
        "letter_date": "۱۴۰۱/۱۰/۲۵",
    }
    assert client.post(_draft_url(draft, "details"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.data["details"]["letter_date"] == "2023-01-15"
    assert draft.data["details"]["bank"] == "melli"
    page = client.post(_draft_url(draft, "details"), {**data, "letter_date": "1499/01/01"})
    assert page.status_code == 200


def test_someone_elses_draft_is_not_found(client_for, citizen, other_citizen):
    draft = complete_draft(citizen)
    assert client_for(other_citizen).get(_draft_url(draft, "property")).status_code == 404
    assert (
        client_for(other_citizen).post(f"/inquiries/drafts/{draft.pk}/submit/").status_code == 404
    )


def test_my_inquiries_newest_first_and_only_mine(client_for, citizen, other_citizen):
    older = InquiryFactory(applicant=citizen)
    newer = InquiryFactory(applicant=citizen)
    theirs = InquiryFactory(applicant=other_citizen)
    Inquiry.objects.filter(pk=older.pk).update(submitted_at=newer.submitted_at.replace(year=2024))
    html = client_for(citizen).get("/inquiries/").content.decode()
    assert html.index(newer.tracking_code_display()) < html.index(older.tracking_code_display())
    assert theirs.tracking_code_display() not in html


def test_my_inquiries_empty_state(client_for, citizen):
    html = client_for(citizen).get("/inquiries/").content.decode()
    assert "هنوز استعلامی" in html or "/inquiries/new/" in html


def test_inquiry_filed_by_an_office_for_my_national_id_is_mine(client_for, citizen, reviewer_d1):
    inquiry = InquiryFactory(applicant=citizen, filed_by=reviewer_d1)
    assert client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/").status_code == 200


def test_nobody_sees_another_citizens_inquiry_or_document(client_for, citizen, other_citizen):
    draft = complete_draft(citizen)
    inquiry = services.inquiry_submit(actor=citizen, draft=draft)
    attachment = inquiry.attachments.get()
    other = client_for(other_citizen)
    assert other.get(f"/inquiries/{inquiry.tracking_code}/").status_code == 404
    assert other.get(f"/inquiries/documents/{attachment.pk}/").status_code == 404
    assert other.get(f"/inquiries/{inquiry.tracking_code}/withdraw/").status_code == 404


def test_reviewers_see_only_their_district(client_for, citizen, reviewer_d1, reviewer_d3):
    inquiry = InquiryFactory(applicant=citizen, district_number=1)
    assert client_for(reviewer_d1).get(f"/inquiries/{inquiry.tracking_code}/").status_code == 200
    assert client_for(reviewer_d3).get(f"/inquiries/{inquiry.tracking_code}/").status_code == 404


def test_document_download_is_private_and_not_cached(client_for, citizen):
    inquiry = services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    attachment = inquiry.attachments.get()
    response = client_for(citizen).get(f"/inquiries/documents/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_documents_are_not_under_the_media_url(citizen):
    inquiry = services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    from django.conf import settings

    path = inquiry.attachments.get().file.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))


def test_withdraw_with_confirmation(client_for, citizen):
    inquiry = InquiryFactory(applicant=citizen)
    client = client_for(citizen)
    assert "انصراف" in client.get(f"/inquiries/{inquiry.tracking_code}/withdraw/").content.decode()
    client.post(f"/inquiries/{inquiry.tracking_code}/withdraw/")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.WITHDRAWN


def test_respond_to_a_request_for_information(client_for, citizen, reviewer_d1):
    inquiry = InquiryFactory(applicant=citizen)
    services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, note="سند خوانا نیست")
    client = client_for(citizen)
    detail = client.get(f"/inquiries/{inquiry.tracking_code}/").content.decode()
    assert "سند خوانا نیست" in detail
    bad = client.post(
        f"/inquiries/{inquiry.tracking_code}/respond/",
        {"note": "اینجاست", "kind": "deed", "file": SimpleUploadedFile("a.txt", b"hello")},
    )
    assert bad.status_code == 200
    assert "اینجاست" in bad.content.decode()  # the note typed is kept
    upload = SimpleUploadedFile("deed.png", png_bytes(), content_type="image/png")
    client.post(
        f"/inquiries/{inquiry.tracking_code}/respond/",
        {"note": "اینجاست", "kind": "deed", "file": upload},
    )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.RESUBMITTED


def test_public_tracking_shows_status_only(client, citizen):
    inquiry = InquiryFactory(applicant=citizen)
    page = client.post(
        "/track/",
        {
            "tracking_code": inquiry.tracking_code_display().lower(),
            "national_id": citizen.national_id,
        },
    )
    html = page.content.decode()
    assert 'data-testid="tracking-status"' in html
    assert inquiry.get_status_display() in html
    assert citizen.first_name not in html and citizen.mobile not in html
    assert inquiry.property.address not in html


def test_public_tracking_wrong_national_id_looks_like_unknown_code(client, citizen, other_citizen):
    inquiry = InquiryFactory(applicant=citizen)
    page = client.post(
        "/track/",
        {"tracking_code": inquiry.tracking_code, "national_id": other_citizen.national_id},
    )
    assert 'data-testid="tracking-none"' in page.content.decode()


def test_public_tracking_is_rate_limited(client, citizen, settings):
    settings.TRACKING_LOOKUPS_PER_IP = 3
    inquiry = InquiryFactory(applicant=citizen)
    data = {"tracking_code": inquiry.tracking_code, "national_id": citizen.national_id}
    for _ in range(3):
        assert client.post("/track/", data).status_code == 200
    assert client.post("/track/", data).status_code == 429


def test_public_tracking_catches_a_mistyped_code(client, citizen):
    inquiry = InquiryFactory(applicant=citizen)
    typo = inquiry.tracking_code[:-1] + ("A" if inquiry.tracking_code[-1] != "A" else "B")
    page = client.post("/track/", {"tracking_code": typo, "national_id": citizen.national_id})
    assert "is-invalid" in page.content.decode()
