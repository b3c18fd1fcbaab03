"""The registry, an office's page and the scorecards are kept rendered in the shared cache
(``shahrvand/kept_lists.py``): read again without their grouped queries, and rendered anew at once
when an office, its training, visits, findings or operators change, or one of its inquiries is
counted."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from counters import services
from counters.models import FindingCategory
from counters.tests.factories import OfficeFactory
from districts.tests.factories import district
from inquiries.tests.factories import InquiryFactory
from shahrvand.tests.shared_cache import needs_redis, shared_cache

pytestmark = [pytest.mark.django_db, *needs_redis]


@pytest.fixture(autouse=True)
def _shared_cache():
    with shared_cache():
        yield


def _office_reads(queries) -> list[str]:
    tables = ('"counters_trainingattendance"', '"counters_officevisit"', '"inquiries_officecount"')
    return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]


def test_the_registry_is_read_again_without_its_grouped_query(ict_admin, client_for):
    OfficeFactory(number=501, name="دفتر ۵۰۱")
    client = client_for(ict_admin)
    first = client.get("/offices/", {"kind": "counter"})
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/offices/", {"kind": "counter"})
    assert _office_reads(queries) == []
    assert second.content.count(b"data-office=") == first.content.count(b"data-office=") >= 1


def test_a_training_visit_or_finding_shows_at_once(ict_admin, client_for, now_commits):
    office = OfficeFactory(number=502, name="دفتر ۵۰۲")
    client = client_for(ict_admin)
    before = _row_of(client, office.number)
    assert _row_of(client, office.number) == before  # kept
    with now_commits():
        _trained(ict_admin, office)
    after_training = _row_of(client, office.number)
    assert after_training != before

    category = FindingCategory.objects.first() or FindingCategory.objects.create(title="نمونه")
    with now_commits():
        services.visit_record(
            actor=ict_admin,
            office=office,
            date=dt.date(2026, 11, 2),
            findings=[(category, "چاپگر خراب")],
        )
    page = client.get(f"/offices/{office.pk}/").content.decode()
    assert "چاپگر خراب" in page
    assert _row_of(client, office.number) != after_training


def _trained(actor, office) -> None:
    services.training_record(
        actor=actor,
        date=dt.date(2026, 11, 1),
        trainer="آموزشگر",
        topic="سامانه",
        attendances=[(office, 2)],
    )


def _row_in(client, url: str, number: int, **query) -> str | None:
    """The office's row on the page, or None when the page does not list it."""
    html = client.get(url, query).content.decode()
    start = html.find(f'<tr data-office="{number}"')
    return None if start < 0 else html[start : html.index("</tr>", start)]


def _row_of(client, number: int) -> str:
    row = _row_in(client, "/offices/", number, q=str(number))
    assert row is not None
    return row


def test_an_office_renamed_shows_on_its_page_at_once(ict_admin, client_for, now_commits):
    office = OfficeFactory(number=503, name="دفتر قدیم")
    client = client_for(ict_admin)
    assert _heading(client, office) == "دفتر قدیم"
    with now_commits():
        office.name = "دفتر نو"
        office.save()
    assert _heading(client, office) == "دفتر نو"


def _heading(client, office) -> str:
    html = client.get(f"/offices/{office.pk}/").content.decode()
    return re.search(r"<h1[^>]*>([^<]*)</h1>", html).group(1).strip()


def test_an_inquiry_the_office_files_shows_in_the_scorecards_at_once(
    ict_admin, citizen, client_for, now_commits
):
    office = OfficeFactory(number=504, name="دفتر ۵۰۴")
    client = client_for(ict_admin)
    url = "/offices/scorecards/"
    before = client.get(url, {"sort": "-filed"}).content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, {"sort": "-filed"}).content
    assert _office_reads(queries) == []
    assert again.count(b"<tr") == before.count(b"<tr")
    with now_commits():
        InquiryFactory(applicant=citizen, office=office, channel="counter")
    with CaptureQueriesContext(connection) as queries:
        after = client.get(url, {"sort": "-filed"}).content
    assert after != before
    # Drawn afresh for the new figures, with the offices (their training, visits and findings)
    # read from the shared cache: nothing of theirs changed.
    assert not any('"counters_trainingattendance"' in q["sql"] for q in queries)
    assert any('"inquiries_officecount"' in q["sql"] for q in queries)


def test_the_scorecards_show_a_training_at_once_and_filter_their_offices(
    ict_admin, client_for, now_commits
):
    office = OfficeFactory(number=505, name="دفتر ۵۰۵", kind="counter")
    OfficeFactory(number=506, name="دفتر ۵۰۶", kind="notary")
    client = client_for(ict_admin)
    url = "/offices/scorecards/"

    before = _row_in(client, url, 505)
    assert before is not None and _row_in(client, url, 505, kind="notary") is None
    assert (
        _row_in(client, url, 506, kind="notary") is not None
        and _row_in(client, url, 506, kind="counter") is None
    )
    with now_commits():
        _trained(ict_admin, office)
    assert _row_in(client, url, 505) != before
    assert _row_in(client, url, 506, kind="notary") is not None  # the other kind's list, kept apart


def test_the_registrys_links_repeat_each_readers_own_address(ict_admin, client_for):
    for number in range(600, 631):  # one more than a page
        OfficeFactory(number=number, name=f"دفتر {number}")
    client = client_for(ict_admin)
    first = client.get("/offices/", {"kind": "counter", "from": "a"}).content.decode()
    second = client.get("/offices/", {"kind": "counter", "from": "b"}).content.decode()
    assert "from=a" in first and "from=b" not in first
    assert "from=b" in second and "from=a" not in second


def test_the_kept_scorecards_read_no_district_until_one_is_chosen(ict_admin, client_for):
    office = OfficeFactory(number=507, name="دفتر ۵۰۷")
    client = client_for(ict_admin)
    url = "/offices/scorecards/"
    first = client.get(url).content.decode()
    assert f'<option value="{office.district.pk}">{office.district.name}</option>' in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert again.count("<tr") == first.count("<tr") and office.district.name in again
    assert not any('"districts_district"' in q["sql"] for q in queries)
    assert len(queries) == 1  # the session, with its person

    # A district chosen is checked against the districts; one that is not there is ignored.
    other = district(5)
    assert _row_in(client, url, 507, district=office.district.pk) is not None
    assert _row_in(client, url, 507, district=other.pk) is None
    assert _row_in(client, url, 507, district=other.pk + 1000) is not None


@pytest.mark.parametrize(
    "url, form",
    [
        ("/offices/", "counters.views.registry.RegistryFilterForm"),
        ("/offices/scorecards/", "counters.views.ict.OfficeFilterForm"),
    ],
)
def test_a_kept_page_is_found_before_its_filters_are_read_and_errors_are_never_kept(
    ict_admin, client_for, monkeypatch, url, form
):
    OfficeFactory(number=503, name="دفتر ۵۰۳")
    client = client_for(ict_admin)
    first = client.get(url, {"kind": "counter"})
    made = []
    real = import_string(form)
    monkeypatch.setattr(form, lambda *args, **kwargs: made.append(args) or real(*args, **kwargs))
    again = client.get(url, {"kind": "counter"})
    assert again.status_code == 200 and made == []  # the kept copy, no form made
    assert again.content.count(b"data-office=") == first.content.count(b"data-office=")
    # A filter the form refuses: drawn afresh each time, never kept.
    for _ in range(2):
        assert client.get(url, {"kind": "no-such-kind"}).status_code == 200
    assert len(made) == 2
