import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from api.models import ApiCall
from inquiries import services
from inquiries.models import Inquiry, VerificationLog
from inquiries.models.answer import DeficiencyReason

from .conftest import filing_data, key_for, png_file

pytestmark = pytest.mark.django_db

LIST = "/api/v1/inquiries/"
ANSWER = {
    "decision": "conditional",
    "building_status": "completed",
    "certificate_type": "completion",
    "certificate_number": "1401/555",
    "certificate_date": dt.date(2022, 6, 1),
    "land_use_plan": "residential",
    "road_widening": "not_affected",
    "road_widening_note": "",
    "conditions": "تسویه عوارض پیش از انتقال",
}


def filed(api_as, key, n=1) -> Inquiry:
    response = api_as(key).post(
        LIST,
        filing_data(letter_number=f"45/{n}"),
        HTTP_IDEMPOTENCY_KEY=f"filing-{n:04d}",
    )
    assert response.status_code == 201, response.json()
    return Inquiry.objects.get(tracking_code=response.json()["tracking_code"])


def answered(inquiry, reviewer, manager, capture):
    inquiry = services.inquiry_review_start(actor=reviewer, inquiry=inquiry)
    answer = services.answer_prepare(
        actor=reviewer, inquiry=inquiry, data=ANSWER, dues=[("عوارض نوسازی", 1_250_000)]
    )
    with capture(execute=True):
        services.answer_sign(actor=manager, answer=answer)
    answer.refresh_from_db()
    return answer


# --- list and read ------------------------------------------------------------------------------


def test_an_institution_lists_only_what_its_system_filed(api_as, bank_key, other_bank_key, citizen):
    from inquiries.tests.factories import InquiryFactory

    mine = filed(api_as, bank_key)
    InquiryFactory(applicant=citizen)  # a citizen's, online
    body = api_as(bank_key).get(LIST).json()
    assert [row["tracking_code"] for row in body["results"]] == [mine.tracking_code]
    assert body["next_cursor"] is None
    assert api_as(other_bank_key).get(LIST).json()["results"] == []


def test_another_institutions_inquiry_is_404(api_as, bank_key, other_bank_key):
    mine = filed(api_as, bank_key)
    for path in ("", "answer/", "answer/pdf/"):
        response = api_as(other_bank_key).get(f"{LIST}{mine.tracking_code}/{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    response = api_as(other_bank_key).post(
        f"{LIST}{mine.tracking_code}/info-answer/", {"note": "x", "deed": png_file()}
    )
    assert response.status_code == 404


def test_the_list_pages_by_cursor_and_filters_by_updated_since(api_as, bank_key):
    inquiries = [filed(api_as, bank_key, n) for n in range(1, 6)]
    client = api_as(bank_key)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get(LIST, params).json()
        seen += [row["tracking_code"] for row in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [i.tracking_code for i in inquiries]
    later = timezone.now() + dt.timedelta(seconds=1)
    Inquiry.objects.filter(pk=inquiries[2].pk).update(updated_at=later + dt.timedelta(seconds=1))
    body = client.get(LIST, {"updated_since": later.isoformat()}).json()
    assert [row["tracking_code"] for row in body["results"]] == [inquiries[2].tracking_code]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "۵"}, "limit"),
    ],
)
def test_bad_list_parameters_are_400_in_the_error_shape(api_as, bank_key, params, field):
    response = api_as(bank_key).get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_an_inquiry_reads_with_its_history_without_the_staffs_names(api_as, bank_key, reviewer_d1):
    inquiry = filed(api_as, bank_key)
    services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    response = api_as(bank_key).get(f"{LIST}{inquiry.tracking_code}/")
    body = response.json()
    assert body["status"] == "in_review" and body["status_label"]
    assert [e["action"] for e in body["history"]] == ["submit", "start_review"]
    text = response.content.decode()
    assert reviewer_d1.username not in text and "reviewer" not in text
    assert "actor" not in body["history"][1]


# --- requests for information -------------------------------------------------------------------


def test_the_institution_answers_a_request_for_information(api_as, bank_key, reviewer_d1):
    inquiry = filed(api_as, bank_key)
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    reason = DeficiencyReason.objects.first()
    services.inquiry_info_request(
        actor=reviewer_d1, inquiry=inquiry, reasons=[reason], note="سند خوانا نیست"
    )
    body = api_as(bank_key).get(f"{LIST}{inquiry.tracking_code}/").json()
    assert body["status"] == "needs_info" and body["due_date"] is None
    assert body["info_requests"][0]["note"] == "سند خوانا نیست"
    assert body["info_requests"][0]["reasons"] == [reason.title]
    url = f"{LIST}{inquiry.tracking_code}/info-answer/"
    refused = api_as(bank_key).post(url, {"note": "پیوست شد"})
    assert refused.status_code == 422 and refused.json()["code"] == "no_documents"
    response = api_as(bank_key).post(url, {"note": "پیوست شد", "deed": png_file("deed2.png")})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "resubmitted"
    inquiry.refresh_from_db()
    assert inquiry.attachments.count() == 3
    event = inquiry.events.last()
    assert (event.action, event.channel, event.actor) == (
        "resubmit",
        "institution_api",
        inquiry.filed_by,
    )
    again = api_as(bank_key).post(url, {"note": "دوباره", "deed": png_file()})
    assert again.status_code == 422 and again.json()["code"] == "transition"


def test_answering_a_request_needs_the_file_scope(api_as, ict_admin, bank_institution, bank_key):
    inquiry = filed(api_as, bank_key)
    reader = key_for(ict_admin, bank_institution, ["read"])
    response = api_as(reader).post(
        f"{LIST}{inquiry.tracking_code}/info-answer/", {"note": "x", "deed": png_file()}
    )
    assert response.status_code == 403


# --- the signed answer, JSON and PDF, and verification -------------------------------------------


def test_the_signed_answer_as_json_and_pdf(
    api_as, bank_key, reviewer_d1, manager_d1, django_capture_on_commit_callbacks
):
    inquiry = filed(api_as, bank_key)
    client = api_as(bank_key)
    none_yet = client.get(f"{LIST}{inquiry.tracking_code}/answer/")
    assert none_yet.status_code == 404 and none_yet.json()["code"] == "no_answer"
    answer = answered(inquiry, reviewer_d1, manager_d1, django_capture_on_commit_callbacks)
    body = client.get(f"{LIST}{inquiry.tracking_code}/answer/").json()
    assert body["decision"] == "conditional" and body["decision_label"]
    assert body["letter_number"] == answer.letter_number
    assert body["verification_code"] == answer.verification_code
    assert body["dues"] == [{"title": "عوارض نوسازی", "amount_rials": 1_250_000}]
    assert body["dues_total_rials"] == 1_250_000
    assert body["bill_id"] == answer.bill_id and body["payment_id"] == answer.payment_id
    assert body["valid_until"] == answer.valid_until.isoformat()
    assert body["pdf_ready"] is True and body["pdf_sha256"] == answer.pdf_sha256
    pdf = client.get(f"{LIST}{inquiry.tracking_code}/answer/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == body["pdf_sha256"]
    assert ApiCall.objects.filter(endpoint="answer_pdf", status_code=200).count() == 1


def test_a_pdf_not_rendered_yet_says_so(api_as, bank_key, reviewer_d1, manager_d1):
    inquiry = filed(api_as, bank_key)
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    answer = services.answer_prepare(actor=reviewer_d1, inquiry=inquiry, data=ANSWER, dues=[])
    services.answer_sign(actor=manager_d1, answer=answer)  # its PDF task waits for the commit
    response = api_as(bank_key).get(
        f"{LIST}{inquiry.tracking_code}/answer/pdf/", HTTP_ACCEPT="application/pdf"
    )
    # Not a 404 (that says "no such inquiry or answer"): the answer is there, its PDF soon.
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "pdf_not_ready" and body["fields"] == {}
    assert "PDF" in body["message"] and "آماده" in body["message"]
    assert (
        api_as(bank_key).get(f"{LIST}{inquiry.tracking_code}/answer/").json()["pdf_ready"] is False
    )


def test_verify_by_code_and_by_hash_gives_the_pages_verdicts(
    api_as, bank_key, reviewer_d1, manager_d1, django_capture_on_commit_callbacks, client
):
    inquiry = filed(api_as, bank_key)
    answer = answered(inquiry, reviewer_d1, manager_d1, django_capture_on_commit_callbacks)
    by_code = client.get("/api/v1/verify/", {"code": answer.verification_code.lower()})
    assert by_code.status_code == 200
    body = by_code.json()
    assert body["result"] == "valid" and body["answer"]["letter_number"] == answer.letter_number
    by_hash = api_as(bank_key).get("/api/v1/verify/", {"sha256": answer.pdf_sha256.upper()})
    assert by_hash.json()["result"] == "valid"
    unknown = client.get("/api/v1/verify/", {"sha256": "0" * 64}).json()
    assert unknown == {
        "result": "not_found",
        "result_label": unknown["result_label"],
        "answer": None,
        "in_force": None,
    }
    # The same verdict the public page shows, logged as its checks are.
    page = client.get(f"/verify/{answer.verification_code}/")
    assert 'data-result="valid"' in page.content.decode()
    assert VerificationLog.objects.count() == 4
    services.answer_revoke(actor=manager_d1, answer=answer, reason="اشتباه در عوارض")
    assert client.get("/api/v1/verify/", {"code": answer.verification_code}).json()["result"] == (
        "revoked"
    )


@pytest.mark.parametrize(
    "params", [{}, {"code": "ABC"}, {"sha256": "xyz"}, {"code": "A" * 10, "sha256": "0" * 64}]
)
def test_verify_refuses_what_is_not_a_code_or_a_hash(client, params):
    response = client.get("/api/v1/verify/", params)
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_verify_is_rate_limited_per_address_with_the_pages_counter(client, settings):
    settings.VERIFY_LOOKUPS_PER_IP = 2
    codes = [client.get("/api/v1/verify/", {"code": "ABCDEFGHJK"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    # The web page counts against the same allowance.
    assert client.get("/verify/ABCDEFGHJK/").status_code == 429


def test_a_key_without_the_verify_scope_cannot_verify(api_as, ict_admin, bank_institution):
    key = key_for(ict_admin, bank_institution, ["read"])
    assert api_as(key).get("/api/v1/verify/", {"code": "ABCDEFGHJK"}).status_code == 403
