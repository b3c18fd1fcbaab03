"""The public verification page: anyone holding an answer (a notary, a bank) checks that it is
genuine and still in force, by its link or QR code, by its typed code, or by uploading its PDF."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from inquiries import services
from inquiries.models import Answer, AnswerStatus, VerificationLog
from inquiries.tests.factories import InquiryFactory
from shahrvand import jalali
from shahrvand.text import to_persian_digits

pytestmark = pytest.mark.django_db

DATA = {
    "decision": "conditional",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
    "conditions": "تسویه عوارض پیش از انتقال",
}


@pytest.fixture
def sign(django_capture_on_commit_callbacks, reviewer_d1, manager_d1):
    """Prepare and sign an answer (or a correction), the PDF rendered by the eager task."""

    def make(inquiry, **changes) -> Answer:
        inquiry = type(inquiry).objects.get(pk=inquiry.pk)
        if inquiry.status in ("submitted", "resubmitted"):
            inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
        answer = services.answer_prepare(
            actor=manager_d1, inquiry=inquiry, data={**DATA, **changes}, dues=[]
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.answer_sign(actor=manager_d1, answer=answer)
        return Answer.objects.get(pk=answer.pk)

    return make


@pytest.fixture
def inquiry(citizen):
    return InquiryFactory(applicant=citizen)


@pytest.fixture
def signed(sign, inquiry):
    answer = sign(inquiry)
    assert answer.pdf and answer.pdf_sha256
    return answer


def _verdict(response) -> str:
    match = re.search(r'data-testid="verdict" data-result="(\w+)"', response.content.decode())
    assert match, "no verdict on the page"
    return match.group(1)


def _verdict_box(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="verdict"')
    return html[start : html.index("</section>", start)]


def _fa(value) -> str:
    with translation.override("fa"):
        return str(value)


def _pdf_bytes(answer: Answer) -> bytes:
    with answer.pdf.open("rb") as handle:
        return handle.read()


# --- the verdicts ----------------------------------------------------------------------------------


def test_a_signed_answer_is_valid_with_its_facts(client, signed):
    response = client.get(f"/verify/{signed.verification_code}/")
    assert response.status_code == 200
    assert _verdict(response) == "valid"
    box = _verdict_box(response)
    inquiry = signed.inquiry
    with translation.override("fa"):
        expected = [
            str(inquiry.get_kind_display()),
            inquiry.district.name,
            to_persian_digits(inquiry.property.renovation_code),
            str(signed.get_decision_display()),
            jalali.format_date(timezone.localtime(signed.signed_at).date()),
            jalali.format_date(signed.valid_until),
            to_persian_digits(signed.letter_number),
        ]
    for text in expected:
        assert text in box, text
    assert signed.valid_until == jalali.add_months(timezone.localdate(), 6)


def test_the_verification_page_does_not_show_who_the_applicant_is(client, signed, citizen):
    html = client.get(f"/verify/{signed.verification_code}/").content.decode()
    for private in (
        citizen.national_id,
        to_persian_digits(citizen.national_id),
        citizen.mobile,
        to_persian_digits(citizen.mobile),
        citizen.first_name,
        citizen.last_name,
        signed.inquiry.applicant_first_name,
        signed.inquiry.applicant_last_name,
    ):
        assert private not in html, private


def test_an_expired_answer_says_expired(client, signed):
    Answer.objects.filter(pk=signed.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    response = client.get(f"/verify/{signed.verification_code}/")
    assert _verdict(response) == "expired"


def test_an_answer_valid_until_today_is_still_valid(client, signed):
    Answer.objects.filter(pk=signed.pk).update(valid_until=timezone.localdate())
    assert _verdict(client.get(f"/verify/{signed.verification_code}/")) == "valid"


def test_a_corrected_answer_says_superseded_and_links_to_the_new_one(client, sign, signed):
    correction = sign(signed.inquiry, decision="no_objection", conditions="")
    assert correction.supersedes_id == signed.pk

    old = client.get(f"/verify/{signed.verification_code}/")
    assert _verdict(old) == "superseded"
    link = re.search(r'href="([^"]+)" data-testid="newer-answer"', old.content.decode())
    assert link and link.group(1) == f"/verify/{correction.verification_code}/"

    new = client.get(link.group(1))
    assert _verdict(new) == "valid"
    assert 'data-testid="newer-answer"' not in new.content.decode()


def test_after_two_corrections_the_first_links_to_the_one_in_force(client, sign, signed):
    second = sign(signed.inquiry, decision="no_objection", conditions="")
    third = sign(signed.inquiry, decision="conditional", conditions="شرط تازه")
    assert Answer.objects.get(pk=second.pk).status == AnswerStatus.SUPERSEDED
    html = client.get(f"/verify/{signed.verification_code}/").content.decode()
    assert f'href="/verify/{third.verification_code}/" data-testid="newer-answer"' in html


def test_a_revoked_answer_says_revoked_with_the_reason(client, signed, manager_d1):
    services.answer_revoke(actor=manager_d1, answer=signed, reason="پلاک اشتباه ثبت شده بود")
    response = client.get(f"/verify/{signed.verification_code}/")
    assert _verdict(response) == "revoked"
    assert "پلاک اشتباه ثبت شده بود" in _verdict_box(response)


def test_an_unknown_code_says_not_found(client, signed):
    other = "".join(reversed(signed.verification_code))
    other = other if other != signed.verification_code else "ABCDEFGHJK"
    assert not Answer.objects.filter(verification_code=other).exists()
    response = client.get(f"/verify/{other}/")
    assert response.status_code == 200
    assert _verdict(response) == "not_found"


@pytest.mark.parametrize("code", ["short", "0000000000", "ABCDEFGHJKLMN"])
def test_a_malformed_code_says_not_found(client, code):
    assert _verdict(client.get(f"/verify/{code}/")) == "not_found"


# --- typing the code -------------------------------------------------------------------------------


def _typed(code: str) -> str:
    """What a person types off paper: lower case, dashes every few letters, Persian digits."""
    groups = [code[i : i + 3] for i in range(0, len(code), 3)]
    return to_persian_digits("-".join(groups).lower())


def test_a_typed_code_redirects_to_the_canonical_url(client, signed):
    typed = _typed(signed.verification_code)
    response = client.post("/verify/", {"code": f"  {typed} ", "check": ""})
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == f"/verify/{signed.verification_code}/"
    assert _verdict(client.get(response["Location"])) == "valid"


def test_a_typed_code_of_the_wrong_length_is_refused_on_the_form(client):
    response = client.post("/verify/", {"code": "ABC-123"})
    assert response.status_code == 200
    assert response.context["code_form"].errors["code"]
    assert not VerificationLog.objects.exists()


def test_the_forms_on_a_result_page_still_work(client, signed):
    """After one check, the person checks another code from the same page."""
    page = client.get(f"/verify/{signed.verification_code}/")
    forms = re.findall(r"(<form[^>]*>)(.*?)</form>", page.content.decode(), flags=re.DOTALL)
    code_form = next(tag for tag, body in forms if 'name="code"' in body)
    action = re.search(r'action="([^"]*)"', code_form)
    # A form without an action posts to the page it is on.
    target = action.group(1) if action and action.group(1) else page.request["PATH_INFO"]
    response = client.post(target, {"code": signed.verification_code})
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == f"/verify/{signed.verification_code}/"


# --- uploading the PDF -----------------------------------------------------------------------------


def test_uploading_the_stored_pdf_identifies_the_answer(client, signed):
    upload = SimpleUploadedFile("answer.pdf", _pdf_bytes(signed), content_type="application/pdf")
    response = client.post("/verify/", {"upload": "1", "pdf": upload})
    assert response.status_code == 200
    assert _verdict(response) == "valid"
    assert to_persian_digits(signed.letter_number) in _verdict_box(response)


def test_uploading_a_different_pdf_finds_nothing(client, signed):
    tampered = _pdf_bytes(signed) + b"\n% edited\n"
    upload = SimpleUploadedFile("answer.pdf", tampered, content_type="application/pdf")
    response = client.post("/verify/", {"upload": "1", "pdf": upload})
    assert _verdict(response) == "not_found"


def test_uploading_the_pdf_of_a_revoked_answer_says_revoked(client, signed, manager_d1):
    services.answer_revoke(actor=manager_d1, answer=signed, reason="اشتباه")
    upload = SimpleUploadedFile("answer.pdf", _pdf_bytes(signed), content_type="application/pdf")
    assert _verdict(client.post("/verify/", {"upload": "1", "pdf": upload})) == "revoked"


# --- the log and the rate limit --------------------------------------------------------------------


def test_every_check_is_logged_with_its_result_and_method(client, signed):
    client.get(f"/verify/{signed.verification_code}/")
    client.get("/verify/ABCDEFGHJK/")
    upload = SimpleUploadedFile("a.pdf", _pdf_bytes(signed), content_type="application/pdf")
    client.post("/verify/", {"upload": "1", "pdf": upload})
    rows = list(VerificationLog.objects.order_by("pk").values_list("method", "result", "answer"))
    assert rows == [
        ("link", "valid", signed.pk),
        ("link", "not_found", None),
        ("pdf", "valid", signed.pk),
    ]
    assert all(log.ip == "127.0.0.1" for log in VerificationLog.objects.all())
    assert VerificationLog.objects.order_by("pk").first().query == signed.verification_code


def test_a_typed_code_is_logged_as_typed(client, signed):
    response = client.post("/verify/", {"code": _typed(signed.verification_code)})
    client.get(response["Location"])
    log = VerificationLog.objects.get()
    assert (log.method, log.result, log.query) == ("code", "valid", signed.verification_code)


def test_the_verification_page_is_rate_limited(client, signed, settings):
    settings.VERIFY_LOOKUPS_PER_IP = 3
    url = f"/verify/{signed.verification_code}/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429
    assert 'data-testid="verdict"' not in refused.content.decode()
    assert VerificationLog.objects.count() == 3


def test_pdf_uploads_count_towards_the_rate_limit(client, signed, settings):
    settings.VERIFY_LOOKUPS_PER_IP = 3
    for _ in range(3):
        client.get(f"/verify/{signed.verification_code}/")
    upload = SimpleUploadedFile("a.pdf", _pdf_bytes(signed), content_type="application/pdf")
    response = client.post("/verify/", {"upload": "1", "pdf": upload})
    assert response.status_code == 429
    assert VerificationLog.objects.count() == 3


def test_the_rate_limit_is_per_address(client, signed, settings):
    settings.VERIFY_LOOKUPS_PER_IP = 3
    url = f"/verify/{signed.verification_code}/"
    for _ in range(4):
        client.get(url)
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


# --- leading to the answer in force -----------------------------------------------------------------


def _verdict_section(response) -> str:
    """The whole verdict card, its opening tag (with the colour) included."""
    html = response.content.decode()
    start = html.rindex("<section", 0, html.index('data-testid="verdict"'))
    return html[start : html.index("</section>", start)]


def _newer_link(response) -> str | None:
    match = re.search(r'href="([^"]+)" data-testid="newer-answer"', response.content.decode())
    return match.group(1) if match else None


@pytest.fixture
def corrected_then_revoked(sign, signed, manager_d1):
    """Letter A corrected by B, then B revoked: nothing is in force until the district signs again."""
    correction = sign(signed.inquiry, decision="no_objection", conditions="")
    services.answer_revoke(actor=manager_d1, answer=correction, reason="تصحیح نادرست بود")
    return Answer.objects.get(pk=signed.pk), Answer.objects.get(pk=correction.pk)


def test_after_a_revoked_correction_the_first_letter_says_plainly_that_none_is_in_force(
    client, corrected_then_revoked
):
    first, _correction = corrected_then_revoked
    response = client.get(f"/verify/{first.verification_code}/")
    assert _verdict(response) == "superseded"
    assert _newer_link(response) is None, "it must not lead to the revoked correction"
    assert 'data-testid="none-in-force"' in _verdict_box(response)


def test_once_a_new_answer_is_signed_both_older_letters_lead_to_it(
    client, sign, corrected_then_revoked
):
    first, correction = corrected_then_revoked
    third = sign(first.inquiry, decision="conditional", conditions="شرط تازه")
    assert third.supersedes_id is None  # the chain broke at the revocation
    for older in (first, correction):
        response = client.get(f"/verify/{older.verification_code}/")
        assert _newer_link(response) == f"/verify/{third.verification_code}/"
        assert 'data-testid="none-in-force"' not in response.content.decode()
    assert _verdict(client.get(f"/verify/{third.verification_code}/")) == "valid"


def test_a_revoked_letter_is_red_and_shows_no_validity(client, signed, manager_d1):
    services.answer_revoke(actor=manager_d1, answer=signed, reason="اشتباه")
    response = client.get(f"/verify/{signed.verification_code}/")
    box = _verdict_section(response)
    assert "border-danger" in box and "border-warning" not in box
    assert "text-danger-emphasis" in box
    assert _fa(gettext_lazy("Valid until")) not in box
    assert 'data-testid="none-in-force"' in box


def test_a_superseded_letter_is_amber_and_a_valid_one_green(client, sign, signed):
    correction = sign(signed.inquiry, decision="no_objection", conditions="")
    old = _verdict_section(client.get(f"/verify/{signed.verification_code}/"))
    assert "border-warning" in old and _fa(gettext_lazy("Valid until")) not in old
    new = _verdict_section(client.get(f"/verify/{correction.verification_code}/"))
    assert "border-success" in new and _fa(gettext_lazy("Valid until")) in new


def test_upload_and_code_give_the_same_verdict_and_the_same_pointer(
    client, sign, corrected_then_revoked
):
    first, _correction = corrected_then_revoked
    third = sign(first.inquiry, decision="conditional", conditions="شرط تازه")
    by_code = client.get(f"/verify/{first.verification_code}/")
    upload = SimpleUploadedFile("a.pdf", _pdf_bytes(first), content_type="application/pdf")
    by_upload = client.post("/verify/", {"upload": "1", "pdf": upload})
    assert _verdict(by_code) == _verdict(by_upload) == "superseded"
    assert _newer_link(by_code) == _newer_link(by_upload) == f"/verify/{third.verification_code}/"


def test_letters_no_longer_in_force_have_no_green_download_for_the_applicant_or_staff(
    client_for, citizen, manager_d1, sign, corrected_then_revoked
):
    first, correction = corrected_then_revoked
    third = sign(first.inquiry, decision="conditional", conditions="شرط تازه")
    code = first.inquiry.tracking_code
    for user, url in ((citizen, f"/inquiries/{code}/"), (manager_d1, f"/staff/inquiries/{code}/")):
        html = client_for(user).get(url).content.decode()
        green = re.findall(
            r'href="/inquiries/answers/(\d+)/pdf/" data-testid="answer-pdf-download"', html
        )
        old = re.findall(r'href="/inquiries/answers/(\d+)/pdf/" data-testid="answer-pdf-old"', html)
        assert green == [str(third.pk)], url
        assert sorted(old) == sorted([str(first.pk), str(correction.pk)]), url
