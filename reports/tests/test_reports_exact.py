"""The report read from the summaries equals a naive recount over the inquiries, for any period:
whole Jalali months, parts of months, single days, open ends, Nowruz and a leap Esfand."""

from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from districts.models import District
from inquiries import summaries, workflow
from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import InquiryStatus
from reports.selectors import district_report
from shahrvand.workdays import working_days_between

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 5, 1)
# From Bahman 1403 to Ordibehesht 1404: Esfand 1403 has 30 days (a leap year), then Nowruz.
FIRST, LAST = dt.date(2025, 1, 20), dt.date(2025, 4, 30)


def _recount(date_from, date_to, **filters) -> dict[int, tuple]:
    """What the reports computed before the summaries: a grouped count over the raw table."""
    inquiries = Inquiry.objects.filter(**filters)
    if date_from:
        start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
        inquiries = inquiries.filter(submitted_at__gte=start)
    if date_to:
        end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
        inquiries = inquiries.filter(submitted_at__lt=end)
    rows = inquiries.values("district__number").annotate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(status=InquiryStatus.ANSWERED)),
        open=Count("pk", filter=Q(status__in=workflow.OPEN)),
        overdue=Count("pk", filter=workflow.overdue_q(TODAY)),
        withdrawn=Count("pk", filter=Q(status=InquiryStatus.WITHDRAWN)),
    )
    return {
        row["district__number"]: (
            row["total"],
            row["answered"],
            row["open"],
            row["overdue"],
            row["withdrawn"],
        )
        for row in rows
    }


@pytest.fixture
def history():
    rng = random.Random(1403)
    days = (LAST - FIRST).days
    for _ in range(120):
        day = FIRST + dt.timedelta(days=rng.randrange(days + 1))
        submitted = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.choice([0, 9, 23]), rng.randrange(60)))
        )
        status = rng.choice(list(InquiryStatus))
        InquiryFactory(
            district_number=rng.choice([1, 3, 5]),
            kind=rng.choice(["transfer", "bank", "agency"]),
            channel=rng.choice(list(workflow.Channel)),
            status=status,
            submitted_at=submitted,
            due_date=day + dt.timedelta(days=rng.randrange(5, 40)),
            answered_at=(
                submitted + dt.timedelta(hours=rng.randrange(1, 400))
                if status == InquiryStatus.ANSWERED
                else None
            ),
            decision=(rng.choice(summaries.DECISIONS) if status == InquiryStatus.ANSWERED else ""),
        )


PERIODS = [
    (None, None),
    (dt.date(2025, 2, 19), dt.date(2025, 3, 20)),  # Esfand 1403, whole (30 days, leap)
    (dt.date(2025, 3, 21), dt.date(2025, 4, 20)),  # Farvardin 1404 (Nowruz), whole
    (dt.date(2025, 3, 20), dt.date(2025, 3, 21)),  # the last day of 1403 and the first of 1404
    (dt.date(2025, 2, 1), dt.date(2025, 4, 10)),  # parts of months at both ends
    (dt.date(2025, 2, 25), None),  # open at the end
    (None, dt.date(2025, 3, 5)),  # open at the start
    (dt.date(2025, 3, 1), dt.date(2025, 3, 1)),  # one day
    (dt.date(2025, 3, 10), dt.date(2025, 3, 12)),  # inside one month
    (dt.date(2025, 1, 20), dt.date(2025, 4, 30)),  # the whole history, edge to edge
]


@pytest.mark.parametrize("date_from, date_to", PERIODS)
@pytest.mark.parametrize("filters", [{}, {"kind": "bank"}, {"channel": "kiosk"}])
def test_the_report_equals_a_recount_of_the_raw_table(history, date_from, date_to, filters):
    report = district_report(
        District.objects.order_by("number"),
        date_from=date_from,
        date_to=date_to,
        today=TODAY,
        **filters,
    )
    expected = _recount(date_from, date_to, **filters)
    for row in report.rows:
        f = row.figures
        got = (f.total, f.answered, f.open, f.overdue, f.withdrawn)
        assert got == expected.get(row.district.number, (0, 0, 0, 0, 0)), row.district.number
    assert report.totals.total == sum(v[0] for v in expected.values())
    _same_answers(report, date_from, date_to, **filters)


def _same_answers(report, date_from, date_to, **filters):
    """Median and 90th percentile of working days, the in-time count and the decisions, recounted
    one inquiry at a time."""
    inquiries = Inquiry.objects.filter(status=InquiryStatus.ANSWERED, **filters)
    per_district: dict[int, list] = {}
    for inquiry in inquiries.select_related("district"):
        day = timezone.localtime(inquiry.submitted_at).date()
        if (date_from and day < date_from) or (date_to and day > date_to):
            continue
        per_district.setdefault(inquiry.district.number, []).append(inquiry)
    for row in report.rows:
        answered = per_district.get(row.district.number, [])
        days = sorted(
            working_days_between(
                timezone.localtime(i.submitted_at).date(), timezone.localtime(i.answered_at).date()
            )
            for i in answered
        )
        f = row.figures
        if len(days) >= 2:
            median = statistics.median(days)
            p90 = statistics.quantiles(days, n=10, method="inclusive")[-1]
            assert (f.median_working_days, f.p90_working_days) == (median, pytest.approx(p90))
        elif days:
            assert f.median_working_days == f.p90_working_days == days[0]
        else:
            assert f.median_working_days is None
        in_time = sum(1 for i in answered if timezone.localtime(i.answered_at).date() <= i.due_date)
        assert f.answered_in_time == in_time
        decisions: dict[str, int] = {}
        for i in answered:
            decisions[i.decision] = decisions.get(i.decision, 0) + 1
        assert f.by_decision == decisions
