"""A bank's whole journey with its credentials alone: file, be asked for more information, answer
it, hear of each step by webhook, fetch the signed PDF, and verify it by code and by hash."""

import hashlib
import json

import pytest

from api import webhooks
from inquiries import services
from inquiries.models.answer import DeficiencyReason

from .conftest import filing_data, png_file
from .test_reading import ANSWER
from .test_webhooks import Receiver

pytestmark = pytest.mark.django_db


def test_a_bank_files_answers_a_request_hears_by_webhook_and_verifies_the_pdf(
    api_as,
    client,
    bank_key,
    bank_institution,
    reviewer_d1,
    manager_d1,
    django_capture_on_commit_callbacks,
):
    hook = Receiver()
    try:
        endpoint = webhooks.endpoint_create(institution=bank_institution, url=hook.url)
        bank = api_as(bank_key)
        run = django_capture_on_commit_callbacks

        # 1. The bank's system files the inquiry.
        with run(execute=True):
            filed = bank.post(
                "/api/v1/inquiries/", filing_data(), HTTP_IDEMPOTENCY_KEY="loan-2026-000123"
            )
        assert filed.status_code == 201
        code = filed.json()["tracking_code"]
        url = f"/api/v1/inquiries/{code}/"

        # 2. The district asks for more information; the bank hears of it and reads the request.
        inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=_inquiry(code))
        with run(execute=True):
            services.inquiry_info_request(
                actor=reviewer_d1,
                inquiry=inquiry,
                reasons=[DeficiencyReason.objects.first()],
                note="تصویر سند خوانا نیست",
            )
        asked = json.loads(hook.posts[-1][1])
        assert asked["data"]["status"] == "needs_info" and asked["data"]["tracking_code"] == code
        request = bank.get(url).json()["info_requests"][0]
        assert request["note"] == "تصویر سند خوانا نیست"

        # 3. The bank answers it with a clearer deed.
        with run(execute=True):
            answer_call = bank.post(
                f"{url}info-answer/", {"note": "تصویر تازه پیوست شد", "deed": png_file("d2.png")}
            )
        assert answer_call.json()["status"] == "resubmitted"

        # 4. The district answers; the webhook says so, with the letter and the code.
        inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=_inquiry(code))
        prepared = services.answer_prepare(
            actor=reviewer_d1, inquiry=inquiry, data=ANSWER, dues=[("عوارض نوسازی", 900_000)]
        )
        with run(execute=True):
            services.answer_sign(actor=manager_d1, answer=prepared)
        posted = [json.loads(b) for _h, b in hook.posts]
        told = next(p for p in posted if p["type"] == "inquiry.answered")
        headers, body = hook.posts[posted.index(told)]
        assert webhooks.signature_verify(
            endpoint.secret,
            timestamp=headers["Shahrvand-Timestamp"],
            signature=headers["Shahrvand-Signature"],
            body=body,
        )
        actions = [p["data"]["action"] for p in posted if p["type"] != "answer.pdf_ready"]
        assert actions == ["submit", "request_info", "resubmit", "answer"]
        # Then its PDF, once the (here eager) PDF task has stored it.
        assert posted[-1]["type"] == "answer.pdf_ready"
        assert (
            posted[-1]["data"]["answer"]["verification_code"]
            == (told["data"]["answer"]["verification_code"])
        )

        # 5. The bank fetches the signed answer and its PDF.
        answer = bank.get(f"{url}answer/").json()
        assert answer["verification_code"] == told["data"]["answer"]["verification_code"]
        assert answer["bill_id"] and answer["payment_id"]
        pdf = b"".join(bank.get(f"{url}answer/pdf/").streaming_content)
        digest = hashlib.sha256(pdf).hexdigest()
        assert digest == posted[-1]["data"]["answer"]["pdf_sha256"] == answer["pdf_sha256"]

        # 6. Any bank verifies the printed answer, by its code and by the PDF's hash.
        by_code = client.get("/api/v1/verify/", {"code": answer["verification_code"]}).json()
        by_hash = client.get("/api/v1/verify/", {"sha256": digest}).json()
        assert by_code["result"] == by_hash["result"] == "valid"
        assert by_hash["answer"]["letter_number"] == answer["letter_number"]
    finally:
        hook.stop()


def _inquiry(code):
    from inquiries.models import Inquiry

    return Inquiry.objects.get(tracking_code=code)
