"""Per-district statistics for the ICT organisation (every district) and district managers (their
own), on screen and as CSV for a spreadsheet."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import reports_required
from accounts.roles import roles_of
from inquiries.kinds import InquiryKind
from inquiries.workflow import Channel
from shahrvand import jalali
from shahrvand.spreadsheet import looks_like_formula
from shahrvand.text import format_days

from . import published
from .forms import PeriodForm
from .selectors import Figures, Report, district_report, districts_for_reports, monthly_report

RECENT_MONTHS = 12


def _report(request: HttpRequest, districts) -> tuple[PeriodForm, Report | None]:
    """The report for the period asked for; None while the period is not valid."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    period = form.cleaned_data if form.is_bound else {}
    return form, district_report(
        districts, date_from=period.get("date_from"), date_to=period.get("date_to")
    )


def _line(figures: Figures) -> dict:
    return {
        "figures": figures,
        "by_kind": [figures.by_kind.get(value, 0) for value in InquiryKind.values],
        "by_channel": [figures.by_channel.get(value, 0) for value in Channel.values],
        "average_days": format_days(figures.average_days_to_answer) or "—",
    }


@reports_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    districts = districts_for_reports(roles)
    form, report = _report(request, districts)
    rows = []
    if report is not None:
        rows = [{"district": row.district, **_line(row.figures)} for row in report.rows]
    months = jalali.jalali_months_up_to(timezone.localdate(), RECENT_MONTHS)
    monthly = monthly_report(districts, months)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "report": report,
            "rows": rows,
            "totals": _line(report.totals) if report is not None else None,
            "kinds": InquiryKind.labels,
            "channels": Channel.labels,
            "csv_query": request.GET.urlencode(),
            "published": _published(report) if roles.is_ict_admin and report else None,
            "monthly": monthly,
        },
    )


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
    form, report = _report(request, districts_for_reports(roles_of(request.user)))
    if report is None:
        return HttpResponse(
            _("The period is not valid: correct it on the report page."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    period = form.cleaned_data if form.is_bound else {}
    name = "-".join(
        "{0.year:04d}{0.month:02d}{0.day:02d}".format(jalali.to_jalali(period[key]))
        for key in ("date_from", "date_to")
        if period.get(key)
    )
    response["Content-Disposition"] = (
        f'attachment; filename="shahrvand-districts{"-" + name if name else ""}.csv"'
    )
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
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
    return response


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
