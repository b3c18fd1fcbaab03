"""The dashboard as a manager reads it: filters (period, district, kind, channel) limited to the
districts the reader may see, headline figures, the tables and charts beside them, the monthly
trend, the empty state, and a number of queries that does not grow with the districts' data."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from districts.models import District, KioskHelpLog
from inquiries.models import AnswerDecision
from inquiries.tests.factories import InquiryFactory
from shahrvand import jalali

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _days_ago(days: int) -> dt.datetime:
    return _at(timezone.localdate() - dt.timedelta(days=days))


def _jalali(day: dt.date) -> str:
    j = jalali.to_jalali(day)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_districts(response) -> list[int | None]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def spread():
    """Inquiries in districts 1 and 3, and a kiosk visit in each."""
    for number, channel, kind in (
        (1, "web", "transfer"),
        (1, "kiosk", "transfer"),
        (1, "notary_office", "bank"),
        (3, "counter_office", "agency"),
    ):
        InquiryFactory(
            district_number=number, channel=channel, kind=kind, submitted_at=_days_ago(3)
        )


def test_the_ict_admin_sees_every_district_on_screen_and_in_both_files(
    client_for, ict_admin, spread
):
    client = client_for(ict_admin)
    page = client.get("/reports/")
    assert [row["district"].number for row in page.context["rows"]] == [1, 2, 3, 4, 5]
    assert [district.number for district, _counts in page.context["monthly"].rows] == [
        1,
        2,
        3,
        4,
        5,
    ]
    html = page.content.decode()
    assert html.count('class="chart-bar"') >= 5
    for name in ("منطقه یک", "منطقه سه", "منطقه پنج"):
        assert name in html
    assert [row[0] for row in _csv(client.get("/reports/districts.csv"))[1:]] == [
        "1", "2", "3", "4", "5", "",
    ]  # fmt: skip
    assert _xlsx_districts(client.get("/reports/districts.xlsx")) == [1, 2, 3, 4, 5, None]


def test_a_district_manager_sees_only_their_district_on_screen_and_in_both_files(
    client_for, manager_d1, spread
):
    client = client_for(manager_d1)
    page = client.get("/reports/")
    html = page.content.decode()
    assert [row["district"].number for row in page.context["rows"]] == [1]
    assert "منطقه سه" not in html and "منطقه پنج" not in html
    # the district filter offers only their own district
    assert [d.number for d in page.context["form"].fields["district"].queryset] == [1]
    assert page.context["totals"]["figures"].total == 3
    assert [row[0] for row in _csv(client.get("/reports/districts.csv"))[1:]] == ["1", ""]
    assert _xlsx_districts(client.get("/reports/districts.xlsx")) == [1, None]


def test_a_manager_asking_for_another_district_is_refused_and_shown_nothing(
    client_for, manager_d1, spread
):
    client = client_for(manager_d1)
    page = client.get("/reports/", {"district": "3"})
    assert page.status_code == 200
    assert page.context["report"] is None
    assert page.context["form"].errors["district"]
    html = page.content.decode()
    assert "منطقه سه" not in html
    assert 'data-testid="district-report"' not in html
    assert client.get("/reports/districts.csv", {"district": "3"}).status_code == 400
    assert client.get("/reports/districts.xlsx", {"district": "3"}).status_code == 400


def test_the_ict_admin_narrows_the_dashboard_to_one_district(client_for, ict_admin, spread):
    client = client_for(ict_admin)
    page = client.get("/reports/", {"district": "3"})
    assert [row["district"].number for row in page.context["rows"]] == [3]
    assert page.context["totals"]["figures"].total == 1
    assert [
        row[0] for row in _csv(client.get("/reports/districts.csv", {"district": "3"}))[1:]
    ] == [
        "3",
        "",
    ]


def test_kind_and_channel_filters_change_the_figures(client_for, ict_admin, spread):
    client = client_for(ict_admin)

    def filed(**query) -> str:
        page = client.get("/reports/", query)
        return page.content.decode().split('data-testid="headline-filed">')[1].split("<")[0]

    assert filed() == "۴"
    assert filed(kind="transfer") == "۲"
    assert filed(channel="counter_office") == "۱"
    assert filed(kind="transfer", channel="kiosk") == "۱"
    assert filed(kind="agency", channel="web") == "۰"
    rows = _csv(client.get("/reports/districts.csv", {"kind": "bank"}))
    assert rows[-1][2] == "1"  # the total row's inquiries
    sheet = load_workbook(
        io.BytesIO(client.get("/reports/districts.xlsx", {"channel": "web"}).content)
    ).worksheets[0]
    assert sheet.cell(row=sheet.max_row, column=3).value == 1


def test_an_unknown_kind_or_channel_is_refused(client_for, ict_admin, spread):
    client = client_for(ict_admin)
    assert client.get("/reports/", {"kind": "lottery"}).context["report"] is None
    assert client.get("/reports/districts.csv", {"channel": "fax"}).status_code == 400


def test_nothing_filed_shows_the_empty_state_and_no_download(client_for, ict_admin):
    page = client_for(ict_admin).get("/reports/")
    html = page.content.decode()
    assert 'data-testid="report-empty"' in html
    assert 'data-testid="report-csv"' not in html and 'data-testid="report-xlsx"' not in html
    assert 'data-testid="headline-filed">۰<' in html
    assert 'data-testid="headline-in-time">—<' in html
    # the trend still has a month to show, with no lines
    assert len(page.context["monthly"].months) == 1
    assert 'class="chart-line"' not in html


def test_headline_figures_read_in_persian(client_for, ict_admin):
    filed = timezone.localdate() - dt.timedelta(days=20)
    for after, due_in in ((2, 10), (4, 10), (9, 5)):  # the last one answered late
        InquiryFactory(
            submitted_at=_at(filed),
            status="answered",
            answered_at=_at(filed + dt.timedelta(days=after), 12),
            due_date=filed + dt.timedelta(days=due_in),
            decision="no_objection",
        )
    InquiryFactory(submitted_at=_at(filed), status="withdrawn")
    html = client_for(ict_admin).get("/reports/").content.decode()
    assert 'data-testid="headline-filed">۴<' in html
    assert 'data-testid="headline-answered">۳<' in html
    assert 'data-testid="headline-withdrawn">۱<' in html
    assert 'data-testid="headline-in-time">۶۷٪<' in html
    median = html.split('data-testid="headline-median">')[1].split("<")[0]
    assert median and median != "—" and all(ch in "۰۱۲۳۴۵۶۷۸۹٫" for ch in median)


def test_the_tables_by_decision_age_and_kiosk(client_for, ict_admin, reviewer_d1):
    InquiryFactory(
        submitted_at=_days_ago(5),
        status="answered",
        answered_at=_days_ago(1),
        due_date=timezone.localdate(),
        decision="violations",
    )
    InquiryFactory(submitted_at=_days_ago(40), status="in_review", due_date=timezone.localdate())
    district = District.objects.get(number=1)
    KioskHelpLog.objects.create(
        district=district, staff=reviewer_d1, topic="other", resolution="", minutes=5
    )
    page = client_for(ict_admin).get("/reports/")
    decisions = {str(label): count for label, count in page.context["by_decision"]["rows"]}
    assert decisions[str(AnswerDecision.VIOLATIONS.label)] == 1
    assert sum(decisions.values()) == 1
    ages = page.context["by_age"]["rows"]
    assert ages[-1][1] == 1 and sum(count for _label, count in ages) == 1
    assert dict(page.context["kiosk"]["rows"])["منطقه یک"] == 1
    html = page.content.decode()
    for testid in ("by-kind", "by-channel", "by-decision", "by-age", "kiosk-visits"):
        assert f'data-testid="{testid}"' in html
    # the channels in Persian
    assert "شهروند، برخط" in html


def test_the_trend_runs_from_the_first_month_with_inquiries_for_all_time(client_for, ict_admin):
    InquiryFactory(district_number=5, submitted_at=_days_ago(70))
    InquiryFactory(district_number=1, submitted_at=_days_ago(1))
    months = client_for(ict_admin).get("/reports/").context["monthly"].months
    first = jalali.jalali_months_up_to(timezone.localdate() - dt.timedelta(days=70), 1)[0]
    this = jalali.jalali_months_up_to(timezone.localdate(), 1)[0]
    assert (months[0].key, months[-1].key) == (first.key, this.key)


def test_the_trend_covers_the_period_asked_for(client_for, ict_admin):
    today = timezone.localdate()
    start = today - dt.timedelta(days=100)
    page = client_for(ict_admin).get(
        "/reports/", {"date_from": _jalali(start), "date_to": _jalali(today)}
    )
    months = page.context["monthly"].months
    assert months[0].key == jalali.jalali_months_up_to(start, 1)[0].key
    assert months[-1].key == jalali.jalali_months_up_to(today, 1)[0].key


def test_the_page_reads_in_the_same_number_of_queries_for_two_or_four_districts(
    client_for, ict_admin
):
    client = client_for(ict_admin)
    client.get("/reports/")  # sessions and the reader's roles, once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reports/").status_code == 200
        return len(captured)

    for number in (1, 3):
        for days in (3, 40, 80):
            InquiryFactory(district_number=number, submitted_at=_days_ago(days))
    two = queries()
    for number in (4, 5):
        for days in (3, 40, 80, 200):
            InquiryFactory(district_number=number, submitted_at=_days_ago(days), status="in_review")
    assert queries() == two


def test_the_page_stays_within_a_fixed_number_of_queries(
    client_for, ict_admin, django_assert_max_num_queries
):
    for number in (1, 3, 4, 5):
        InquiryFactory(district_number=number, submitted_at=_days_ago(3))
    client = client_for(ict_admin)
    with django_assert_max_num_queries(20):
        client.get("/reports/", {"kind": "transfer"})


def test_a_launch_is_marked_only_where_a_district_starts_inside_the_period(client_for, ict_admin):
    today = timezone.localdate()
    this_month = jalali.jalali_months_up_to(today, 1)[0]
    three_back = jalali.jalali_months_up_to(today, 4)[0]
    # district 1 ran before the period; district 5 starts in its last month
    InquiryFactory(
        district_number=1, submitted_at=_at(three_back.first_day - dt.timedelta(days=40))
    )
    InquiryFactory(district_number=1, submitted_at=_at(three_back.first_day))
    InquiryFactory(district_number=5, submitted_at=_at(this_month.first_day))
    client = client_for(ict_admin)

    def launched(**query) -> set[str]:
        html = client.get("/reports/", query).content.decode()
        chart = html.split('data-testid="trend-chart"')[1].split("</svg>")[0]
        return {
            part.split(">")[1].split("<")[0]
            for part in chart.split('class="chart-launch-label"')[1:]
        }

    assert launched(date_from=_jalali(three_back.first_day)) == {"منطقه پنج"}
    assert launched() == {"منطقه یک", "منطقه پنج"}  # all time: every first month is a launch


def test_a_long_period_shows_its_last_ten_years_of_months(client_for, ict_admin):
    page = client_for(ict_admin).get("/reports/", {"date_from": "1390/01/01"})
    months = page.context["monthly"].months
    assert len(months) == 120
    assert months[-1].key == jalali.jalali_months_up_to(timezone.localdate(), 1)[0].key
