"""The reports dashboard in a browser, at a phone's 390 px and a desktop's 1366 px: the charts show
and fit the width (the page never scrolls sideways), each is followed by its table, a filter
narrows the figures, and axe finds no serious or critical violation. Screenshots go to
``E2E_SCREENSHOTS`` when it is set (dashboard-390.png, dashboard-1366.png)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from districts.models import District, KioskHelpLog
from inquiries.tests.factories import InquiryFactory
from tests.e2e.test_accessibility import axe_violations, describe, sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = (
    "by-district-chart",
    "by-channel-chart",
    "by-age-chart",
    "kiosk-visits-chart",
    "trend-chart",
)


def _days_ago(days: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _screenshot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def history(ict_admin):
    """District 1 since seven months ago, district 5 since four, district 3 since this month; some
    answered, some open, a kiosk visit."""
    channels = ("web", "counter_office", "notary_office", "kiosk")
    for number, first, step in ((1, 210, 9), (5, 120, 11), (3, 12, 4)):
        for index, days in enumerate(range(first, 0, -step)):
            answered = index % 3 == 0 and days > 10
            InquiryFactory(
                district_number=number,
                submitted_at=_days_ago(days),
                channel=channels[index % 4],
                kind=("transfer", "bank", "agency")[index % 3],
                status="answered" if answered else "in_review",
                answered_at=_days_ago(days - 6) if answered else None,
                decision="conditional" if answered else "",
                due_date=(timezone.localdate() - dt.timedelta(days=days - 10)),
            )
    KioskHelpLog.objects.create(
        district=District.objects.get(number=1),
        staff=ict_admin,
        topic="other",
        resolution="",
        minutes=5,
    )


def test_the_dashboard_reads_at_a_glance_on_a_phone_and_a_desktop(
    page, ict_admin, history, tmp_path
):
    sign_in_as(page, ict_admin)
    page.goto(page.base + "/reports/")
    width = page.viewport_size["width"]

    for testid in CHARTS:
        chart = page.get_by_test_id(testid)
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box["width"] > 0.5 * min(width, 600), testid
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, testid
        # the chart's table follows it
        assert chart.locator("xpath=ancestor::figure/following-sibling::*[1]").count() == 1
    # the page never scrolls sideways: wide tables scroll inside their own box
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls {overflow}px sideways at {width}px"
    expect(page.get_by_test_id("district-report")).to_be_visible()
    expect(page.get_by_test_id("monthly-report").locator("table")).to_have_count(1)
    for testid in ("by-kind", "by-channel", "by-decision", "by-age", "kiosk-visits"):
        expect(page.get_by_test_id(testid).locator("table")).to_have_count(1)
    # three districts with inquiries: three lines, each launch named on the chart
    trend = page.get_by_test_id("trend-chart")
    expect(trend.locator("polyline.chart-line")).to_have_count(3)
    expect(trend.locator("text.chart-launch-label")).to_have_count(3)
    _screenshot(page, tmp_path, f"dashboard-{width}")

    violations = axe_violations(page)
    assert not violations, describe(violations)

    # One district: its bar alone, its figures in the headline.
    page.locator("#id_district").select_option("3")
    page.get_by_test_id("show-report").click()
    expect(page.get_by_test_id("by-district-chart").locator("rect.chart-bar")).to_have_count(1)
    expect(page.locator('[data-testid=district-report] tr[data-district="1"]')).to_have_count(0)
    expect(page.get_by_test_id("headline-filed")).to_have_text("۳")
