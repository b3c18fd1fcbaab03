"""The queue's plate search finds a plate typed main/sub/section, as the README's example says, and
in the deed's reading order sub/main/section too."""

import pytest

from inquiries.selectors import inquiries_queue
from inquiries.tests.factories import InquiryFactory, PropertyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plated(citizen):
    inquiry = InquiryFactory(applicant=citizen)
    inquiry.property.plate_main, inquiry.property.plate_sub = 57, 1234
    inquiry.property.registration_section = 2
    inquiry.property.save()
    InquiryFactory(applicant=citizen, property=PropertyFactory(plate_main=1234, plate_sub=58))
    return inquiry


@pytest.mark.parametrize("typed", ["57/1234/2", "1234/57/2", "57-1234", "۵۷/۱۲۳۴/۲", "1234/57"])
def test_a_plate_is_found_in_either_order(reviewer_d1, plated, typed):
    found = list(inquiries_queue(reviewer_d1, q=typed, status="all"))
    assert found == [plated]


def test_the_section_must_match(reviewer_d1, plated):
    assert not inquiries_queue(reviewer_d1, q="57/1234/3", status="all").exists()


def test_the_readme_example_is_the_main_sub_section_order():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "plate as main/sub/section (`56/1234/2`, a demo plate;" in readme
