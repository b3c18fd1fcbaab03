"""Monthly reports: which ones a month needs, and how one is rendered and stored.

A report is asked for (``monthly_reports_request``: one row per district online that month, and one
for the whole city, each enqueued once the rows are committed); a worker renders it
(``monthly_report_store``), once: a ready report is not rendered again unless forced. The figures
are those of ``reports.selectors`` on the day of rendering: the PDF is a snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from districts.models import District
from inquiries.kinds import InquiryKind
from inquiries.models import AnswerDecision
from inquiries.workflow import Channel
from shahrvand import jalali, workdays
from shahrvand.pdf import pdf_render
from shahrvand.text import format_days, format_number

from .models import MonthlyReport, MonthlyReportStatus, jalali_month
from .selectors import Figures, district_report, kiosk_visits

logger = logging.getLogger(__name__)

TEMPLATE = "pdf/monthly_report.html"
STYLESHEETS = ("css/print/letterhead.css", "css/print/monthly_report.css")


# --- which reports, and when ------------------------------------------------------------------


def districts_online_in(month: jalali.JalaliMonth) -> QuerySet[District]:
    """Districts online for at least one kind of inquiry on some day of the month."""
    last_day = month.next_first_day - dt.timedelta(days=1)
    online = Q()
    for kind in InquiryKind:
        online |= Q(**{f"{kind.value}_online_since__lte": last_day})
    return District.objects.filter(online).order_by("number")


def monthly_reports_request(
    year: int,
    month: int,
    *,
    retry_failed: bool = True,
    force: bool = False,
    enqueue: bool = True,
) -> list[MonthlyReport]:
    """The month's reports: one per district online in it and one for the whole city, created if
    missing and handed to a worker once committed (unless not ``enqueue``: the caller renders
    them). A report already asked for is left to its worker (and the sweeper); a failed one is
    asked for again when ``retry_failed``; ``force`` renders even the ready ones again (with
    today's figures)."""
    from .tasks import monthly_report_enqueue

    period = jalali_month(year, month)
    places: list[District | None] = [None, *districts_online_in(period)]
    reports, owed = [], []
    now = timezone.now()
    with transaction.atomic():
        for district in places:
            report, created = MonthlyReport.objects.get_or_create(
                year=period.year, month=period.month, district=district
            )
            reports.append(report)
            again = force or (retry_failed and report.status == MonthlyReportStatus.FAILED)
            if created or again:
                if again:
                    report.status = MonthlyReportStatus.PENDING
                    report.error = ""
                    report.requested_at = now
                    report.save(update_fields=["status", "error", "requested_at"])
                owed.append(report.pk)
        for report_id in owed if enqueue else ():
            monthly_report_enqueue(report_id, force=force)
    return reports


def first_working_day(month: jalali.JalaliMonth) -> dt.date:
    """The month's first working day (``shahrvand.workdays``): 1 Farvardin is Nowruz, so later."""
    return workdays.add_working_days(month.first_day, 0)


def monthly_reports_due(today: dt.date | None = None) -> list[MonthlyReport]:
    """The previous month's reports, asked for on the first working day of a Jalali month. A later
    working day of the month asks for whatever of them is still missing (a day the scheduler did not
    run is made up the next working day); before the first working day, and on days off, nothing."""
    today = today or timezone.localdate()
    this_month = jalali.jalali_months_up_to(today, 1)[0]
    if not workdays.is_working_day(today) or today < first_working_day(this_month):
        return []
    previous = jalali.jalali_months_up_to(this_month.first_day - dt.timedelta(days=1), 1)[0]
    return monthly_reports_request(previous.year, previous.month, retry_failed=False)


# --- what a report shows ------------------------------------------------------------------------


def _percent(share: float | None) -> str:
    if share is None:
        return "—"
    return format_number(round(share * 100)) + "٪"


def _days(value: float | None) -> str:
    return format_days(value) or "—"


def _breakdown(counts: dict[str, int], choices) -> list[tuple[str, int]]:
    return [(label, counts.get(value, 0)) for value, label in choices.choices]


def _summary(figures: Figures, visits: int) -> dict:
    return {
        "figures": figures,
        "in_time": _percent(figures.in_time_share),
        "median": _days(figures.median_working_days),
        "p90": _days(figures.p90_working_days),
        "average": _days(figures.average_days_to_answer),
        "visits": visits,
    }


def monthly_report_context(report: MonthlyReport, *, today: dt.date | None = None) -> dict:
    """What the PDF shows: the month's figures for the district (or for every district online in
    the month, with a row each, for the city's report), counted on ``today``."""
    today = today or timezone.localdate()
    period = report.period
    last_day = period.next_first_day - dt.timedelta(days=1)
    if report.district_id:
        districts = District.objects.filter(pk=report.district_id)
    else:
        districts = districts_online_in(period)
    figures = district_report(districts, date_from=period.first_day, date_to=last_day, today=today)
    visits = kiosk_visits(districts, date_from=period.first_day, date_to=last_day)
    rows = [
        {"district": row.district, **_summary(row.figures, visits.get(row.district.pk, 0))}
        for row in figures.rows
    ]
    totals = _summary(figures.totals, sum(visits.values()))
    city = not report.district_id
    by_channel = _breakdown(figures.totals.by_channel, Channel)
    if city:
        title = gettext("Inquiries filed, by district")
        bars = [(row.district.name, row.figures.total) for row in figures.rows]
    else:
        title = gettext("Inquiries filed, by how they came in")
        bars = by_channel
    return {
        "report": report,
        "period": period,
        "first_day": period.first_day,
        "last_day": last_day,
        "today": today,
        "place": gettext("all districts of Urmia") if city else report.district.name,
        "district": report.district,
        "totals": totals,
        "rows": rows if city else [],
        "by_kind": _breakdown(figures.totals.by_kind, InquiryKind),
        "by_channel": by_channel,
        "by_decision": _breakdown(figures.totals.by_decision, AnswerDecision),
        "bars_title": title,
        "bars": _bars(bars),
    }


def _bars(bars: list[tuple[str, int]]) -> list[tuple[str, int, str]]:
    """The bar chart's rows: label, count and the bar's length as a share of the longest, in
    percent (a CSS width). Drawn with HTML blocks, not the dashboard's SVG (``reports.charts``):
    the PDF renderer lays SVG text out letter by letter, so Persian labels would print unjoined
    and reversed."""
    largest = max((count for _label, count in bars), default=0)
    return [
        (label, count, f"{100 * count / largest:.1f}" if largest else "0.0")
        for label, count in bars
    ]


def monthly_report_bytes(report: MonthlyReport, *, today: dt.date | None = None) -> bytes:
    """The PDF, in Persian whatever language the requester reads the site in."""
    with translation.override("fa"):
        context = monthly_report_context(report, today=today)
        return pdf_render(TEMPLATE, context, stylesheets=STYLESHEETS)


def monthly_report_store(report_id: int, *, force: bool = False) -> str:
    """Render and store the report unless it is ready (or ``force``). Safe to run twice, or at once
    in two workers: the row lock decides which one stores, the other's work is dropped. An error
    while rendering marks the report failed with the error; storage errors (``OSError``) are
    raised for the task to retry."""
    report = MonthlyReport.objects.select_related("district").filter(pk=report_id).first()
    if report is None:
        return "gone"
    if report.status == MonthlyReportStatus.READY and not force:
        return "exists"
    started = timezone.now()
    try:
        content = monthly_report_bytes(report)  # outside the transaction: rendering takes a while
    except OSError:
        raise
    except Exception as error:
        logger.exception("monthly report %s could not be rendered", report_id)
        MonthlyReport.objects.filter(pk=report_id).exclude(status=MonthlyReportStatus.READY).update(
            status=MonthlyReportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return "failed"
    with transaction.atomic():
        locked = (
            MonthlyReport.objects.select_for_update(of=("self",))
            .select_related("district")
            .get(pk=report_id)
        )
        if locked.status == MonthlyReportStatus.READY and not (
            force and (locked.rendered_at is None or locked.rendered_at < started)
        ):
            return "exists"
        name = locked.pdf.field.generate_filename(locked, "report.pdf")
        storage = locked.pdf.storage
        if storage.exists(name):
            # Left by a worker that died before its commit, or the forced report's older file.
            storage.delete(name)
        locked.pdf.save(name, ContentFile(content), save=False)
        locked.sha256 = hashlib.sha256(content).hexdigest()
        locked.size = len(content)
        locked.rendered_at = timezone.now()
        locked.status = MonthlyReportStatus.READY
        locked.error = ""
        locked.save(update_fields=["pdf", "sha256", "size", "rendered_at", "status", "error"])
    return "rendered"
