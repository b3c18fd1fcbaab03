import csv
import datetime as dt
import io

import pytest
from django.utils import timezone, translation

from accounts.roles import roles_of
from districts.models import District
from inquiries.tests.factories import InquiryFactory
from reports import published
from reports.selectors import district_report, districts_for_reports, monthly_report

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _inquiry(day: dt.date, *, district_number: int = 1, hour: int = 10, **fields):
    return InquiryFactory(district_number=district_number, submitted_at=_at(day, hour), **fields)


def test_figures_per_district_by_kind_channel_and_state():
    day = dt.date(2026, 11, 1)
    _inquiry(day, kind="transfer", channel="web")
    _inquiry(day, kind="bank", channel="counter_office", status="in_review", due_date=TODAY)
    _inquiry(  # waiting on the applicant: not the district's delay, as in the review queue
        day,
        kind="agency",
        channel="notary_office",
        status="needs_info",
        due_date=TODAY - dt.timedelta(days=3),
    )
    _inquiry(day, kind="transfer", channel="kiosk", due_date=TODAY - dt.timedelta(days=1))
    _inquiry(
        day,
        status="answered",
        answered_at=_at(day, 10) + dt.timedelta(days=3),
    )
    _inquiry(day, status="answered", answered_at=_at(day, 10) + dt.timedelta(days=5))
    _inquiry(day, status="withdrawn")
    _inquiry(day, district_number=3, channel="kiosk")

    report = district_report(District.objects.order_by("number"), today=TODAY)
    rows = {row.district.number: row.figures for row in report.rows}
    assert sorted(rows) == [1, 2, 3, 4, 5]  # every district, with zeros where nothing was filed
    one = rows[1]
    assert one.total == 7
    assert one.by_kind == {"transfer": 5, "bank": 1, "agency": 1}
    assert one.by_channel == {"web": 4, "counter_office": 1, "notary_office": 1, "kiosk": 1}
    assert (one.answered, one.open, one.overdue, one.withdrawn) == (2, 4, 1, 1)
    assert one.average_days_to_answer == pytest.approx(4.0)
    assert rows[2].total == 0 and rows[2].average_days_to_answer is None
    assert rows[3].total == 1 and rows[3].by_channel["kiosk"] == 1
    assert report.totals.total == 8
    assert report.totals.by_channel["kiosk"] == 2
    assert report.totals.average_days_to_answer == pytest.approx(4.0)


def test_the_period_takes_whole_local_days_at_both_ends():
    first, last = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    _inquiry(first, hour=0)  # just after midnight in Tehran: inside
    _inquiry(last, hour=23)  # late on the last day: inside
    _inquiry(first - dt.timedelta(days=1), hour=23)  # the evening before: outside
    _inquiry(last + dt.timedelta(days=1), hour=0)  # the next morning: outside
    report = district_report(
        District.objects.filter(number=1), date_from=first, date_to=last, today=TODAY
    )
    assert report.rows[0].figures.total == 2
    open_ended = district_report(District.objects.filter(number=1), date_from=first, today=TODAY)
    assert open_ended.rows[0].figures.total == 3


def test_the_report_reads_in_a_fixed_number_of_queries(django_assert_num_queries):
    for number in (1, 3, 4, 5):
        for _ in range(3):
            _inquiry(dt.date(2026, 11, 1), district_number=number)
    districts = District.objects.order_by("number")
    # the districts, the summed figures, the answer times, and the overdue count through the
    # queue's partial index: the same four whatever the number of inquiries
    with django_assert_num_queries(4):
        district_report(districts, today=TODAY)


def test_who_sees_which_districts(ict_admin, manager_d1, reviewer_d1, citizen):
    assert list(districts_for_reports(roles_of(ict_admin)).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert list(districts_for_reports(roles_of(manager_d1)).values_list("number", flat=True)) == [1]
    assert not districts_for_reports(roles_of(reviewer_d1)).exists()
    assert not districts_for_reports(roles_of(citizen)).exists()


def test_the_published_figures_add_up():
    assert sum(published.INQUIRIES_BY_DISTRICT.values()) == published.INQUIRIES_TOTAL == 16_244


# --- views -----------------------------------------------------------------------------------------


def test_only_the_ict_organisation_and_district_managers_open_reports(
    client_for, client, ict_admin, manager_d1, reviewer_d1, citizen, kiosk_clerk
):
    assert client.get("/reports/").status_code == 302  # to sign in
    for user in (reviewer_d1, citizen, kiosk_clerk):
        assert client_for(user).get("/reports/").status_code == 403
        assert client_for(user).get("/reports/districts.csv").status_code == 403
    assert client_for(ict_admin).get("/reports/").status_code == 200
    assert client_for(manager_d1).get("/reports/").status_code == 200


def test_a_manager_sees_only_their_district(client_for, manager_d1):
    _inquiry(dt.date(2026, 11, 1), district_number=1)
    _inquiry(dt.date(2026, 11, 1), district_number=3)
    page = client_for(manager_d1).get("/reports/")
    assert [row["district"].number for row in page.context["rows"]] == [1]
    assert page.context["published"] is None  # the city-wide figures are the ICT organisation's
    rows = list(
        csv.reader(
            io.StringIO(
                client_for(manager_d1).get("/reports/districts.csv").content.decode("utf-8-sig")
            )
        )
    )
    assert [row[0] for row in rows[1:]] == ["1", ""]  # district 1 and the total, nothing else


def test_the_page_shows_figures_in_persian_and_the_published_ones(client_for, ict_admin):
    _inquiry(dt.date(2026, 11, 1), district_number=5)
    page = client_for(ict_admin).get("/reports/")
    html = page.content.decode()
    assert 'data-district="5"' in html and 'data-district="all"' in html
    assert "۱۶٬۲۴۴" in html  # the published total
    assert 'data-testid="report-csv"' in html


def test_an_invalid_period_is_explained_and_nothing_is_counted(client_for, ict_admin):
    page = client_for(ict_admin).get(
        "/reports/", {"date_from": "1405/09/20", "date_to": "1405/09/01"}
    )
    assert page.status_code == 200 and page.context["report"] is None
    assert page.context["form"].errors["date_to"]
    page = client_for(ict_admin).get("/reports/", {"date_from": "1405/13/40"})
    assert page.context["form"].errors["date_from"]
    csv_response = client_for(ict_admin).get(
        "/reports/districts.csv", {"date_from": "1405/09/20", "date_to": "1405/09/01"}
    )
    assert csv_response.status_code == 400


def test_an_empty_period_says_so(client_for, ict_admin):
    page = client_for(ict_admin).get(
        "/reports/", {"date_from": "1400/01/01", "date_to": "1400/01/31"}
    )
    assert 'data-testid="report-empty"' in page.content.decode()


def test_csv_has_one_row_per_district_and_a_total_for_the_period(client_for, ict_admin):
    _inquiry(dt.date(2026, 11, 1), kind="bank", channel="notary_office")
    _inquiry(dt.date(2026, 11, 2), district_number=4)
    _inquiry(dt.date(2026, 10, 1))  # before the period
    response = client_for(ict_admin).get(
        "/reports/districts.csv", {"date_from": "1405/08/10", "date_to": "1405/08/30"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="shahrvand-districts-14050810-14050830.csv"'
    )
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # so Excel reads the Persian headers
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header, districts, total = rows[0], rows[1:-1], rows[-1]
    assert len(header) == len(total) == 16  # a column per channel, the institution API too
    assert [row[0] for row in districts] == ["1", "2", "3", "4", "5"]
    by_number = {row[0]: row for row in districts}
    assert by_number["1"][2:6] == ["1", "0", "1", "0"]  # one bank inquiry
    assert by_number["4"][2] == "1"
    assert total[2] == "2"


def test_jalali_months_cross_the_year_and_know_their_gregorian_bounds():
    from shahrvand.jalali import jalali_months_up_to

    months = jalali_months_up_to(dt.date(2026, 3, 25), 3)  # 1405/01/05
    assert [m.key for m in months] == ["1404/11", "1404/12", "1405/01"]
    assert months[-1].first_day == dt.date(2026, 3, 21)  # Nowruz 1405
    assert months[1].next_first_day == months[2].first_day
    with translation.override("fa"):
        assert months[-1].label == "فروردین ۱۴۰۵"


def test_monthly_counts_follow_jalali_months_in_local_time(django_assert_num_queries):
    from shahrvand.jalali import jalali_months_up_to

    months = jalali_months_up_to(dt.date(2026, 11, 29), 3)  # Mehr, Aban, Azar 1405
    aban_first = months[1].first_day  # 1405/08/01 = 2026-10-23
    _inquiry(aban_first, hour=0)  # just after midnight in Tehran: Aban
    _inquiry(aban_first - dt.timedelta(days=1), hour=23)  # the evening before: Mehr
    _inquiry(months[2].first_day, district_number=3)  # Azar, district 3
    _inquiry(months[0].first_day - dt.timedelta(days=1))  # before the window: not counted
    districts = District.objects.filter(number__in=[1, 3]).order_by("number")
    with django_assert_num_queries(2):
        report = monthly_report(districts, months)
    assert [(d.number, counts) for d, counts in report.rows] == [(1, [1, 1, 0]), (3, [0, 0, 1])]
    assert report.totals == [1, 1, 1]


def test_the_page_shows_the_monthly_table_for_the_managers_district(client_for, manager_d1):
    _inquiry(timezone.localdate())
    _inquiry(timezone.localdate(), district_number=3)
    page = client_for(manager_d1).get("/reports/")
    monthly = page.context["monthly"]
    assert [d.number for d, _counts in monthly.rows] == [1]
    assert monthly.rows[0][1][-1] == 1  # this month
    assert 'data-testid="monthly-report"' in page.content.decode()


def test_csv_keeps_a_name_that_looks_like_a_formula_as_text(client_for, ict_admin):
    District.objects.filter(number=4).update(name='=HYPERLINK("http://example.invalid")')
    body = client_for(ict_admin).get("/reports/districts.csv").content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(body)) if r[0] == "4")
    assert row[1].startswith("'=")
