"""``district_stats``: inquiries per district for a Jalali period, from the summaries."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@pytest.fixture
def filed():
    """District 1: two on 1399/07/20 (2020-10-11), one on 1401/10/25 (2023-01-15), one the day
    after; district 3: one on 1400/01/01 (2021-03-21)."""
    for number, day in (
        (1, dt.date(2020, 10, 11)),
        (1, dt.date(2020, 10, 11)),
        (1, dt.date(2023, 1, 15)),
        (1, dt.date(2023, 1, 16)),
        (3, dt.date(2021, 3, 21)),
    ):
        InquiryFactory(district_number=number, submitted_at=_at(day))


def _stats(*args: str) -> str:
    out = io.StringIO()
    call_command("district_stats", *args, stdout=out)
    return out.getvalue()


def test_csv_counts_each_district_and_the_total_with_both_ends_included(filed):
    assert _stats("--from", "1399-07-20", "--to", "1401-10-25", "--format", "csv") == (
        "district,inquiries\n1,3\n2,0\n3,1\n4,0\n5,0\ntotal,4\n"
    )


def test_either_end_may_be_left_out(filed):
    assert _stats("--to", "1401/10/24", "--format", "csv").splitlines()[1:] == [
        "1,2",
        "2,0",
        "3,1",
        "4,0",
        "5,0",
        "total,3",
    ]
    assert _stats("--from", "1401-10-25", "--format", "csv").splitlines()[-1] == "total,2"
    assert _stats("--format", "csv").splitlines()[-1] == "total,5"


def test_persian_digits_and_slashes_are_read(filed):
    assert _stats("--from", "۱۴۰۰/۰۱/۰۱", "--to", "۱۴۰۰/۰۱/۰۱", "--format", "csv").splitlines()[
        1:
    ] == ["1,0", "2,0", "3,1", "4,0", "5,0", "total,1"]


def test_the_table_names_the_districts_and_aligns_the_numbers(filed):
    lines = _stats("--from", "1399-07-20", "--to", "1401-10-25").splitlines()
    assert "1399/07/20" in lines[0] and "1401/10/25" in lines[0]
    rows = [line for line in lines if line.strip()[:1].isdigit()]
    assert [row.split()[0] for row in rows] == ["1", "2", "3", "4", "5"]
    assert "منطقه یک" in rows[0] and rows[0].rstrip().endswith(" 3")
    assert lines[-1].split() == ["total", "4"]
    # Right-aligned: every count ends in the same column.
    ends = {len(line.rstrip()) for line in [*rows, lines[-1], lines[1]]}
    assert len(ends) == 1


def test_the_figures_come_from_the_summaries_not_the_inquiries_table(filed):
    # Rows removed behind the summaries' back: a count over the table would drop, the summaries don't.
    Inquiry.objects.filter(district__number=3).update(district_id=1)
    assert _stats("--format", "csv").splitlines()[3] == "3,1"


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "1401-13-01"),
        ("--to", "tomorrow"),
        ("--from", "2023-01-15x"),
        ("--from", "1401-10-25", "--to", "1401-10-24"),
    ],
)
def test_bad_dates_are_refused_with_a_clear_error(args):
    with pytest.raises(CommandError, match=r"is not a Jalali date|comes after"):
        _stats(*args)


def test_a_bad_date_exits_non_zero():
    from django.conf import settings

    done = subprocess.run(
        [sys.executable, "manage.py", "district_stats", "--from", "1401-13-40"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shahrvand.settings.test"},
    )
    assert done.returncode != 0
    assert "is not a Jalali date" in done.stderr
