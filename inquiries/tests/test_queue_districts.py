"""The staff queue's district filter: the districts a person reviews, by name, and no other."""

import re

import pytest

from districts.models import DistrictRole
from districts.tests.factories import DistrictMembershipFactory, district
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_district_reviewer(reviewer_d1):
    DistrictMembershipFactory(user=reviewer_d1, district=district(3), role=DistrictRole.REVIEWER)
    return reviewer_d1


def _option_names(html: str) -> list[str]:
    select = re.search(r'<select name="district".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_someone_reviewing_two_districts_picks_one_by_name(
    two_district_reviewer, citizen, client_for
):
    in_1 = InquiryFactory(applicant=citizen)
    in_3 = InquiryFactory(applicant=citizen, district_number=3)
    client = client_for(two_district_reviewer)
    page = client.get("/staff/").content.decode()
    assert _option_names(page)[1:] == [district(1).name, district(3).name]
    assert in_1.tracking_code in page and in_3.tracking_code in page

    only_3 = client.get("/staff/", {"district": district(3).pk}).content.decode()
    assert in_3.tracking_code in only_3 and in_1.tracking_code not in only_3
    assert f'<option value="{district(3).pk}" selected>' in only_3


def test_a_district_they_do_not_review_is_refused_and_lists_nothing(
    two_district_reviewer, citizen, client_for
):
    elsewhere = InquiryFactory(applicant=citizen, district_number=5)
    page = client_for(two_district_reviewer).get("/staff/", {"district": district(5).pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert elsewhere.tracking_code not in html
    assert 'data-testid="filter-error"' in html


def test_someone_reviewing_one_district_has_no_district_to_pick(reviewer_d1, client_for):
    html = client_for(reviewer_d1).get("/staff/").content.decode()
    assert '<select name="district"' not in html
    assert 'type="hidden" name="district"' in html
