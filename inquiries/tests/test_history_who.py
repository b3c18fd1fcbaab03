"""The history says who acted: "you" for the applicant, the office or the kiosk for what they did
on the applicant's behalf, and the role and name of district staff — never the inquiry's channel
stamped on the district's own actions."""

import re

import pytest

from inquiries import services
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Channel

pytestmark = pytest.mark.django_db


def _who(html: str) -> list[str]:
    return re.findall(r'data-testid="history-who">([^<]*)<', html)


def _named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def reviewer(reviewer_d1):
    return _named(reviewer_d1, "مریم", "کاظمی")


def test_the_citizen_sees_you_for_their_own_steps_and_role_and_name_for_the_reviewer(
    client_for, citizen, reviewer
):
    inquiry = InquiryFactory(applicant=citizen)
    services.inquiry_review_start(actor=reviewer, inquiry=inquiry)
    who = _who(client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/").content.decode())
    assert who[0] == "شما"
    assert who[1].startswith("کارشناس بررسی، ") and who[1].endswith(" — مریم کاظمی")
    assert "برخط" not in who[1], "the district's action is not stamped with the channel"


def test_staff_see_the_applicant_and_their_own_colleagues_by_role(
    client_for, citizen, reviewer, manager_d1
):
    inquiry = InquiryFactory(applicant=citizen)
    services.inquiry_review_start(actor=reviewer, inquiry=inquiry)
    manager = _named(manager_d1, "رضا", "نوری")
    html = client_for(manager).get(f"/staff/inquiries/{inquiry.tracking_code}/").content.decode()
    who = _who(html)
    assert who[0] == "متقاضی، برخط"
    assert who[1].startswith("کارشناس بررسی") and who[1].endswith("مریم کاظمی")


def test_an_office_filing_shows_the_office_and_the_citizen_never_sees_the_operator(
    client_for, citizen, pishkhan_operator, reviewer
):
    operator = _named(pishkhan_operator, "سارا", "امینی")
    office = operator.office_memberships.get().office
    inquiry = InquiryFactory(
        applicant=citizen, channel=office.channel, office=office, filed_by=operator
    )
    for viewer in (citizen, operator):
        who = _who(client_for(viewer).get(f"/inquiries/{inquiry.tracking_code}/").content.decode())
        assert office.name in who[0]
        assert "سارا امینی" not in who[0]
    staff_html = client_for(reviewer).get(f"/staff/inquiries/{inquiry.tracking_code}/")
    staff_who = _who(staff_html.content.decode())
    assert office.name in staff_who[0] and staff_who[0].endswith("سارا امینی")


def test_a_kiosk_filing_shows_the_district_kiosk(client_for, citizen, kiosk_clerk):
    clerk = _named(kiosk_clerk, "علی", "رستمی")
    inquiry = InquiryFactory(applicant=citizen, channel=Channel.KIOSK, filed_by=clerk)
    who = _who(client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/").content.decode())
    assert who[0].startswith("باجهٔ راهنمای") and "علی رستمی" not in who[0]


def test_the_manager_who_signs_is_named_by_role(client_for, citizen, reviewer, manager_d1):
    manager = _named(manager_d1, "رضا", "نوری")
    inquiry = InquiryFactory(applicant=citizen)
    services.inquiry_review_start(actor=manager, inquiry=inquiry)
    answer = services.answer_prepare(
        actor=manager,
        inquiry=inquiry,
        data={"decision": "no_objection", "certificate_type": "none"},
        dues=[],
    )
    services.answer_sign(actor=manager, answer=answer)
    who = _who(client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/").content.decode())
    assert who[-1].startswith("مدیر منطقه") and who[-1].endswith("رضا نوری")
