"""The staff and office queues are kept rendered in the shared cache (``shahrvand/kept_lists.py``):
a second reader of the same list gets it without reading the inquiries, a saved inquiry shows at
once in its district's and office's lists (and only those are rendered again), and nothing of one
reader reaches another: "held by me", the office manager's controls, the search terms, the CSRF
token."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inquiries import services
from inquiries.tests.factories import InquiryFactory
from shahrvand import kept_pages
from shahrvand.tests.shared_cache import needs_redis, shared_cache

pytestmark = [pytest.mark.django_db, *needs_redis]

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _shared_cache():
    with shared_cache():
        yield


def _inquiry_reads(queries) -> list[str]:
    tables = ('"inquiries_inquiry"', '"inquiries_queuecount"', '"inquiries_officecount"')
    return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]


def _codes(response) -> set[str]:
    return set(
        re.findall(r'href="/(?:staff/)?inquiries/([A-Z0-9]{9})/"', response.content.decode())
    )


@pytest.fixture
def queue_d1(citizen):
    return [InquiryFactory(applicant=citizen) for _ in range(3)]


def test_a_second_reviewer_gets_the_kept_queue_without_reading_the_inquiries(
    queue_d1, reviewer_d1, manager_d1, client_for
):
    first = client_for(reviewer_d1).get("/staff/", {"kind": "transfer"})
    with CaptureQueriesContext(connection) as queries:
        second = client_for(manager_d1).get("/staff/", {"kind": "transfer"})
    assert first.status_code == second.status_code == 200
    assert _inquiry_reads(queries) == []
    # Nor the districts' names: only a list drawn afresh shows them (the district filter).
    assert not [q for q in queries if '"districts_district"' in q["sql"]]
    assert _codes(second) == _codes(first) == {i.tracking_code for i in queue_d1}


def test_a_saved_inquiry_shows_at_once(
    queue_d1, citizen, reviewer_d1, client_for, django_capture_on_commit_callbacks
):
    client = client_for(reviewer_d1)
    client.get("/staff/")  # kept now
    with django_capture_on_commit_callbacks(execute=True):
        new = InquiryFactory(applicant=citizen)
    assert new.tracking_code in _codes(client.get("/staff/"))

    # A write through the services (taking one for review) shows too: "held by" and the counts.
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_review_start(actor=reviewer_d1, inquiry=new, expected_version=new.version)
    mine = client.get("/staff/", {"assigned": "me"})
    assert _codes(mine) == {new.tracking_code}
    assert reviewer_d1.display_name in mine.content.decode()


def test_another_districts_write_keeps_the_list(
    queue_d1, citizen, reviewer_d1, client_for, django_capture_on_commit_callbacks
):
    client = client_for(reviewer_d1)
    client.get("/staff/")
    with django_capture_on_commit_callbacks(execute=True):
        InquiryFactory(applicant=citizen, district_number=3)
    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/")
    assert _inquiry_reads(queries) == []


def test_a_deploy_draws_every_kept_list_again(queue_d1, reviewer_d1, client_for):
    """Every deploy runs ``migrate``: nothing the code before it drew is served after it."""
    from django.core.management import call_command

    from shahrvand import versions

    client = client_for(reviewer_d1)
    client.get("/staff/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/")
    assert _inquiry_reads(queries) == []  # kept

    before = {name: versions.current(name) for name in versions.EVERY_KEPT_COPY}
    call_command("migrate", verbosity=0)
    after = {name: versions.current(name) for name in versions.EVERY_KEPT_COPY}
    assert all(after[name] > before[name] for name in before), (before, after)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/")
    assert _inquiry_reads(queries) != []  # drawn again
    assert _codes(response) == {i.tracking_code for i in queue_d1}


def test_held_by_me_is_never_another_readers(
    queue_d1, reviewer_d1, manager_d1, client_for, django_capture_on_commit_callbacks
):
    taken = queue_d1[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_review_start(
            actor=reviewer_d1, inquiry=taken, expected_version=taken.version
        )
    assert _codes(client_for(reviewer_d1).get("/staff/", {"assigned": "me"})) == {
        taken.tracking_code
    }
    assert _codes(client_for(manager_d1).get("/staff/", {"assigned": "me"})) == set()


def test_a_search_is_never_kept(queue_d1, other_citizen, reviewer_d1, client_for):
    client = client_for(reviewer_d1)
    wanted = InquiryFactory(applicant=other_citizen)
    listed = client.get(client.post("/staff/", {"q": wanted.applicant_national_id})["Location"])
    assert _codes(listed) == {wanted.tracking_code}
    assert _kept_keys() == []
    client.get("/staff/")
    assert len(_kept_keys()) == 1


def _kept_keys() -> list[bytes]:
    import redis

    from shahrvand.tests.shared_cache import _PREFIX, REDIS

    return list(redis.Redis.from_url(REDIS).scan_iter(f"{_PREFIX}:*kept:*"))


def test_each_reader_gets_a_token_of_their_own_that_the_filter_form_accepts(
    queue_d1, reviewer_d1, manager_d1
):
    first = Client(enforce_csrf_checks=True)
    first.force_login(reviewer_d1)
    one = TOKEN.search(first.get("/staff/").content).group(1)
    assert _kept_keys()  # the list is kept
    second = Client(enforce_csrf_checks=True)
    second.force_login(manager_d1)
    page = second.get("/staff/")
    assert kept_pages.CSRF_MARK not in page.content
    token = TOKEN.search(page.content).group(1)
    assert token != one
    posted = second.post("/staff/", {"status": "all", "csrfmiddlewaretoken": token.decode()})
    assert posted.status_code == 302  # to the list, not 403


def test_the_office_queue_is_kept_per_office_and_shows_the_manager_their_controls(
    citizen,
    pishkhan_office,
    notary_office,
    pishkhan_operator,
    pishkhan_manager,
    client_for,
    django_capture_on_commit_callbacks,
):
    filed = InquiryFactory(applicant=citizen, office=pishkhan_office, channel="counter")
    url = f"/office/{pishkhan_office.pk}/"
    operators_link = f"/office/{pishkhan_office.pk}/operators/"
    as_manager = client_for(pishkhan_manager).get(url)
    assert operators_link in as_manager.content.decode()
    with CaptureQueriesContext(connection) as queries:
        as_operator = client_for(pishkhan_operator).get(url)
    assert operators_link not in as_operator.content.decode()
    assert _codes(as_operator) == {filed.tracking_code}

    # Another office's inquiry leaves this list as it is; one of this office's shows at once.
    with django_capture_on_commit_callbacks(execute=True):
        InquiryFactory(applicant=citizen, office=notary_office, channel="notary")
    with CaptureQueriesContext(connection) as queries:
        client_for(pishkhan_operator).get(url)
    assert _inquiry_reads(queries) == []
    with django_capture_on_commit_callbacks(execute=True):
        again = InquiryFactory(applicant=citizen, office=pishkhan_office, channel="counter")
    assert again.tracking_code in _codes(client_for(pishkhan_operator).get(url))


def test_the_office_queue_kept_names_its_operators_and_a_new_one_at_once(
    citizen, pishkhan_office, pishkhan_operator, client_for, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import UserFactory
    from counters.tests.factories import OperatorFactory

    InquiryFactory(applicant=citizen, office=pishkhan_office, channel="counter")
    url = f"/office/{pishkhan_office.pk}/"
    client = client_for(pishkhan_operator)
    assert pishkhan_operator.display_name in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # The kept copy: neither the inquiries nor the operators (the filter's names) are read.
    assert _inquiry_reads(queries) == []
    operators_read = ('"counters_officemembership"', '"accounts_user"."username"')
    assert not [q for q in queries if all(part in q["sql"] for part in operators_read)]

    with django_capture_on_commit_callbacks(execute=True):
        newcomer = OperatorFactory(
            office=pishkhan_office, user=UserFactory(first_name="تازه", last_name="وارد")
        ).user
    assert newcomer.display_name in client.get(url).content.decode()


def test_without_a_shared_cache_nothing_is_kept(queue_d1, reviewer_d1, client_for, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = client_for(reviewer_d1)
    client.get("/staff/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/")
    assert _inquiry_reads(queries) != []


def test_a_citizens_list_is_theirs_alone_and_shows_a_new_inquiry_at_once(
    queue_d1,
    citizen,
    other_citizen,
    pishkhan_office,
    pishkhan_operator,
    client_for,
    django_capture_on_commit_callbacks,
):
    mine = client_for(citizen)
    assert _codes(mine.get("/inquiries/")) == {i.tracking_code for i in queue_d1}
    with CaptureQueriesContext(connection) as queries:
        again = mine.get("/inquiries/")
    assert _inquiry_reads(queries) == []
    assert _codes(again) == {i.tracking_code for i in queue_d1}
    assert _codes(client_for(other_citizen).get("/inquiries/")) == set()

    # Filed by an office for the citizen's national ID: in their list at once, not the other's.
    with django_capture_on_commit_callbacks(execute=True):
        for_them = InquiryFactory(
            applicant=citizen,
            office=pishkhan_office,
            channel="counter",
            filed_by=pishkhan_operator,
        )
    assert for_them.tracking_code in _codes(mine.get("/inquiries/"))
    assert _codes(client_for(other_citizen).get("/inquiries/")) == set()


def test_a_citizens_drafts_are_never_kept(citizen, client_for):
    from inquiries.models import InquiryDraft

    client = client_for(citizen)
    client.get("/inquiries/")
    draft = InquiryDraft.objects.create(owner=citizen, kind="bank", channel="web")
    assert f"/inquiries/drafts/{draft.pk}/" in client.get("/inquiries/").content.decode()


def test_an_unreachable_cache_renders_the_list(queue_d1, reviewer_d1, client_for, settings):
    # A Redis that answers nowhere (a closed loopback port): nothing is kept or read, no error.
    settings.CACHES = {
        "default": {
            "BACKEND": "shahrvand.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    response = client_for(reviewer_d1).get("/staff/")
    assert response.status_code == 200
    assert _codes(response) == {i.tracking_code for i in queue_d1}


def test_a_refused_filter_or_an_odd_page_is_never_kept(queue_d1, reviewer_d1, client_for):
    client = client_for(reviewer_d1)
    refused = client.get("/staff/", {"status": "not-a-status"})
    assert refused.status_code == 200
    assert "not-a-status" in refused.content.decode()  # shown back beside its error
    client.get("/staff/", {"page": "x" * 40})
    assert _kept_keys() == []
