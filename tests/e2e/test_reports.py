"""The ICT organisation in a browser: opens the statistics, sees each district's figures, narrows
them to a Jalali period (a wrong one is explained), and downloads the table as CSV."""

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inquiries.tests.factories import InquiryFactory
from shahrvand import jalali
from tests.e2e.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _jalali(day: dt.date) -> str:
    j = jalali.to_jalali(day)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


def test_ict_admin_reads_district_figures_for_a_period_and_downloads_them(page, ict_admin):
    today = timezone.localdate()
    recent = timezone.now() - dt.timedelta(days=2)
    for number, count in ((1, 3), (5, 2)):
        for _ in range(count):
            InquiryFactory(district_number=number, submitted_at=recent)
    InquiryFactory(district_number=3, submitted_at=recent - dt.timedelta(days=60))
    staff_sign_in(page, ict_admin.username)

    page.goto(page.base + "/")
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():  # the phone's collapsed menu
        toggler.click()
    page.locator("#main-nav a[href='/reports/']").click()
    expect(page).to_have_url(page.base + "/reports/")
    table = page.get_by_test_id("district-report")
    expect(table.locator('tr[data-district="1"] [data-testid=total]')).to_have_text("۳")
    expect(table.locator('tr[data-district="5"] [data-testid=total]')).to_have_text("۲")
    expect(table.locator('tr[data-district="all"] [data-testid=total]')).to_have_text("۶")
    expect(page.get_by_test_id("published-figures")).to_contain_text("۱۶٬۲۴۴")
    # The monthly table: this Jalali month holds the five recent ones, unless they fell in the last.
    this_month = jalali.jalali_months_up_to(today, 1)[0]
    in_this_month = 5 if timezone.localtime(recent).date() >= this_month.first_day else 0
    monthly = page.get_by_test_id("monthly-report")
    expect(monthly.locator('tr[data-district="all"] td').last).to_have_text(
        "۵" if in_this_month else "۰"
    )

    # The last month only: district 3's inquiry two months ago drops out.
    page.locator("#id_date_from").fill(_jalali(today - dt.timedelta(days=30)))
    page.locator("#id_date_to").fill(_jalali(today))
    page.get_by_test_id("show-report").click()
    expect(table.locator('tr[data-district="3"] [data-testid=total]')).to_have_text("۰")
    expect(table.locator('tr[data-district="all"] [data-testid=total]')).to_have_text("۵")

    with page.expect_download() as download_info:
        page.get_by_test_id("report-csv").click()
    download = download_info.value
    assert download.suggested_filename.startswith("shahrvand-districts-")
    with open(download.path(), encoding="utf-8-sig") as saved:
        rows = list(csv.reader(io.StringIO(saved.read())))
    assert {row[0]: row[2] for row in rows[1:]} == {
        "1": "3",
        "2": "0",
        "3": "0",
        "4": "0",
        "5": "2",
        "": "5",
    }

    # A period that ends before it starts is refused, beside the field, and nothing is shown.
    page.locator("#id_date_from").fill(_jalali(today))
    page.locator("#id_date_to").fill(_jalali(today - dt.timedelta(days=10)))
    page.get_by_test_id("show-report").click()
    expect(page.locator("#id_date_to")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(table).to_have_count(0)

    # A period with nothing filed says so.
    page.locator("#id_date_from").fill("1400/01/01")
    page.locator("#id_date_to").fill("1400/01/31")
    page.get_by_test_id("show-report").click()
    expect(page.get_by_test_id("report-empty")).to_be_visible()
