"""Per-district statistics for a period, read from the summaries kept exact on every write
(``inquiries.summaries``): their cost does not grow with the number of inquiries.

Who sees which districts is decided here (``districts_for_reports``): the ICT organisation sees all
of them, a district manager their own, nobody else any.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts.roles import Roles
from districts.models import District, KioskHelpLog
from inquiries import summaries, workflow
from inquiries.models import (
    AnswerDays,
    DayAnswerDays,
    DayFigures,
    Inquiry,
    MonthFigures,
)
from shahrvand import jalali
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
    answered_in_time: int = 0  # answered on or before the due date
    by_decision: dict[str, int] = field(default_factory=dict)  # the answers in force
    # Working days from filing to the answer: the median and the 90th percentile.
    median_working_days: float | None = None
    p90_working_days: float | None = None

    @property
    def in_time_share(self) -> float | None:
        """Share (0..1) of the answered inquiries answered within the deadline."""
        return self.answered_in_time / self.answered if self.answered else None

    def add(self, other: Figures) -> None:
        self.total += other.total
        for mine, theirs in (
            (self.by_kind, other.by_kind),
            (self.by_channel, other.by_channel),
            (self.by_decision, other.by_decision),
        ):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count
        self.answered += other.answered
        self.open += other.open
        self.overdue += other.overdue
        self.withdrawn += other.withdrawn
        self.answered_in_time += other.answered_in_time


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


FIGURES = summaries.FIGURE_COLUMNS


def _period_parts(date_from: dt.date | None, date_to: dt.date | None):
    """The period as whole Jalali months (read from ``MonthFigures``) and the days at either end
    that do not fill a month (read from ``DayFigures``): (month_lo, month_hi, [(day_from, day_to)])
    with None for an open end. Either way, at most a few hundred summary rows are read."""
    if date_from is None and date_to is None:
        return None, None, []
    first_month = None
    if date_from is not None:
        start = jalali.jalali_months_up_to(date_from, 1)[0]
        first_month = start if start.first_day == date_from else _month_after(start)
    last_month = None
    if date_to is not None:
        end = jalali.jalali_months_up_to(date_to, 1)[0]
        last_month = end if end.next_first_day == date_to + dt.timedelta(days=1) else None
        if last_month is None:
            last_month = _month_before(end)
    if (
        first_month is not None
        and last_month is not None
        and first_month.first_day > last_month.first_day
    ):
        return "none", "none", [(date_from, date_to)]
    days = []
    if date_from is not None and date_from < first_month.first_day:
        days.append((date_from, first_month.first_day - dt.timedelta(days=1)))
    if date_to is not None and date_to >= last_month.next_first_day:
        days.append((last_month.next_first_day, date_to))
    lo = None if first_month is None else first_month.year * 100 + first_month.month
    hi = None if last_month is None else last_month.year * 100 + last_month.month
    return lo, hi, days


def _month_after(month: jalali.JalaliMonth) -> jalali.JalaliMonth:
    return jalali.jalali_months_up_to(month.next_first_day, 1)[0]


def _month_before(month: jalali.JalaliMonth) -> jalali.JalaliMonth:
    return jalali.jalali_months_up_to(month.first_day - dt.timedelta(days=1), 1)[0]


def _period_querysets(month_model, day_model, districts, date_from, date_to, **filters):
    """The summary rows of a period: whole months from ``month_model``, the days at its ends from
    ``day_model``."""
    lo, hi, days = _period_parts(date_from, date_to)
    district_ids = [district.pk for district in districts]
    parts = []
    if lo != "none":
        months = month_model.objects.filter(district_id__in=district_ids, **filters)
        if lo is not None:
            months = months.filter(month__gte=lo)
        if hi is not None:
            months = months.filter(month__lte=hi)
        parts.append(months)
    for first, last in days:
        parts.append(
            day_model.objects.filter(
                district_id__in=district_ids, day__gte=first, day__lte=last, **filters
            )
        )
    return parts


def _summed(districts, date_from, date_to, **filters) -> list[dict]:
    """The summary rows of the period, summed per district, kind and channel."""
    sums = {name: Sum(name) for name in FIGURES}
    rows = []
    for queryset in _period_querysets(
        MonthFigures, DayFigures, districts, date_from, date_to, **filters
    ):
        rows += queryset.order_by().values("district_id", "kind", "channel").annotate(**sums)
    return rows


def _answer_days(districts, date_from, date_to, **filters) -> dict[int, list[tuple[int, int]]]:
    """Answered inquiries of the period by working days to the answer, per district."""
    histograms: dict[int, dict[int, int]] = {}
    for queryset in _period_querysets(
        AnswerDays, DayAnswerDays, districts, date_from, date_to, **filters
    ):
        for district_id, days, n in (
            queryset.order_by().values_list("district_id", "working_days").annotate(n=Sum("n"))
        ):
            into = histograms.setdefault(district_id, {})
            into[days] = into.get(days, 0) + n
    return {district_id: list(days.items()) for district_id, days in histograms.items()}


def _overdue(districts, date_from, date_to, today: dt.date, **filters) -> dict[int, int]:
    """Overdue inquiries per district (``workflow.overdue_q``): read through the queue's partial
    index on open inquiries, never a scan of the answered ones."""
    inquiries = Inquiry.objects.filter(
        workflow.overdue_q(today), district__in=[d.pk for d in districts], **filters
    )
    if date_from:
        inquiries = inquiries.filter(submitted_at__gte=_aware_day_start(date_from))
    if date_to:
        inquiries = inquiries.filter(
            submitted_at__lt=_aware_day_start(date_to + dt.timedelta(days=1))
        )
    return dict(inquiries.order_by().values_list("district_id").annotate(n=Count("pk")).order_by())


def district_report(
    districts: QuerySet[District],
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
    kind: str = "",
    channel: str = "",
) -> Report:
    """Figures per district for inquiries filed from ``date_from`` to ``date_to`` inclusive (local
    dates; either may be open), of one kind or channel if given. Every district given gets a row,
    with zeros if it had none. Read from the summaries (``inquiries.summaries``), exact, in a few
    small queries whatever the number of inquiries."""
    today = today or timezone.localdate()
    districts = list(districts)
    filters = {name: value for name, value in (("kind", kind), ("channel", channel)) if value}
    figures = {district.pk: Figures() for district in districts}
    seconds = dict.fromkeys(figures, 0)
    for row in _summed(districts, date_from, date_to, **filters):
        into = figures[row["district_id"]]
        into.total += row["filed"]
        into.by_kind[row["kind"]] = into.by_kind.get(row["kind"], 0) + row["filed"]
        into.by_channel[row["channel"]] = into.by_channel.get(row["channel"], 0) + row["filed"]
        into.answered += row["answered"]
        into.open += row["open"]
        into.withdrawn += row["withdrawn"]
        into.answered_in_time += row["answered_in_time"]
        for decision in summaries.DECISIONS:
            if row[decision]:
                into.by_decision[decision] = into.by_decision.get(decision, 0) + row[decision]
        seconds[row["district_id"]] += row["answer_seconds"]
    for district_id, count in _overdue(districts, date_from, date_to, today, **filters).items():
        figures[district_id].overdue = count
    histograms = _answer_days(districts, date_from, date_to, **filters)
    rows, totals, everyone = [], Figures(), {}
    for district in districts:
        own = figures[district.pk]
        if own.answered:
            own.average_days_to_answer = seconds[district.pk] / own.answered / 86400
        histogram = histograms.get(district.pk, [])
        own.median_working_days = summaries.percentile(histogram, 0.5)
        own.p90_working_days = summaries.percentile(histogram, 0.9)
        for days, n in histogram:
            everyone[days] = everyone.get(days, 0) + n
        rows.append(DistrictReport(district=district, figures=own))
        totals.add(own)
    if totals.answered:
        totals.average_days_to_answer = sum(seconds.values()) / totals.answered / 86400
    totals.median_working_days = summaries.percentile(everyone.items(), 0.5)
    totals.p90_working_days = summaries.percentile(everyone.items(), 0.9)
    return Report(rows=rows, totals=totals)


# Ages of the open inquiries, in days since filing: (label's lower bound, upper bound or None).
AGE_BANDS = ((0, 5), (6, 10), (11, 20), (21, 30), (31, None))


def open_by_age(
    districts, *, today: dt.date | None = None, kind: str = "", channel: str = ""
) -> list[tuple[tuple[int, int | None], int]]:
    """The inquiries open now, by days since filing (``AGE_BANDS``): one count per band, read
    through the queue's partial index on open inquiries (their number does not grow with the
    history, only with the work in hand)."""
    today = today or timezone.localdate()
    open_now = Inquiry.objects.filter(
        status__in=workflow.OPEN, district__in=[d.pk for d in districts]
    )
    if kind:
        open_now = open_now.filter(kind=kind)
    if channel:
        open_now = open_now.filter(channel=channel)
    counts = {}
    for low, high in AGE_BANDS:
        band = Q(submitted_at__lt=_aware_day_start(today - dt.timedelta(days=low - 1)))
        if high is not None:
            band &= Q(submitted_at__gte=_aware_day_start(today - dt.timedelta(days=high)))
        counts[f"b{low}"] = Count("pk", filter=band)
    row = open_now.aggregate(**counts)
    return [((low, high), row[f"b{low}"]) for low, high in AGE_BANDS]


def kiosk_visits(districts, *, date_from=None, date_to=None) -> dict[int, int]:
    """Walk-in citizens helped at each district's kiosk in the period (local days)."""
    visits = KioskHelpLog.objects.filter(district__in=[d.pk for d in districts])
    if date_from:
        visits = visits.filter(created_at__gte=_aware_day_start(date_from))
    if date_to:
        visits = visits.filter(created_at__lt=_aware_day_start(date_to + dt.timedelta(days=1)))
    counts = visits.order_by().values_list("district_id").annotate(n=Count("pk"))
    return {district.pk: 0 for district in districts} | dict(counts)


@dataclass
class MonthlyReport:
    months: list[JalaliMonth]
    rows: list[tuple[District, list[int]]]
    totals: list[int]


def monthly_report(
    districts: QuerySet[District], months: list[JalaliMonth], *, kind: str = "", channel: str = ""
) -> MonthlyReport:
    """Inquiries filed per district in each Jalali month, from the month summaries."""
    districts = list(districts)
    keys = [month.year * 100 + month.month for month in months]
    filters = {name: value for name, value in (("kind", kind), ("channel", channel)) if value}
    counts = {
        (district_id, month): filed
        for district_id, month, filed in MonthFigures.objects.filter(
            district_id__in=[d.pk for d in districts],
            month__gte=keys[0],
            month__lte=keys[-1],
            **filters,
        )
        .order_by()
        .values_list("district_id", "month")
        .annotate(filed=Sum("filed"))
    }
    rows, totals = [], [0] * len(months)
    for district in districts:
        values = [counts.get((district.pk, key), 0) for key in keys]
        rows.append((district, values))
        totals = [a + b for a, b in zip(totals, values, strict=True)]
    return MonthlyReport(months=months, rows=rows, totals=totals)
