"""What the hostile inputs meet: the drafts, inquiries and answers each persona works on, built for
each test (every input is rolled back, so one of each is enough)."""

from __future__ import annotations

import pytest

from inquiries import services
from inquiries.kinds import InquiryKind
from inquiries.models import DeficiencyReason
from inquiries.tests.factories import InquiryFactory, complete_draft
from shahrvand import sms

from .harness import Report, persona_client
from .world import prepare_answer


@pytest.fixture
def report():
    """The record of one test's inputs; asserted clean by the test itself."""
    return Report()


@pytest.fixture(autouse=True)
def _no_sms_kept():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def citizen_client(citizen):
    return persona_client(citizen)


@pytest.fixture
def drafts(citizen):
    """A complete draft of each kind, as a citizen files online."""
    return {kind: complete_draft(citizen, kind=kind) for kind in InquiryKind}


@pytest.fixture
def submitted(citizen):
    return InquiryFactory(applicant=citizen)


@pytest.fixture
def in_review(citizen, reviewer_d1):
    return services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )


@pytest.fixture
def with_draft_answer(in_review, reviewer_d1):
    """An inquiry in review with an answer prepared, waiting for a signature."""
    return in_review, prepare_answer(in_review, reviewer_d1)


@pytest.fixture
def answered(in_review, reviewer_d1, manager_d1):
    """An inquiry with a signed answer."""
    answer = prepare_answer(in_review, reviewer_d1)
    services.answer_sign(actor=manager_d1, answer=answer)
    in_review.refresh_from_db()
    answer.refresh_from_db()
    return in_review, answer


@pytest.fixture
def needs_info(citizen, reviewer_d1):
    """An inquiry waiting for the citizen's answer to a request for information."""
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    reasons = list(DeficiencyReason.objects.filter(is_active=True)[:1])
    return services.inquiry_info_request(
        actor=reviewer_d1, inquiry=inquiry, reasons=reasons, note="سند را بفرستید"
    )
