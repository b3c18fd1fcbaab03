"""Pages whose cost does not grow with the table.

A list counts at most ``CAP`` + 1 matching rows (or takes an exact count the caller already has,
from the summaries) and pages through the first ``CAP`` rows only: page 40 costs what page 1 costs,
and a list of a million shows "more than 1,000" and asks for a filter or a search instead of
offering page 40,000.

A page past the first reads its rows in two steps: the page's ids, ordered and offset on the
inquiry's own columns (an index walk, no joins), then those rows with what they bring along. With
one query the database would join every skipped row first (page 40: 975 joined rows thrown away).
``ids_first=True`` does the same on the first page, for lists whose rows the database finds by
more than one index and would otherwise join before sorting (a citizen's inquiries).

The first page reads one row more than it shows. When that row is not there, the whole list is on
the page and its size is known without a count (a search that finds one inquiry, an office with
a handful): one query instead of two.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

CAP = 1000


class BoundedPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page,
        *,
        known_count: int | None = None,
        cap: int | None = None,
        ids_first: bool = False,
    ):
        super().__init__(object_list, per_page)
        self.cap = CAP if cap is None else cap
        self.known_count = known_count
        self.ids_first = ids_first

    def get_page(self, number):
        if self._first_page_counts_itself(number):
            return self._first_page()
        return super().get_page(number)

    def page(self, number):
        if self._first_page_counts_itself(number):
            return self._first_page()
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if isinstance(rows, QuerySet) and (bottom or self.ids_first):
            ids = list(rows.values_list("pk", flat=True)[bottom:top])
            found = {row.pk: row for row in _by_ids(rows, ids)}
            items = [found[pk] for pk in ids if pk in found]
        else:
            items = rows[bottom:top]
        return self._get_page(items, number, self)

    def _first_page_counts_itself(self, number) -> bool:
        return (
            _is_one(number)
            and self.known_count is None
            and "total" not in self.__dict__
            and isinstance(self.object_list, QuerySet)
            and self.per_page + self.orphans <= self.cap
            and self.allow_empty_first_page
        )

    def _first_page(self):
        """Page 1, read with one row more than it shows (see the module's note)."""
        rows = self.object_list
        room = self.per_page + self.orphans
        # The page's rows, or only their ids (``ids_first``), and one more.
        read = list((rows.values_list("pk", flat=True) if self.ids_first else rows)[: room + 1])
        if len(read) <= room:
            self.__dict__["total"] = len(read)  # the whole list is on this page
        else:
            read = read[: self.per_page]
        if not self.ids_first:
            return self._get_page(read, 1, self)
        found = {row.pk: row for row in _by_ids(rows, read)}
        return self._get_page([found[pk] for pk in read if pk in found], 1, self)

    @cached_property
    def total(self) -> int:
        """The exact number of rows when known or at most ``cap``; else ``cap`` + 1."""
        if self.known_count is not None:
            return self.known_count
        if isinstance(self.object_list, list):
            return len(self.object_list)
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        """More rows match than the pages show."""
        return self.total > self.cap

    @property
    def is_exact(self) -> bool:
        return self.known_count is not None or not self.is_capped

    @cached_property
    def count(self) -> int:
        # What the pages reach: never beyond the cap.
        return min(self.total, self.cap)


def _is_one(number) -> bool:
    try:
        return int(number) == 1 and float(number) == 1
    except (TypeError, ValueError):
        return False


def _by_ids(rows: QuerySet, ids: list) -> QuerySet:
    """The rows of ``ids`` with what ``rows`` brings along. The ids came from ``rows``' own filter,
    which is not asked again (the database would walk every matching row to apply it), unless
    ``rows`` computes columns of its own (annotations), which only its own query gives."""
    if rows.query.annotations:
        return rows.order_by().filter(pk__in=ids)
    fresh = rows.model._default_manager.filter(pk__in=ids)
    fresh.query.select_related = rows.query.select_related
    fresh.query.deferred_loading = rows.query.deferred_loading
    fresh._prefetch_related_lookups = rows._prefetch_related_lookups
    return fresh
