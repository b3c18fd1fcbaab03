"""Pages whose cost does not grow with the table.

A list counts at most ``CAP`` + 1 matching rows (or takes an exact count the caller already has,
from the summaries) and pages through the first ``CAP`` rows only: page 40 costs what page 1 costs,
and a list of a million shows "more than 1,000" and asks for a filter or a search instead of
offering page 40,000.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

CAP = 1000


class BoundedPaginator(Paginator):
    def __init__(
        self, object_list, per_page, *, known_count: int | None = None, cap: int | None = None
    ):
        super().__init__(object_list, per_page)
        self.cap = CAP if cap is None else cap
        self.known_count = known_count

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
