import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import User
from inquiries import services
from inquiries.models import AnswerStatus, Inquiry
from inquiries.models.answer import SignerRole
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Action, InquiryStatus
from shahrvand import jalali, sms
from shahrvand.billing import bill_id_is_valid, payment_amount_rials, payment_id_is_valid

pytestmark = pytest.mark.django_db

GOOD = {
    "decision": "conditional",
    "building_status": "completed",
    "certificate_type": "completion",
    "certificate_number": "1401/555",
    "certificate_date": dt.date(2022, 6, 1),
    "land_use_plan": "residential",
    "road_widening": "partly",
    "road_widening_note": "۲ متر از ضلع شمالی",
    "conditions": "تسویه عوارض پیش از انتقال",
}
DUES = [("عوارض نوسازی", 1_250_000), ("عوارض پسماند", 750_000)]


@pytest.fixture
def in_review(citizen, reviewer_d1):
    inquiry = InquiryFactory(applicant=citizen)
    return services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)


def _prepared(inquiry, actor, **changes):
    return services.answer_prepare(
        actor=actor, inquiry=inquiry, data={**GOOD, **changes}, dues=DUES
    )


def test_reviewer_prepares_and_manager_signs(
    in_review, reviewer_d1, manager_d1, django_capture_on_commit_callbacks
):
    answer = _prepared(in_review, reviewer_d1)
    assert answer.status == AnswerStatus.DRAFT and answer.dues_total_rials == 2_000_000
    with pytest.raises(PermissionDenied):
        services.answer_sign(actor=reviewer_d1, answer=answer)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_sign(actor=manager_d1, answer=answer)
    answer.refresh_from_db()
    inquiry = Inquiry.objects.get(pk=in_review.pk)
    assert inquiry.status == InquiryStatus.ANSWERED and inquiry.answered_at
    assert answer.status == AnswerStatus.SIGNED
    year = jalali.to_jalali(timezone.localdate()).year
    assert answer.letter_number == f"1/{year}/00001"
    assert len(answer.verification_code) == 10
    assert answer.valid_until == jalali.add_months(timezone.localdate(), 6)
    assert bill_id_is_valid(answer.bill_id) and answer.bill_id[-2] == "6"  # municipality
    assert payment_id_is_valid(answer.bill_id, answer.payment_id)
    assert payment_amount_rials(answer.payment_id) == 2_000_000
    assert answer.signer_role == SignerRole.MANAGER  # a code; the letter prints it in Persian
    assert inquiry.events.filter(action=Action.ANSWER).exists()
    assert answer.pdf_rendered_at is not None  # rendered by the (eager) worker after commit


def test_a_reviewer_allowed_by_the_district_may_sign(in_review, reviewer_d1, ict_admin):
    from districts.services_power import district_membership_change

    answer = _prepared(in_review, reviewer_d1)
    with pytest.raises(PermissionDenied):
        services.answer_sign(actor=reviewer_d1, answer=answer)
    district_membership_change(
        actor=ict_admin, membership=reviewer_d1.district_memberships.get(), can_sign=True
    )
    reviewer = User.objects.get(pk=reviewer_d1.pk)  # their next request
    services.answer_sign(actor=reviewer, answer=answer)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.SIGNED
    assert answer.signer_role == SignerRole.REVIEWER


@pytest.mark.parametrize(
    ("changes", "dues", "field"),
    [
        ({"decision": "cannot_answer", "reason": ""}, [], "reason"),
        ({"decision": "conditional", "conditions": ""}, [], "conditions"),
        ({"decision": "violations"}, [], "dues"),
        ({"certificate_number": ""}, [], "certificate_number"),
        ({}, [("x", 1500)], "dues"),
    ],
)
def test_answer_checks(in_review, reviewer_d1, changes, dues, field):
    with pytest.raises(services.AnswerInvalid) as error:
        services.answer_prepare(
            actor=reviewer_d1, inquiry=in_review, data={**GOOD, **changes}, dues=dues
        )
    assert field in error.value.errors


def test_only_the_holder_or_a_manager_prepares(in_review, citizen, manager_d1):
    from accounts.tests.factories import UserFactory
    from districts.models import DistrictRole
    from districts.tests.factories import DistrictMembershipFactory

    colleague = UserFactory(username="colleague")
    DistrictMembershipFactory(user=colleague, role=DistrictRole.REVIEWER)
    with pytest.raises(services.InquiryError) as error:
        _prepared(in_review, colleague)
    assert error.value.code == "held"
    assert _prepared(in_review, manager_d1).pk


def test_signed_answer_is_never_changed_a_correction_supersedes_it(
    in_review, reviewer_d1, manager_d1
):
    first = _prepared(in_review, reviewer_d1)
    services.answer_sign(actor=manager_d1, answer=first)
    with pytest.raises(services.InquiryError):
        services.answer_sign(actor=manager_d1, answer=first)
    inquiry = Inquiry.objects.get(pk=in_review.pk)
    correction = services.answer_prepare(
        actor=manager_d1,
        inquiry=inquiry,
        data={**GOOD, "decision": "no_objection", "conditions": ""},
        dues=[],
    )
    assert correction.supersedes_id == first.pk
    first.refresh_from_db()
    assert first.status == AnswerStatus.SIGNED  # still in force until the correction is signed
    services.answer_sign(actor=manager_d1, answer=correction)
    first.refresh_from_db()
    correction.refresh_from_db()
    assert first.status == AnswerStatus.SUPERSEDED
    assert correction.status == AnswerStatus.SIGNED
    assert first.letter_number != correction.letter_number
    assert services.answer_current(inquiry) == correction
    assert Inquiry.objects.get(pk=inquiry.pk).events.filter(action=Action.ANSWER_CORRECTED).exists()


def test_revoking_sends_the_inquiry_back_to_review(
    in_review, reviewer_d1, manager_d1, django_capture_on_commit_callbacks
):
    answer = _prepared(in_review, reviewer_d1)
    services.answer_sign(actor=manager_d1, answer=answer)
    with pytest.raises(services.InquiryError):
        services.answer_revoke(actor=manager_d1, answer=answer, reason="  ")
    with pytest.raises(PermissionDenied):
        services.answer_revoke(actor=reviewer_d1, answer=answer, reason="x")
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_revoke(actor=manager_d1, answer=answer, reason="پلاک اشتباه بود")
    answer.refresh_from_db()
    inquiry = Inquiry.objects.get(pk=in_review.pk)
    assert answer.status == AnswerStatus.REVOKED and answer.revoke_reason == "پلاک اشتباه بود"
    assert inquiry.status == InquiryStatus.IN_REVIEW
    assert inquiry.due_date is not None and inquiry.answered_at is None
    assert any("ابطال" in m.text for m in sms.outbox)


def test_letter_numbers_count_per_district_and_year(citizen, reviewer_d1, manager_d1):
    numbers = []
    for _ in range(3):
        inquiry = services.inquiry_review_start(
            actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
        )
        answer = _prepared(inquiry, reviewer_d1)
        numbers.append(services.answer_sign(actor=manager_d1, answer=answer).letter_number)
    assert [n.rsplit("/", 1)[1] for n in numbers] == ["00001", "00002", "00003"]


def test_stale_form_is_refused_with_the_current_state(in_review, reviewer_d1):
    stale = in_review.version
    services.inquiry_info_request(actor=reviewer_d1, inquiry=in_review, note="سند")
    with pytest.raises(services.StaleInquiry) as refusal:
        services.answer_prepare(
            actor=reviewer_d1, inquiry=in_review, data=GOOD, dues=DUES, expected_version=stale
        )
    assert refusal.value.inquiry.status == InquiryStatus.NEEDS_INFO
