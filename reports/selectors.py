"""Per-district statistics: one grouped query over the inquiries of a period, whatever their number.

Who sees which districts is decided here (``districts_for_reports``): the ICT organisation sees all
of them, a district manager their own, nobody else any.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from accounts.roles import Roles
from districts.models import District
from inquiries import workflow
from inquiries.kinds import InquiryKind
from inquiries.models import Inquiry
from inquiries.workflow import Channel, InquiryStatus
from shahrvand.jalali import JalaliMonth


def districts_for_reports(roles: Roles) -> QuerySet[District]:
    if roles.is_ict_admin:
        return District.objects.order_by("number")
    return District.objects.filter(pk__in=roles.districts_with("manager")).order_by("number")


@dataclass
class Figures:
    """The inquiries of one district (or of all shown) filed in the period."""

    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    open: int = 0
    overdue: int = 0  # workflow.overdue_q: waiting on the district past the due date
    withdrawn: int = 0
    average_days_to_answer: float | None = None

    def add(self, other: Figures) -> None:
        self.total += other.total
        for mine, theirs in ((self.by_kind, other.by_kind), (self.by_channel, other.by_channel)):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count
        self.answered += other.answered
        self.open += other.open
        self.overdue += other.overdue
        self.withdrawn += other.withdrawn


@dataclass
class DistrictReport:
    district: District
    figures: Figures


@dataclass
class Report:
    rows: list[DistrictReport]
    totals: Figures


def _aware_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def district_report(
    districts: QuerySet[District],
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
) -> Report:
    """Figures per district for inquiries filed from ``date_from`` to ``date_to`` inclusive (local
    dates; either may be open). Every district given gets a row, with zeros if it had none."""
    today = today or timezone.localdate()
    inquiries = Inquiry.objects.filter(district__in=districts)
    if date_from:
        inquiries = inquiries.filter(submitted_at__gte=_aware_day_start(date_from))
    if date_to:
        inquiries = inquiries.filter(
            submitted_at__lt=_aware_day_start(date_to + dt.timedelta(days=1))
        )
    counts = {f"kind_{value}": Count("pk", filter=Q(kind=value)) for value in InquiryKind.values}
    counts |= {f"channel_{value}": Count("pk", filter=Q(channel=value)) for value in Channel.values}
    grouped = (
        inquiries.order_by()
        .values("district_id")
        .annotate(
            total=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            open=Count("pk", filter=Q(status__in=workflow.OPEN)),
            overdue=Count("pk", filter=workflow.overdue_q(today)),
            withdrawn=Count("pk", filter=Q(status=InquiryStatus.WITHDRAWN)),
            time_to_answer=Avg(
                ExpressionWrapper(
                    F("answered_at") - F("submitted_at"), output_field=DurationField()
                )
            ),
            **counts,
        )
    )
    by_district = {row["district_id"]: row for row in grouped}
    rows, totals = [], Figures()
    answered_time, answered_count = dt.timedelta(), 0
    for district in districts:
        row = by_district.get(district.pk)
        figures = Figures() if row is None else _figures(row)
        if row is not None and row["time_to_answer"] is not None:
            answered_time += row["time_to_answer"] * row["answered"]
            answered_count += row["answered"]
        rows.append(DistrictReport(district=district, figures=figures))
        totals.add(figures)
    if answered_count:
        totals.average_days_to_answer = _days(answered_time / answered_count)
    return Report(rows=rows, totals=totals)


def _days(duration: dt.timedelta) -> float:
    return duration.total_seconds() / 86400


def _figures(row: dict) -> Figures:
    return Figures(
        total=row["total"],
        by_kind={value: row[f"kind_{value}"] for value in InquiryKind.values},
        by_channel={value: row[f"channel_{value}"] for value in Channel.values},
        answered=row["answered"],
        open=row["open"],
        overdue=row["overdue"],
        withdrawn=row["withdrawn"],
        average_days_to_answer=(
            None if row["time_to_answer"] is None else _days(row["time_to_answer"])
        ),
    )


@dataclass
class MonthlyReport:
    months: list[JalaliMonth]
    rows: list[tuple[District, list[int]]]
    totals: list[int]


def monthly_report(districts: QuerySet[District], months: list[JalaliMonth]) -> MonthlyReport:
    """Inquiries filed per district in each Jalali month (local days), in one grouped query."""
    counts = {
        f"m{i}": Count(
            "pk",
            filter=Q(
                submitted_at__gte=_aware_day_start(month.first_day),
                submitted_at__lt=_aware_day_start(month.next_first_day),
            ),
        )
        for i, month in enumerate(months)
    }
    grouped = (
        Inquiry.objects.filter(
            district__in=districts,
            submitted_at__gte=_aware_day_start(months[0].first_day),
            submitted_at__lt=_aware_day_start(months[-1].next_first_day),
        )
        .order_by()
        .values("district_id")
        .annotate(**counts)
    )
    by_district = {row["district_id"]: row for row in grouped}
    rows, totals = [], [0] * len(months)
    for district in districts:
        row = by_district.get(district.pk, {})
        values = [row.get(f"m{i}", 0) for i in range(len(months))]
        rows.append((district, values))
        totals = [a + b for a, b in zip(totals, values, strict=True)]
    return MonthlyReport(months=months, rows=rows, totals=totals)
