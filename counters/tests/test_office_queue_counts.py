"""The office queue's tabs and list size come from the counts kept on every write."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Channel, InquiryStatus

pytestmark = pytest.mark.django_db


def test_the_office_queue_counts_nothing_on_the_inquiries_table(
    citizen, pishkhan_office, pishkhan_operator, client_for
):
    for status in (InquiryStatus.SUBMITTED, InquiryStatus.SUBMITTED, InquiryStatus.NEEDS_INFO):
        InquiryFactory(
            applicant=citizen,
            office=pishkhan_office,
            channel=Channel.COUNTER_OFFICE,
            filed_by=pishkhan_operator,
            status=status,
        )
    InquiryFactory(applicant=citizen)  # the citizen's own: not the office's
    client = client_for(pishkhan_operator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/office/{pishkhan_office.pk}/")
    counting = [
        q["sql"]
        for q in queries
        if re.search(r"COUNT\(|GROUP BY", q["sql"]) and '"inquiries_inquiry"' in q["sql"]
    ]
    assert counting == []
    assert response.context["counts"] == {"submitted": 2, "needs_info": 1}
    assert response.context["waiting_on_us"] == 1
    assert response.context["page"].paginator.total == 3
    waiting = client.get(f"/office/{pishkhan_office.pk}/", {"status": "needs_info"})
    assert waiting.context["page"].paginator.total == 1
