"""The counts behind the queues and the reports, kept exact in the transaction of every write.

An inquiry contributes to a few summary rows (``inquiries.models.summary``), according to what it
is now: its district, office, kind, channel, status, filing day and answer time (a ``Snapshot``).
Every service that creates an inquiry or changes one of those calls ``record(before, after)``
inside its transaction: the rows of ``before`` lose the inquiry, the rows of ``after`` gain it. No
other code writes the summaries, and no page counts the inquiries table to show a number.

``recount()`` computes the same rows from the inquiries themselves; ``check()`` compares, and
``repair()`` rewrites the summaries from the recount (the ``summaries_check`` command).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from shahrvand import jalali, versions
from shahrvand.workdays import working_days_between

from . import workflow
from .models import (
    AnswerDays,
    DayAnswerDays,
    DayFigures,
    InfoRequest,
    Inquiry,
    MonthFigures,
    OfficeAnswerDays,
    OfficeCount,
    OfficeMonth,
    OfficeReason,
    QueueCount,
)
from .workflow import InquiryStatus


@dataclass(frozen=True)
class Snapshot:
    """What of an inquiry the summaries count."""

    district_id: int
    office_id: int | None
    kind: str
    channel: str
    status: str
    submitted_at: dt.datetime
    answered_at: dt.datetime | None
    sent_back: bool = False
    due_date: dt.date | None = None
    decision: str = ""

    @classmethod
    def of(cls, inquiry: Inquiry) -> Snapshot:
        return cls(
            district_id=inquiry.district_id,
            office_id=inquiry.office_id,
            kind=inquiry.kind,
            channel=inquiry.channel,
            status=inquiry.status,
            submitted_at=inquiry.submitted_at,
            answered_at=inquiry.answered_at,
            sent_back=inquiry.sent_back,
            due_date=inquiry.due_date,
            decision=inquiry.decision,
        )


# The answers' decisions, each a column of the figures (inquiries.AnswerDecision values).
DECISIONS = ("no_objection", "conditional", "violations", "cannot_answer")
FIGURE_COLUMNS = (
    "filed",
    "open",
    "answered",
    "withdrawn",
    "answer_seconds",
    "answered_in_time",
    *DECISIONS,
)


def month_key(day: dt.date) -> int:
    """The Jalali month of a local day as ``year * 100 + month`` (140107 for Mehr 1401)."""
    j = jalali.to_jalali(day)
    return j.year * 100 + j.month


def answer_working_days(snap: Snapshot) -> int | None:
    """Working days from the filing day to the answer's day (None: not answered)."""
    if snap.status != InquiryStatus.ANSWERED or snap.answered_at is None:
        return None
    return max(
        0,
        working_days_between(
            timezone.localtime(snap.submitted_at).date(),
            timezone.localtime(snap.answered_at).date(),
        ),
    )


def _figures(snap: Snapshot) -> dict[str, int]:
    answered = snap.status == InquiryStatus.ANSWERED
    seconds = 0
    if answered and snap.answered_at is not None:
        seconds = int((snap.answered_at - snap.submitted_at).total_seconds())
    in_time = (
        answered
        and snap.answered_at is not None
        and snap.due_date is not None
        and timezone.localtime(snap.answered_at).date() <= snap.due_date
    )
    figures = {
        "filed": 1,
        "open": int(snap.status in workflow.OPEN),
        "answered": int(answered),
        "withdrawn": int(snap.status == InquiryStatus.WITHDRAWN),
        "answer_seconds": seconds,
        "answered_in_time": int(in_time),
    }
    if answered and snap.decision in DECISIONS:
        figures[snap.decision] = 1
    return figures


def _rows(snap: Snapshot):
    """(model, key, {column: amount}) for every row the inquiry counts in."""
    yield (
        QueueCount,
        (
            ("district_id", snap.district_id),
            ("kind", snap.kind),
            ("channel", snap.channel),
            ("status", snap.status),
        ),
        {"n": 1},
    )
    day = timezone.localtime(snap.submitted_at).date()
    if snap.office_id is not None:
        office = ("office_id", snap.office_id)
        yield OfficeCount, (office, ("kind", snap.kind), ("status", snap.status)), {"n": 1}
        yield (
            OfficeMonth,
            (office, ("month", month_key(day))),
            {"filed": 1, "sent_back": int(snap.sent_back)},
        )
        if (days := answer_working_days(snap)) is not None:
            yield OfficeAnswerDays, (office, ("working_days", days)), {"n": 1}
    figures = _figures(snap)
    common = (("district_id", snap.district_id), ("kind", snap.kind), ("channel", snap.channel))
    yield DayFigures, (("day", day), *common), figures
    yield MonthFigures, (("month", month_key(day)), *common), figures
    days = answer_working_days(snap)
    if days is not None:
        yield AnswerDays, (("month", month_key(day)), *common, ("working_days", days)), {"n": 1}
        yield DayAnswerDays, (("day", day), *common, ("working_days", days)), {"n": 1}


def _deltas(before: Snapshot | None, after: Snapshot | None) -> dict:
    deltas: dict = defaultdict(lambda: defaultdict(int))
    for snap, sign in ((before, -1), (after, 1)):
        if snap is None:
            continue
        for model, key, amounts in _rows(snap):
            for column, amount in amounts.items():
                deltas[(model, key)][column] += sign * amount
    return {
        target: {column: amount for column, amount in amounts.items() if amount}
        for target, amounts in deltas.items()
        if any(amounts.values())
    }


def record(before: Snapshot | None, after: Snapshot | None) -> None:
    """Move one inquiry's contribution from ``before`` (None: it is new) to ``after``. Call it in
    the transaction of the write, after the inquiry's row is locked or created."""
    deltas = _deltas(before, after)
    for (model, key), amounts in sorted(
        deltas.items(), key=lambda item: (item[0][0].__name__, item[0][1])
    ):
        _add(model, dict(key), amounts)
    if deltas:
        versions.bump_on_commit(versions.REPORT_FIGURES)


def record_reasons(inquiry: Inquiry, reasons) -> None:
    """An office's inquiry was sent back for these standard reasons (its scorecard counts them)."""
    if inquiry.office_id is None:
        return
    for reason in sorted(reasons, key=lambda r: r.pk):
        _add(OfficeReason, {"office_id": inquiry.office_id, "reason_id": reason.pk}, {"n": 1})
    versions.bump_on_commit(versions.REPORT_FIGURES)


def _add(model, key: dict, amounts: dict[str, int]) -> None:
    update = {column: F(column) + amount for column, amount in amounts.items()}
    if model.objects.filter(**key).update(**update):
        return
    try:
        with transaction.atomic():  # a savepoint: a concurrent first insert may win
            model.objects.create(**key, **amounts)
    except IntegrityError:
        model.objects.filter(**key).update(**update)


def percentile(histogram, share: float) -> float | None:
    """The value below which ``share`` (0..1) of the counted values lie, from a histogram
    [(value, count), ...], interpolating between neighbours as ``statistics.quantiles`` does with
    ``method="inclusive"`` (the median of 1, 2 is 1.5). None when nothing is counted."""
    pairs = sorted((value, n) for value, n in histogram if n > 0)
    total = sum(n for _value, n in pairs)
    if not total:
        return None
    position = share * (total - 1)  # 0-based, in the sorted values
    low_index, fraction = int(position), position - int(position)

    def value_at(index: int) -> float:
        seen = 0
        for value, n in pairs:
            seen += n
            if index < seen:
                return value
        return pairs[-1][0]

    low = value_at(low_index)
    if not fraction:
        return float(low)
    return low + (value_at(low_index + 1) - low) * fraction


# --- recount, check, repair ------------------------------------------------------------------------

SUMMARY_MODELS = (
    AnswerDays,
    DayAnswerDays,
    QueueCount,
    OfficeCount,
    OfficeMonth,
    OfficeAnswerDays,
    OfficeReason,
    DayFigures,
    MonthFigures,
)


def recount() -> dict:
    """Every summary row computed from the inquiries themselves: {(model, key): {column: value}}."""
    totals: dict = defaultdict(lambda: defaultdict(int))
    fields = (
        "district_id",
        "office_id",
        "kind",
        "channel",
        "status",
        "submitted_at",
        "answered_at",
        "sent_back",
        "due_date",
        "decision",
    )
    for values in Inquiry.objects.order_by().values_list(*fields).iterator(chunk_size=5000):
        for model, key, amounts in _rows(Snapshot(*values)):
            for column, amount in amounts.items():
                totals[(model, key)][column] += amount
    reasons = (
        InfoRequest.reasons.through.objects.filter(inforequest__inquiry__office__isnull=False)
        .order_by()
        .values_list("inforequest__inquiry__office_id", "deficiencyreason_id")
        .annotate(n=Count("pk"))
    )
    for office_id, reason_id, n in reasons:
        totals[(OfficeReason, (("office_id", office_id), ("reason_id", reason_id)))]["n"] += n
    return {target: dict(amounts) for target, amounts in totals.items()}


def _stored() -> dict:
    stored = {}
    for model, key_names, columns in _layout():
        for row in model.objects.values(*key_names, *columns).iterator(chunk_size=5000):
            key = tuple((name, row[name]) for name in key_names)
            stored[(model, key)] = {column: row[column] for column in columns}
    return stored


def _layout():
    figures = FIGURE_COLUMNS
    yield QueueCount, ("district_id", "kind", "channel", "status"), ("n",)
    yield OfficeCount, ("office_id", "kind", "status"), ("n",)
    yield OfficeMonth, ("office_id", "month"), ("filed", "sent_back")
    yield OfficeAnswerDays, ("office_id", "working_days"), ("n",)
    yield OfficeReason, ("office_id", "reason_id"), ("n",)
    yield DayFigures, ("day", "district_id", "kind", "channel"), figures
    yield MonthFigures, ("month", "district_id", "kind", "channel"), figures
    yield AnswerDays, ("month", "district_id", "kind", "channel", "working_days"), ("n",)
    yield DayAnswerDays, ("day", "district_id", "kind", "channel", "working_days"), ("n",)


def check() -> list[str]:
    """The differences between the summaries and a full recount, one line each (none: exact)."""
    expected, stored = recount(), _stored()
    problems = []
    for target in sorted(set(expected) | set(stored), key=lambda t: (t[0].__name__, str(t[1]))):
        model, key = target
        want = {c: v for c, v in expected.get(target, {}).items() if v}
        have = {c: v for c, v in stored.get(target, {}).items() if v}
        if want != have:
            problems.append(
                f"{model.__name__} {dict(key)}: stored {have or 0}, counted {want or 0}"
            )
    return problems


@transaction.atomic
def repair() -> int:
    """Rewrite every summary from a full recount; returns how many rows were written. Inquiries are
    locked meanwhile (share mode), so that no write slips between the recount and the rewrite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Inquiry._meta.db_table} IN SHARE MODE")
    expected = recount()
    for model in SUMMARY_MODELS:
        model.objects.all().delete()
    by_model = defaultdict(list)
    for (model, key), amounts in expected.items():
        by_model[model].append(model(**dict(key), **amounts))
    for model, rows in by_model.items():
        model.objects.bulk_create(rows, batch_size=2000)
    versions.bump_on_commit(versions.REPORT_FIGURES)
    versions.bump_on_commit(versions.LISTS)
    return len(expected)
