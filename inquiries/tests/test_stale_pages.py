"""Every staff form carries the version of the inquiry the person saw; an action sent from a page
that someone changed meanwhile is refused with a plain message and the current state, never
applied (README: "Two people acting on one inquiry at once")."""

import pytest

from inquiries import services
from inquiries.models import Answer, AnswerStatus, Inquiry, InquiryEvent
from inquiries.tests.factories import InquiryFactory
from inquiries.tests.test_access_matrix import ACTIONS, _prepare_action, _signed_answer, _snapshot
from inquiries.workflow import InquiryStatus

pytestmark = pytest.mark.django_db

STALE_MESSAGE = "در همین فاصله، کاربر دیگری این استعلام را تغییر داده است"


def _version(inquiry) -> int:
    return Inquiry.objects.get(pk=inquiry.pk).version


@pytest.fixture
def signed(citizen, reviewer_d1, manager_d1) -> Answer:
    return _signed_answer(InquiryFactory(applicant=citizen), reviewer_d1, manager_d1)


def test_revoke_from_a_stale_page_is_refused_and_the_answer_stays_signed(
    client_for, signed, manager_d1
):
    inquiry = signed.inquiry
    seen = _version(inquiry)
    # Meanwhile a colleague starts a correction: the page the manager has open is now stale.
    correction = services.answer_prepare(
        actor=manager_d1, inquiry=inquiry, data={"decision": "no_objection"}, dues=[]
    )
    before = _snapshot(inquiry)
    client = client_for(manager_d1)
    url = f"/staff/inquiries/{inquiry.tracking_code}/answers/{signed.pk}/revoke/"
    response = client.post(url, {"reason": "پلاک اشتباه ثبت شده بود", "version": seen})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/inquiries/{inquiry.tracking_code}/"
    assert STALE_MESSAGE in client.get(response["Location"]).content.decode()
    assert _snapshot(inquiry) == before
    signed.refresh_from_db()
    assert signed.status == AnswerStatus.SIGNED and signed.revoke_reason == ""
    assert Answer.objects.filter(pk=correction.pk, status=AnswerStatus.DRAFT).exists()
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.ANSWERED


def test_revoke_from_the_current_page_is_applied(client_for, signed, manager_d1):
    inquiry = signed.inquiry
    url = f"/staff/inquiries/{inquiry.tracking_code}/answers/{signed.pk}/revoke/"
    client_for(manager_d1).post(url, {"reason": "پلاک اشتباه بود", "version": _version(inquiry)})
    signed.refresh_from_db()
    assert signed.status == AnswerStatus.REVOKED
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.IN_REVIEW


def test_the_revoke_service_refuses_a_stale_version_and_writes_no_event(signed, manager_d1):
    inquiry = signed.inquiry
    events = InquiryEvent.objects.filter(inquiry=inquiry).count()
    with pytest.raises(services.StaleInquiry):
        services.answer_revoke(
            actor=manager_d1,
            answer=signed,
            reason="پلاک اشتباه بود",
            expected_version=_version(inquiry) - 1,
        )
    signed.refresh_from_db()
    assert signed.status == AnswerStatus.SIGNED
    assert InquiryEvent.objects.filter(inquiry=inquiry).count() == events


def test_a_revoke_reason_of_invisible_characters_only_is_refused(signed, manager_d1):
    with pytest.raises(services.InquiryError):
        services.answer_revoke(actor=manager_d1, answer=signed, reason="\u200b\u200c\u200f ")
    signed.refresh_from_db()
    assert signed.status == AnswerStatus.SIGNED


@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_staff_action_from_a_stale_page_is_refused_and_changes_nothing(
    action, client_for, citizen, reviewer_d1, manager_d1
):
    inquiry, url, data = _prepare_action(action, citizen, reviewer_d1, manager_d1)
    before = _snapshot(inquiry)
    client = client_for(manager_d1)
    response = client.post(url, {**data, "version": before["version"] - 1})
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == f"/staff/inquiries/{inquiry.tracking_code}/"
    assert STALE_MESSAGE in client.get(response["Location"]).content.decode()
    assert _snapshot(inquiry) == before


def test_taking_an_inquiry_without_the_version_is_refused_like_a_stale_page(
    client_for, citizen, reviewer_d1
):
    inquiry = InquiryFactory(applicant=citizen)
    before = _snapshot(inquiry)
    client = client_for(reviewer_d1)
    response = client.post(f"/staff/inquiries/{inquiry.tracking_code}/take/", {})
    assert response.status_code == 302
    assert STALE_MESSAGE in client.get(response["Location"]).content.decode()
    assert _snapshot(inquiry) == before
    client.post(f"/staff/inquiries/{inquiry.tracking_code}/take/", {"version": before["version"]})
    assert Inquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.IN_REVIEW
