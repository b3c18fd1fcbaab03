import pytest

from inquiries.selectors import (
    attachment_get_for,
    inquiries_of_applicant,
    inquiries_visible_to,
    inquiry_for_public_tracking,
)
from inquiries.tests.factories import InquiryFactory, complete_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine_d1(citizen):
    return InquiryFactory(applicant=citizen, district_number=1)


@pytest.fixture
def theirs_d3(other_citizen):
    return InquiryFactory(applicant=other_citizen, district_number=3)


def _visible(user):
    return set(inquiries_visible_to(user).values_list("pk", flat=True))


def test_citizen_sees_only_own(citizen, other_citizen, mine_d1, theirs_d3):
    assert _visible(citizen) == {mine_d1.pk}
    assert _visible(other_citizen) == {theirs_d3.pk}


def test_citizen_sees_what_an_office_filed_for_their_national_id(citizen, kiosk_clerk):
    filed_for_me = InquiryFactory(applicant=citizen, filed_by=kiosk_clerk)
    assert filed_for_me.pk in _visible(citizen)
    assert filed_for_me.pk in set(inquiries_of_applicant(citizen).values_list("pk", flat=True))


def test_district_staff_see_their_district_only(
    reviewer_d1, reviewer_d3, manager_d1, kiosk_clerk, mine_d1, theirs_d3
):
    assert _visible(reviewer_d1) == {mine_d1.pk}
    assert _visible(manager_d1) == {mine_d1.pk}
    assert _visible(kiosk_clerk) == set()  # status only, through the kiosk look-up
    assert _visible(reviewer_d3) == {theirs_d3.pk}


def test_ict_admin_sees_all(ict_admin, mine_d1, theirs_d3):
    assert _visible(ict_admin) == {mine_d1.pk, theirs_d3.pk}


def test_anonymous_sees_nothing(mine_d1):
    from django.contrib.auth.models import AnonymousUser

    assert _visible(AnonymousUser()) == set()


def test_attachments_follow_their_inquiry(citizen, other_citizen, reviewer_d3):
    from django.http import Http404

    from inquiries import services

    inquiry = services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))
    attachment = inquiry.attachments.get()
    assert attachment_get_for(citizen, attachment.pk) == attachment
    for stranger in (other_citizen, reviewer_d3):
        with pytest.raises(Http404):
            attachment_get_for(stranger, attachment.pk)


def test_a_draft_upload_is_visible_to_its_owner_only(citizen, other_citizen, reviewer_d1):
    from django.http import Http404

    attachment = complete_draft(citizen).attachments.get()
    assert attachment_get_for(citizen, attachment.pk) == attachment
    for stranger in (other_citizen, reviewer_d1):
        with pytest.raises(Http404):
            attachment_get_for(stranger, attachment.pk)


def test_public_tracking_needs_both_code_and_national_id(citizen, other_citizen, mine_d1):
    assert inquiry_for_public_tracking(mine_d1.tracking_code, citizen.national_id) == mine_d1
    assert inquiry_for_public_tracking(mine_d1.tracking_code, other_citizen.national_id) is None
    assert inquiry_for_public_tracking("ABC", citizen.national_id) is None
