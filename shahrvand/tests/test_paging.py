"""Lists count at most their cap and page only that far; an exact count is shown when known."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from shahrvand import paging
from shahrvand.paging import BoundedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    User.objects.bulk_create(User(username=f"u{i:03d}") for i in range(30))
    return User.objects.order_by("username")


def test_under_the_cap_the_count_is_exact_and_every_page_is_reached(users):
    paginator = BoundedPaginator(users, 5, cap=50)
    assert (paginator.total, paginator.count, paginator.num_pages) == (30, 30, 6)
    assert not paginator.is_capped and paginator.is_exact


def test_over_the_cap_only_the_cap_is_counted_and_paged(users):
    paginator = BoundedPaginator(users, 5, cap=10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.total == 11  # one more than the cap: "more than 10"
    assert "LIMIT 11" in queries[0]["sql"]
    assert paginator.is_capped and not paginator.is_exact
    assert (paginator.count, paginator.num_pages) == (10, 2)
    last = paginator.get_page(99)
    assert last.number == 2
    assert [u.username for u in last] == [f"u{i:03d}" for i in range(5, 10)]


def test_a_known_count_is_shown_exactly_but_pages_stop_at_the_cap(users):
    paginator = BoundedPaginator(users, 5, known_count=30, cap=10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.total == 30
    assert len(queries) == 0
    assert paginator.is_capped and paginator.is_exact
    assert paginator.num_pages == 2


def test_the_default_cap_is_the_module_setting(users, monkeypatch):
    monkeypatch.setattr(paging, "CAP", 20)
    assert BoundedPaginator(users, 5).num_pages == 4


@pytest.mark.parametrize("ids_first", [False, True])
def test_every_page_holds_the_rows_of_the_plain_slice_in_order(users, ids_first):
    """Pages past the first (and the first with ``ids_first``) read the ids, then the rows: the
    same rows in the same order as slicing the list."""
    rows = users.order_by("-username")
    paginator = BoundedPaginator(rows, 7, ids_first=ids_first)
    paged = [user.username for n in paginator.page_range for user in paginator.page(n)]
    assert paged == [user.username for user in rows]


def test_a_later_page_joins_only_its_own_rows(users):
    """Page 3 of 5 asks for its 5 ids with an offset, then 5 rows by id: no join of the 10 rows
    before it."""
    paginator = BoundedPaginator(users, 5)
    paginator.count  # noqa: B018 (counted first, as a page does)
    with CaptureQueriesContext(connection) as queries:
        page = list(paginator.page(3))
    assert [user.username for user in page] == [f"u{i:03d}" for i in range(10, 15)]
    ids_query, rows_query = (q["sql"] for q in queries)
    assert "OFFSET 10" in ids_query and '"accounts_user"."password"' not in ids_query
    assert "IN (" in rows_query and "OFFSET" not in rows_query


@pytest.mark.parametrize("ids_first", [False, True])
def test_a_list_that_fits_on_the_first_page_is_read_without_a_count(users, ids_first):
    """One row more than the page is read: when it is not there, the list's size is known."""
    rows = users.filter(username__lt="u004")
    paginator = BoundedPaginator(rows, 5, ids_first=ids_first)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page("1")
        names = [user.username for user in page]
        assert (paginator.total, paginator.num_pages, page.has_next()) == (4, 1, False)
    assert names == ["u000", "u001", "u002", "u003"]
    assert not any("COUNT(" in q["sql"] for q in queries)
    assert len(queries) == (2 if ids_first else 1)


@pytest.mark.parametrize("ids_first", [False, True])
def test_a_longer_list_shows_one_page_of_it_and_is_counted(users, ids_first):
    paginator = BoundedPaginator(users, 5, cap=12, ids_first=ids_first)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(None)  # no page asked: the first
    assert "LIMIT 6" in queries[0]["sql"]  # the page and one more row, never the whole list
    assert [user.username for user in page] == [f"u{i:03d}" for i in range(5)]
    assert (page.number, paginator.total, paginator.num_pages) == (1, 13, 3)
    assert page.has_next() and paginator.is_capped


def test_an_empty_list_has_one_empty_page(users):
    page = BoundedPaginator(users.none(), 5).get_page(1)
    assert (list(page), page.paginator.count, page.paginator.num_pages) == ([], 0, 1)
