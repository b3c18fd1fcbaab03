"""A list's lines say what the model's own rules say, in the reader's language, and ask the
database nothing more than the page's one query of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from inquiries import listing
from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import InquiryStatus
from shahrvand.paging import BoundedPaginator

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def _rows():
    return list(
        Inquiry.objects.select_related("property", "district", "assigned_to", "filed_by").order_by(
            "pk"
        )
    )


def test_each_line_follows_the_rules_of_the_model(citizen, reviewer_d1):
    late = InquiryFactory(applicant=citizen, due_date=TODAY - dt.timedelta(days=1))
    soon = InquiryFactory(applicant=citizen, due_date=TODAY + dt.timedelta(days=2))
    later = InquiryFactory(applicant=citizen, due_date=TODAY + dt.timedelta(days=30))
    paused = InquiryFactory(applicant=citizen, status=InquiryStatus.NEEDS_INFO, due_date=None)
    answered_late = InquiryFactory(
        applicant=citizen, status=InquiryStatus.ANSWERED, due_date=TODAY - dt.timedelta(days=9)
    )
    with translation.override("fa"):
        lines = {
            line.code: line
            for line in listing.lines(
                _rows(),
                url_name="inquiries:staff_inquiry",
                today=TODAY,
                soon=TODAY + dt.timedelta(days=3),
            )
        }
    rows = {inquiry.tracking_code: inquiry for inquiry in _rows()}
    for code, line in lines.items():
        assert line.overdue == rows[code].is_overdue(TODAY)
        assert line.code_display == rows[code].tracking_code_display()
        assert line.url == f"/staff/inquiries/{code}/"
        assert line.applicant == rows[code].applicant_name()
    assert lines[late.tracking_code].overdue and not lines[late.tracking_code].due_soon
    assert lines[soon.tracking_code].due_soon and not lines[soon.tracking_code].overdue
    assert not lines[later.tracking_code].due_soon
    assert lines[paused.tracking_code].paused and lines[paused.tracking_code].due == ""
    assert not lines[answered_late.tracking_code].overdue  # answered: never overdue
    with translation.override("fa"):
        assert lines[late.tracking_code].status_label == str(InquiryStatus(late.status).label)
        due = lines[late.tracking_code].due
        assert due[-4:].isdigit() and not any(ch in "0123456789" for ch in due)  # Persian digits


def test_lines_ask_the_database_nothing_more(citizen, reviewer_d1):
    for _ in range(5):
        InquiryFactory(applicant=citizen, assigned_to=reviewer_d1)
    rows = _rows()
    with CaptureQueriesContext(connection) as queries:
        lines = listing.lines(rows, url_name="inquiries:detail", today=TODAY)
        [(line.holder, line.filed_by, line.district, line.submitted) for line in lines]
    assert len(queries) == 0
    assert {line.holder for line in lines} == {reviewer_d1.display_name}


def test_a_related_object_not_brought_with_the_rows_is_left_blank_not_queried(citizen):
    InquiryFactory(applicant=citizen)
    rows = list(Inquiry.objects.all())
    with CaptureQueriesContext(connection) as queries:
        (line,) = listing.lines(rows, url_name="inquiries:detail")
    assert len(queries) == 0
    assert line.district == "" and line.renovation_code == ""


def test_the_staff_queue_shows_the_lines(citizen, reviewer_d1, client_for):
    late = InquiryFactory(applicant=citizen, due_date=dt.date(2000, 1, 1))
    response = client_for(reviewer_d1).get("/staff/")
    html = response.content.decode()
    assert f'href="/staff/inquiries/{late.tracking_code}/"' in html
    assert 'data-testid="overdue"' in html


def test_a_later_page_brings_what_the_list_selects_along(citizen):
    for _ in range(6):
        InquiryFactory(applicant=citizen)
    rows = Inquiry.objects.select_related("property", "district").order_by("-pk")
    page = BoundedPaginator(rows, 4).page(2)
    with CaptureQueriesContext(connection) as queries:
        lines = listing.lines(page, url_name="inquiries:detail")
    assert len(queries) == 0
    assert [line.code for line in lines] == [i.tracking_code for i in rows[4:6]]
    assert all(line.renovation_code and line.district for line in lines)
