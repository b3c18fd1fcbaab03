"""Per-district statistics for the ICT organisation (every district) and district managers (their
own): the dashboard (figures, charts and their tables) and the same figures as CSV and as an Excel
workbook, all with the same filters."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import jdatetime
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import layout
from accounts.decorators import reports_required
from accounts.roles import roles_of
from districts.models import District
from inquiries.kinds import InquiryKind
from inquiries.models import AnswerDecision
from inquiries.workflow import Channel
from shahrvand import jalali, kept_lists, versions
from shahrvand.spreadsheet import looks_like_formula
from shahrvand.text import format_days, localize_digits

from . import charts, published, xlsx
from .forms import ReportForm
from .selectors import (
    Figures,
    MonthlyReport,
    Report,
    district_report,
    districts_for_reports,
    kiosk_visits,
    monthly_report,
    open_by_age,
)

T = TypeVar("T")

# The trend for "all time" starts with the first month that has inquiries, and never before the
# service's pilot (Mehr 1399); a long period shows its last ten years.
FIRST_DAY = jdatetime.date(1399, 7, 1).togregorian()
MOST_MONTHS = 120


@dataclass
class Filters:
    """What the reader asked for, checked: the districts shown (only those they may see), read
    from the database only when the figures are worked out (a kept copy needs none of them)."""

    districts: list[District]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""
    channel: str = ""

    @property
    def selected(self) -> dict:
        return {"kind": self.kind, "channel": self.channel}


def _filters(request: HttpRequest) -> tuple[ReportForm, Filters | None]:
    """The form and the filters it gives; None while they are not valid (a district the reader may
    not see is not a valid choice)."""
    allowed = districts_for_reports(roles_of(request.user))
    form = ReportForm(request.GET or None, districts=allowed)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    district = data.get("district")
    return form, Filters(
        districts=[district] if district else SimpleLazyObject(lambda: list(allowed)),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        kind=data.get("kind") or "",
        channel=data.get("channel") or "",
    )


def _report(filters: Filters) -> Report:
    return district_report(
        filters.districts, date_from=filters.date_from, date_to=filters.date_to, **filters.selected
    )


def trend(filters: Filters, today: dt.date) -> MonthlyReport:
    """Inquiries per Jalali month over the period (whole months), per district. For all time: from
    the first month with inquiries (or ``FIRST_DAY``) to this month; at most ``MOST_MONTHS``."""
    end = min(filters.date_to or today, today)
    start = min(filters.date_from or FIRST_DAY, end)
    first, last = jalali.to_jalali(start), jalali.to_jalali(end)
    count = min((last.year - first.year) * 12 + last.month - first.month + 1, MOST_MONTHS)
    monthly = monthly_report(
        filters.districts, jalali.jalali_months_up_to(end, count), **filters.selected
    )
    if filters.date_from is None:
        begin = next(
            (i for i, total in enumerate(monthly.totals) if total), len(monthly.totals) - 1
        )
        monthly = MonthlyReport(
            months=monthly.months[begin:],
            rows=[(district, counts[begin:]) for district, counts in monthly.rows],
            totals=monthly.totals[begin:],
        )
    return monthly


def _line(figures: Figures) -> dict:
    return {
        "figures": figures,
        "by_kind": [figures.by_kind.get(value, 0) for value in InquiryKind.values],
        "by_channel": [figures.by_channel.get(value, 0) for value in Channel.values],
        "average_days": format_days(figures.average_days_to_answer) or "—",
    }


def _share(value: float | None) -> str:
    """0.853 -> '۸۵٪' (a whole percent, in the reader's digits); '—' for None."""
    if value is None:
        return "—"
    return _("%(percent)s%%") % {"percent": localize_digits(round(value * 100))}


def _age_label(low: int, high: int | None) -> str:
    if high is None:
        return _("%(low)s days or more") % {"low": localize_digits(low)}
    return _("%(low)s to %(high)s days") % {
        "low": localize_digits(low),
        "high": localize_digits(high),
    }


def _counts(labelled: list[tuple[str, int]], title: str, testid: str) -> dict:
    """A chart and its table: the same (label, count) pairs."""
    return {
        "title": title,
        "testid": testid,
        "rows": labelled,
        "total": sum(count for _label, count in labelled),
        "chart": charts.bar_chart(labelled, title=title, testid=f"{testid}-chart"),
    }


def _trend_chart(monthly: MonthlyReport, all_time: bool) -> str:
    series = []
    for district, counts in monthly.rows:
        start = next((i for i, count in enumerate(counts) if count), None)
        # A district's first month with inquiries is its launch when the trend goes back to the
        # start, or when that month is not the period's first (it had none before, in the period).
        series.append(charts.Series(district.name, counts, launched=all_time or bool(start)))
    return charts.trend_chart(
        [month.label for month in monthly.months],
        series,
        title=_("Inquiries filed per month, by district"),
        testid="trend-chart",
    )


@reports_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    query = request.GET.urlencode()

    def body(form: ReportForm, filters: Filters | None) -> str:
        """The filter form, figures, charts and tables: only the query and the districts the
        reader may pick, both in the key."""
        return render_to_string(
            "reports/_dashboard_form.html", {"form": form}, request=request
        ) + render_to_string(
            "reports/_dashboard_figures.html", _figures(roles, filters, query), request=request
        )

    return layout.render(
        request,
        "reports/dashboard.html",
        {"body_html": _kept(request, "page", body)},
        fills=("body_html",),
    )


def _kept(request: HttpRequest, what: str, build: Callable[[ReportForm, Filters | None], T]) -> T:
    """What ``build`` makes of the request's filters (the page's body, the CSV, the workbook).
    With a shared cache it is kept (``shahrvand.kept_lists.kept``) under the versions of the
    reports' figures (bumped by every write they count) and of the districts, for whoever asks
    for the same query and may see the same districts, in the same language on the same day: the
    same result for all of them, and nothing about the person who asks.

    The kept copy is looked for before the filters are checked: one is kept only for filters that
    were valid, and their validity depends on nothing else than its key holds (the districts the
    reader may pick, the day, the districts' version). Filters that are not valid are answered
    afresh and never kept."""
    roles = roles_of(request.user)

    def made():
        form, filters = _filters(request)
        result = build(form, filters)
        return result if filters is not None else kept_lists.NotKept(result)

    return kept_lists.kept(
        key=kept_lists.key_of(
            "reports",
            what,
            # Who may see what: the districts shown when none is chosen, and those to pick from.
            "ict" if roles.is_ict_admin else tuple(sorted(roles.districts_with("manager"))),
            request.GET.urlencode(),
        ),
        # The figures, and the districts themselves (one added, renamed or put online).
        lists=[versions.REPORT_FIGURES, versions.PUBLIC_PAGES],
        build=made,
        seconds=settings.REPORTS_CACHE_SECONDS,
    )


def _figures(roles, filters: Filters | None, query: str) -> dict:
    context = {"report": None, "query": query}
    if filters is not None:
        today = timezone.localdate()
        report = _report(filters)
        totals = report.totals
        monthly = trend(filters, today)
        visits = kiosk_visits(
            filters.districts, date_from=filters.date_from, date_to=filters.date_to
        )
        ages = open_by_age(filters.districts, today=today, **filters.selected)
        context |= {
            "report": report,
            "rows": [{"district": row.district, **_line(row.figures)} for row in report.rows],
            "totals": _line(totals),
            "headline": {
                "in_time": _share(totals.in_time_share),
                "median": format_days(totals.median_working_days) or "—",
                "p90": format_days(totals.p90_working_days) or "—",
            },
            "kinds": InquiryKind.labels,
            "channels": Channel.labels,
            "by_district": _counts(
                [(row.district.name, row.figures.total) for row in report.rows],
                _("Inquiries filed, by district"),
                "by-district",
            ),
            "by_kind": _counts(
                [(label, totals.by_kind.get(value, 0)) for value, label in InquiryKind.choices],
                _("Inquiries filed, by kind"),
                "by-kind",
            ),
            "by_channel": _counts(
                [(label, totals.by_channel.get(value, 0)) for value, label in Channel.choices],
                _("Inquiries filed, by how they came in"),
                "by-channel",
            ),
            "by_decision": _counts(
                [
                    (label, totals.by_decision.get(value, 0))
                    for value, label in AnswerDecision.choices
                ],
                _("Answers, by decision"),
                "by-decision",
            ),
            "by_age": _counts(
                [(_age_label(*band), count) for band, count in ages],
                _("Open now, by days since filing"),
                "by-age",
            ),
            "kiosk": _counts(
                [(district.name, visits.get(district.pk, 0)) for district in filters.districts],
                _("Citizens helped at the district kiosks"),
                "kiosk-visits",
            ),
            "monthly": monthly,
            "trend_chart": _trend_chart(monthly, all_time=filters.date_from is None),
            "published": _published(report) if roles.is_ict_admin else None,
        }
    return context


def _published(report: Report) -> dict:
    live = {row.district.number: row.figures.total for row in report.rows}
    return {
        "on": published.PUBLISHED_ON,
        "rows": [
            {"number": number, "published": count, "live": live.get(number)}
            for number, count in sorted(published.INQUIRIES_BY_DISTRICT.items())
        ],
        "total": published.INQUIRIES_TOTAL,
        "notary_offices": published.NOTARY_OFFICES_TRAINED,
        "counter_offices": published.COUNTER_OFFICES_TRAINED,
    }


@reports_required
@require_http_methods(["GET"])
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """The same table for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads Persian),
    Latin digits, one row per district and a total."""
    return _download(
        request,
        "csv",
        _csv_body,
        content_type="text/csv; charset=utf-8",
    )


def _download(request: HttpRequest, extension: str, make, *, content_type: str) -> HttpResponse:
    """The figures as a file (``make(filters)``), kept with its name (``_kept``); 400 when the
    filters are not valid."""
    made = _kept(
        request,
        extension,
        lambda _form, filters: (_filename(filters, extension), make(filters)) if filters else None,
    )
    if made is None:
        return _invalid_filters()
    filename, content = made
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _csv_body(filters: Filters) -> str:
    report = _report(filters)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            _("District number"),
            _("District"),
            _("Inquiries"),
            *InquiryKind.labels,
            *Channel.labels,
            _("Answered"),
            _("Still open"),
            _("Overdue"),
            _("Withdrawn"),
            _("Average days to answer"),
        ]
    )
    for row in report.rows:
        writer.writerow(_csv_cells(row.district.number, row.district.name, row.figures))
    writer.writerow(_csv_cells("", _("All districts shown"), report.totals))
    return out.getvalue()


@reports_required
@require_http_methods(["GET"])
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """The same figures as an Excel workbook: a right-to-left sheet per district with a total row,
    and a sheet with the monthly trend; numbers as numbers."""
    return _download(
        request,
        "xlsx",
        lambda filters: xlsx.dashboard_workbook(
            _report(filters), trend(filters, timezone.localdate())
        ),
        content_type=xlsx.CONTENT_TYPE,
    )


def _invalid_filters() -> HttpResponse:
    return HttpResponse(
        _("The filters are not valid: correct them on the report page."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def _filename(filters: Filters, extension: str) -> str:
    """'shahrvand-districts-14050801-14050830.csv': the Jalali period, when there is one."""
    name = "-".join(
        "{0.year:04d}{0.month:02d}{0.day:02d}".format(jalali.to_jalali(day))
        for day in (filters.date_from, filters.date_to)
        if day
    )
    return f"shahrvand-districts{'-' + name if name else ''}.{extension}"


def _csv_text(value: str) -> str:
    """Text a spreadsheet would take for a formula (=, +, -, @ first) is kept as text."""
    return "'" + value if looks_like_formula(value) else value


def _csv_cells(number, name: str, figures: Figures) -> list:
    average = figures.average_days_to_answer
    return [
        number,
        _csv_text(name),
        figures.total,
        *(figures.by_kind.get(value, 0) for value in InquiryKind.values),
        *(figures.by_channel.get(value, 0) for value in Channel.values),
        figures.answered,
        figures.open,
        figures.overdue,
        figures.withdrawn,
        "" if average is None else f"{average:.1f}",
    ]
