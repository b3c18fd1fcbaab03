"""The review queue's numbers come from the kept counts, and its lists are bounded: no request
counts or groups the inquiries table, however many there are."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import InquiryStatus
from shahrvand import paging

pytestmark = pytest.mark.django_db


def _counting_the_inquiries(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if re.search(r"COUNT\(|GROUP BY", q["sql"]) and '"inquiries_inquiry"' in q["sql"]
    ]


@pytest.fixture
def queue(citizen, reviewer_d1):
    for _ in range(4):
        InquiryFactory(applicant=citizen)
    InquiryFactory(applicant=citizen, kind="bank")
    InquiryFactory(applicant=citizen, status=InquiryStatus.ANSWERED)
    InquiryFactory(applicant=citizen, district_number=3)  # another district's


def test_the_tabs_and_the_list_size_come_from_the_kept_counts(queue, reviewer_d1, client_for):
    client = client_for(reviewer_d1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/")
    assert _counting_the_inquiries(queries) == []
    assert response.context["counts"] == {"submitted": 5, "answered": 1}
    assert response.context["page"].paginator.total == 5
    bank = client.get("/staff/", {"kind": "bank"})
    assert bank.context["page"].paginator.total == 1
    everything = client.get("/staff/", {"status": "all"})
    assert everything.context["page"].paginator.total == 6


def test_a_long_list_says_how_many_and_pages_only_to_the_cap(
    queue, reviewer_d1, client_for, monkeypatch
):
    monkeypatch.setattr(paging, "CAP", 3)
    response = client_for(reviewer_d1).get("/staff/", {"page": 99})
    page = response.context["page"]
    assert page.paginator.num_pages == 1 and len(page.object_list) == 3
    html = response.content.decode()
    assert 'data-testid="list-capped"' in html
    assert "۵ مورد پیدا شد" in html  # the exact number, from the kept counts


def test_a_search_counts_no_further_than_the_cap(queue, reviewer_d1, client_for, monkeypatch):
    monkeypatch.setattr(paging, "CAP", 3)
    client = client_for(reviewer_d1)
    response = client.get("/staff/", {"assigned": "none"}, follow=True)
    page = response.context["page"]
    assert page.paginator.total == 4  # the cap and one more: "more than 3"
    assert "بیش از ۳ مورد" in response.content.decode()


def test_the_queue_reads_in_a_few_queries_whatever_the_number_of_inquiries(
    citizen, reviewer_d1, client_for
):
    """Session, user, roles, the districts, the kept counts, the page of rows."""
    client = client_for(reviewer_d1)
    InquiryFactory(applicant=citizen)
    client.get("/staff/")  # warm: the session's first read
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/")
    for _ in range(30):
        InquiryFactory(applicant=citizen, kind="bank")
    with CaptureQueriesContext(connection) as many:
        client.get("/staff/")
    assert len(few) == len(many) <= 6, [q["sql"][:80] for q in many]
