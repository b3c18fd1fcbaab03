"""What happens next reads right where it is shown: "below" on the inquiry's own page, "open the
inquiry" in a list (my inquiries, the kiosk's look-up)."""

import pytest

from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import InquiryStatus

pytestmark = pytest.mark.django_db

BELOW = "در ادامهٔ همین صفحه"
OPEN_IT = "استعلام را باز کنید"


def test_my_inquiries_list_says_open_the_inquiry_not_below(client_for, citizen):
    InquiryFactory(applicant=citizen, status=InquiryStatus.ANSWERED)
    InquiryFactory(applicant=citizen, status=InquiryStatus.NEEDS_INFO)
    html = client_for(citizen).get("/inquiries/").content.decode()
    assert html.count(OPEN_IT) == 2
    assert BELOW not in html and "پایین" not in html


def test_the_inquiry_page_says_the_answer_is_below(client_for, citizen):
    inquiry = InquiryFactory(applicant=citizen, status=InquiryStatus.ANSWERED)
    html = client_for(citizen).get(f"/inquiries/{inquiry.tracking_code}/").content.decode()
    assert BELOW in html and OPEN_IT not in html


def test_the_kiosk_look_up_says_open_the_inquiry(client_for, kiosk_clerk):
    inquiry = InquiryFactory(status=InquiryStatus.ANSWERED)
    html = (
        client_for(kiosk_clerk)
        .post("/kiosk/lookup/", {"tracking_code": inquiry.tracking_code})
        .content.decode()
    )
    assert 'data-testid="kiosk-result"' in html
    assert OPEN_IT in html and BELOW not in html


def test_a_resubmitted_inquiry_does_not_speak_of_your_answer_to_an_office(
    client_for, pishkhan_operator
):
    office = pishkhan_operator.office_memberships.get().office
    inquiry = InquiryFactory(
        channel=office.channel,
        office=office,
        filed_by=pishkhan_operator,
        status=InquiryStatus.RESUBMITTED,
    )
    html = (
        client_for(pishkhan_operator).get(f"/inquiries/{inquiry.tracking_code}/").content.decode()
    )
    assert "اطلاعات فرستاده‌شده دریافت شد" in html and "پاسخ شما" not in html
