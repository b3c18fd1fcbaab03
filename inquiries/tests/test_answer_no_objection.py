"""A "no objection" letter never carries conditions: the answer is refused with a Persian message
that says what to do, and the form keeps what was typed."""

import pytest

from inquiries import services
from inquiries.models import Answer
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

DATA = {
    "decision": "no_objection",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
    "conditions": "تسویه عوارض پیش از انتقال",
}


@pytest.fixture
def in_review(citizen, reviewer_d1):
    return services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )


def test_a_no_objection_answer_with_conditions_is_refused(in_review, reviewer_d1):
    with pytest.raises(services.AnswerInvalid) as error:
        services.answer_prepare(actor=reviewer_d1, inquiry=in_review, data=DATA, dues=[])
    assert "conditions" in error.value.errors
    assert not Answer.objects.exists()


def test_a_no_objection_answer_without_conditions_and_a_conditional_one_are_prepared(
    in_review, reviewer_d1
):
    plain = services.answer_prepare(
        actor=reviewer_d1, inquiry=in_review, data={**DATA, "conditions": "  "}, dues=[]
    )
    assert plain.decision == "no_objection" and plain.conditions in ("", "  ")
    conditional = services.answer_prepare(
        actor=reviewer_d1, inquiry=in_review, data={**DATA, "decision": "conditional"}, dues=[]
    )
    assert conditional.conditions == DATA["conditions"]
