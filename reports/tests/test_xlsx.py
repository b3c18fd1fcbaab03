"""The dashboard as an Excel workbook, opened back with openpyxl: right-to-left sheets, Persian
headers, numbers stored as numbers, a total row, the monthly trend, the Jalali period in the file's
name, not cached, and a district's name never run as a formula."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from districts.models import District
from inquiries.tests.factories import InquiryFactory
from shahrvand import jalali

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _jalali(day: dt.date) -> str:
    j = jalali.to_jalali(day)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


@pytest.fixture
def figures():
    filed = timezone.localdate() - dt.timedelta(days=10)
    for number in (1, 1, 3):
        InquiryFactory(district_number=number, submitted_at=_at(filed))
    InquiryFactory(
        district_number=1,
        submitted_at=_at(filed),
        status="answered",
        answered_at=_at(filed + dt.timedelta(days=2)),
        due_date=filed + dt.timedelta(days=10),
        decision="no_objection",
    )
    return filed


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def test_the_workbook_reads_right_to_left_with_persian_headers_and_numbers(
    client_for, ict_admin, figures
):
    response = client_for(ict_admin).get("/reports/districts.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == 'attachment; filename="shahrvand-districts.xlsx"'
    book = _workbook(response)
    districts, trend = book.worksheets
    assert districts.sheet_view.rightToLeft and trend.sheet_view.rightToLeft
    headers = [cell.value for cell in districts[1]]
    assert headers[:3] == ["شماره منطقه", "منطقه", "استعلام‌ها"]
    assert "سهم پاسخ‌های در مهلت" in headers
    rows = {row[0]: row for row in districts.iter_rows(min_row=2, values_only=True)}
    assert sorted(rows, key=lambda n: n or 0) == [None, 1, 2, 3, 4, 5]
    one, total = rows[1], rows[None]
    assert one[1] == "منطقه یک"
    assert one[2] == 3 and isinstance(one[2], int)
    assert one[headers.index("پاسخ داده شد")] == 1
    share = headers.index("سهم پاسخ‌های در مهلت")
    assert one[share] == 1.0 and districts.cell(row=2, column=share + 1).number_format == "0%"
    assert rows[2][share] is None  # nothing answered: left empty, not "—"
    assert total[1] == "همهٔ مناطق نمایش‌داده‌شده"
    assert total[2] == 4


def test_the_second_sheet_holds_the_monthly_trend_with_a_total(client_for, ict_admin, figures):
    book = _workbook(client_for(ict_admin).get("/reports/districts.xlsx"))
    trend = book.worksheets[1]
    month = jalali.jalali_months_up_to(figures, 1)[0]
    headers = [cell.value for cell in trend[1]]
    assert month.label in headers  # 'آذر ۱۴۰۵': Jalali month names in the reader's language
    column = headers.index(month.label)
    counts = {row[0]: row[column] for row in trend.iter_rows(min_row=2, values_only=True)}
    assert counts[1] == 3 and counts[3] == 1 and counts[None] == 4


def test_the_file_is_named_after_the_jalali_period_and_follows_the_filters(
    client_for, ict_admin, figures
):
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    query = {"date_from": _jalali(start), "date_to": _jalali(today), "district": "3"}
    response = client_for(ict_admin).get("/reports/districts.xlsx", query)
    name = "-".join(_jalali(day).replace("/", "") for day in (start, today))
    assert response["Content-Disposition"] == (
        f'attachment; filename="shahrvand-districts-{name}.xlsx"'
    )
    rows = list(_workbook(response).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [3, None]
    assert rows[-1][2] == 1


def test_a_district_name_that_looks_like_a_formula_stays_text(client_for, ict_admin, figures):
    District.objects.filter(number=1).update(name='=HYPERLINK("http://x","y")')
    book = _workbook(client_for(ict_admin).get("/reports/districts.xlsx"))
    for sheet in book.worksheets:
        cell = sheet.cell(row=2, column=2)
        assert cell.value == '=HYPERLINK("http://x","y")'
        assert cell.data_type == "s"  # text, not a formula


def test_the_download_link_sits_beside_the_csv_one_with_the_same_filters(
    client_for, ict_admin, figures
):
    html = client_for(ict_admin).get("/reports/", {"kind": "transfer"}).content.decode()
    assert 'href="/reports/districts.csv?kind=transfer"' in html
    assert 'href="/reports/districts.xlsx?kind=transfer"' in html
