"""The office queue's filter names the office's operators: read once when the filters are drawn,
and with each name (``shahrvand.forms.choices_when_drawn``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inquiries.tests.factories import InquiryFactory
from shahrvand.tests.shared_cache import needs_redis, shared_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_commits(django_capture_on_commit_callbacks):
    """Run the block's after-commit work (the version bumps) as a committed write would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def _shared_cache():
    with shared_cache():
        yield


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


WAITING = 'href="?status=needs_info"'  # the alert: inquiries wait for more information


@pytest.mark.usefixtures("_shared_cache")
@needs_redis[0]
@needs_redis[1]
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


@pytest.mark.usefixtures("_shared_cache")
@needs_redis[0]
@needs_redis[1]
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
