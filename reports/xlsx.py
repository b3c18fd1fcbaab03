"""The dashboard's figures as an Excel workbook (openpyxl): right-to-left sheets with Persian
headers, numbers stored as numbers so that a spreadsheet can sum and chart them.

Sheet one: one row per district and a total row. Sheet two: inquiries filed per Jalali month and
district, with a total row.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from inquiries.kinds import InquiryKind
from inquiries.models import AnswerDecision
from inquiries.workflow import Channel
from shahrvand.spreadsheet import looks_like_formula

from .selectors import Figures, MonthlyReport, Report

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAYS_FORMAT = "0.0"
SHARE_FORMAT = "0%"


def _text(cell, value: str) -> None:
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) is stored as text and
    marked so (the quote prefix), never as a formula."""
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _sheet(workbook: Workbook, title: str, *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.sheet_view.rightToLeft = True
    return sheet


def _header(sheet, headers: list[str]) -> None:
    bold = Font(bold=True)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        _text(cell, header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = max(10, min(len(header), 24))
    sheet.freeze_panes = "C2"


def _figures(figures: Figures) -> list:
    """The figures' cells: counts as integers, days and shares as numbers (None left empty)."""
    return [
        figures.total,
        *(figures.by_kind.get(value, 0) for value in InquiryKind.values),
        *(figures.by_channel.get(value, 0) for value in Channel.values),
        figures.answered,
        figures.open,
        figures.overdue,
        figures.withdrawn,
        figures.in_time_share,
        figures.median_working_days,
        figures.p90_working_days,
        figures.average_days_to_answer,
        *(figures.by_decision.get(value, 0) for value in AnswerDecision.values),
    ]


def _formats(sheet, row: int) -> None:
    # The figures start in column 3: the total, the kinds, the channels, four states, the share.
    share = 3 + 1 + len(InquiryKind.values) + len(Channel.values) + 4
    sheet.cell(row=row, column=share).number_format = SHARE_FORMAT
    for column in range(share + 1, share + 4):
        sheet.cell(row=row, column=column).number_format = DAYS_FORMAT


def dashboard_workbook(report: Report, monthly: MonthlyReport) -> bytes:
    """The workbook's bytes."""
    workbook = Workbook()
    districts = _sheet(workbook, _("Districts"), first=True)
    _header(
        districts,
        [
            _("District number"),
            _("District"),
            _("Inquiries"),
            *(str(label) for label in InquiryKind.labels),
            *(str(label) for label in Channel.labels),
            _("Answered"),
            _("Still open"),
            _("Overdue"),
            _("Withdrawn"),
            _("Share answered within the deadline"),
            _("Median working days to answer"),
            _("90th percentile of working days to answer"),
            _("Average days to answer"),
            *(str(label) for label in AnswerDecision.labels),
        ],
    )
    line = 2
    for row in report.rows:
        districts.cell(row=line, column=1, value=row.district.number)
        _text(districts.cell(row=line, column=2), row.district.name)
        for column, value in enumerate(_figures(row.figures), start=3):
            districts.cell(row=line, column=column, value=value)
        _formats(districts, line)
        line += 1
    _text(districts.cell(row=line, column=2), _("All districts shown"))
    for column, value in enumerate(_figures(report.totals), start=3):
        districts.cell(row=line, column=column, value=value).font = Font(bold=True)
    districts.cell(row=line, column=2).font = Font(bold=True)
    _formats(districts, line)

    trend = _sheet(workbook, _("Per month"))
    _header(trend, [_("District number"), _("District"), *(m.label for m in monthly.months)])
    line = 2
    for district, counts in monthly.rows:
        trend.cell(row=line, column=1, value=district.number)
        _text(trend.cell(row=line, column=2), district.name)
        for column, count in enumerate(counts, start=3):
            trend.cell(row=line, column=column, value=count)
        line += 1
    _text(trend.cell(row=line, column=2), _("All districts shown"))
    trend.cell(row=line, column=2).font = Font(bold=True)
    for column, count in enumerate(monthly.totals, start=3):
        trend.cell(row=line, column=column, value=count).font = Font(bold=True)

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
