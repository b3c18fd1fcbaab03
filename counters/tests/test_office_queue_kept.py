"""A search of an office's queue is never kept, but what it shows around the rows is, in the
shared cache (``counters.selectors``): the office's record, its operators and its counts, each
shown afresh at once when it changes; who may see the office is checked on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries.tests.factories import InquiryFactory
from shahrvand.tests.shared_cache import needs_redis, shared_cache

pytestmark = [pytest.mark.django_db, *needs_redis]

OPERATORS_READ = ('"counters_officemembership"', '"accounts_user"."username"')


@pytest.fixture(autouse=True)
def _shared_cache():
    with shared_cache():
        yield


WAITING = 'href="?status=needs_info"'  # the alert: inquiries wait for more information


def test_a_searched_queue_read_again_reads_neither_the_office_nor_its_operators_nor_counts(
    citizen, pishkhan_office, pishkhan_operator, client_for, now_commits
):
    """A search is never kept, but what it shows around the rows is: the office's record and its
    operators (until an office record or a district changes) and its counts (until one of its
    inquiries is saved). Each change shows at once."""
    from accounts.tests.factories import UserFactory
    from counters.tests.factories import OperatorFactory

    filed = InquiryFactory(applicant=citizen, office=pishkhan_office, channel="counter")
    client = client_for(pishkhan_operator)
    listed = client.post(f"/office/{pishkhan_office.pk}/", {"q": filed.tracking_code_display()})
    url = listed["Location"]
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert filed.tracking_code in html and pishkhan_office.name in html
    assert pishkhan_operator.display_name in html and WAITING not in html
    office_read = 'FROM "counters_counteroffice"'
    assert not [q for q in queries if office_read in q["sql"]]
    assert not [q for q in queries if all(part in q["sql"] for part in OPERATORS_READ)]
    assert not [q for q in queries if '"inquiries_officecount"' in q["sql"]]
    assert [q for q in queries if '"inquiries_inquiry"' in q["sql"]]  # the search itself

    with now_commits():
        pishkhan_office.name = "دفتر پیشخوان نام نو"
        pishkhan_office.save()
    assert "دفتر پیشخوان نام نو" in client.get(url).content.decode()
    with now_commits():
        newcomer = OperatorFactory(
            office=pishkhan_office, user=UserFactory(first_name="تازه", last_name="وارد")
        ).user
    assert newcomer.display_name in client.get(url).content.decode()
    with now_commits():
        InquiryFactory(
            applicant=citizen, office=pishkhan_office, channel="counter", needs_info=True
        )
    assert WAITING in client.get(url).content.decode()


def test_a_searched_queue_still_checks_the_reader_is_of_the_office(
    citizen, pishkhan_office, pishkhan_operator, notary_operator, client_for
):
    """The office's record is kept for its queue; who may see it is checked on every request."""
    filed = InquiryFactory(applicant=citizen, office=pishkhan_office, channel="counter")
    client_for(pishkhan_operator).get(f"/office/{pishkhan_office.pk}/")
    other = client_for(notary_operator)
    assert other.get(f"/office/{pishkhan_office.pk}/").status_code == 404
    assert (
        other.post(f"/office/{pishkhan_office.pk}/", {"q": filed.tracking_code}).status_code == 404
    )
