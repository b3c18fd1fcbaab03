"""The monthly reports list in a browser, at a phone's 390 px and a desktop's 1366 px: readable
without sideways scrolling, 44 px download buttons, no serious accessibility violation, and the ICT
organisation's request for a month ending in a message and the month's reports. A screenshot goes
to ``E2E_SCREENSHOTS`` when it is set (monthly-reports-390.png, monthly-reports-1366.png)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from districts.models import District
from reports.models import MonthlyReport, MonthlyReportStatus
from tests.e2e.test_accessibility import axe_violations, describe, sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def listed():
    for number in (None, 1, 3):
        report = MonthlyReport.objects.create(
            year=1405,
            month=7,
            district=District.objects.get(number=number) if number else None,
            status=MonthlyReportStatus.READY,
            size=48_210,
            rendered_at=timezone.now(),
        )
        report.pdf.save("report.pdf", ContentFile(b"%PDF-1.7"), save=True)
    MonthlyReport.objects.create(year=1405, month=8, district=District.objects.get(number=5))


def test_the_monthly_reports_list_on_a_phone_and_a_desktop(page, ict_admin, listed):
    sign_in_as(page, ict_admin)
    page.goto(page.base + "/reports/monthly/")
    table = page.get_by_test_id("monthly-reports")
    expect(table.locator("li")).to_have_count(4)
    expect(page.get_by_test_id("monthly-download")).to_have_count(3)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls {overflow}px sideways"
    width = page.viewport_size["width"]
    for link in page.get_by_test_id("monthly-download").all():
        box = link.bounding_box()
        assert box["height"] >= 44
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the button is cut off"
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/monthly-reports-{width}.png", full_page=True)
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.locator("#id_month").select_option(index=1)
    page.get_by_test_id("monthly-request").get_by_role("button").click()
    expect(page.locator(".alert").first).to_be_visible()
    assert MonthlyReport.objects.count() > 4
