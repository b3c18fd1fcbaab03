"""The office queue's filter names the office's operators: read once when the filters are drawn,
and with each name (``shahrvand.forms.choices_when_drawn``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


OPERATORS_READ = ('"counters_officemembership"', '"accounts_user"."username"')


def test_the_operators_are_read_once_and_each_is_offered(
    citizen, pishkhan_office, pishkhan_operator, pishkhan_manager, client_for
):
    filed = InquiryFactory(applicant=citizen, office=pishkhan_office, channel="counter")
    client = client_for(pishkhan_operator)
    url = f"/office/{pishkhan_office.pk}/"
    listed = client.post(url, {"q": filed.tracking_code_display()})["Location"]
    with CaptureQueriesContext(connection) as queries:
        html = client.get(listed).content.decode()
    assert filed.tracking_code in html
    reads = [q for q in queries if all(part in q["sql"] for part in OPERATORS_READ)]
    assert len(reads) == 1
    assert pishkhan_operator.display_name in html and pishkhan_manager.display_name in html


def test_an_operator_of_another_office_is_refused_as_a_filter(
    citizen, pishkhan_office, pishkhan_operator, notary_operator, client_for
):
    filed = InquiryFactory(applicant=citizen, office=pishkhan_office, channel="counter")
    response = client_for(pishkhan_operator).get(
        f"/office/{pishkhan_office.pk}/", {"operator": notary_operator.pk}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert filed.tracking_code not in html
    assert 'data-testid="filter-error"' in html
