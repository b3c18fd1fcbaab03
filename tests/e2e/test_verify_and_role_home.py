"""Browser checks for the verification page after a revoked correction (red, no validity, a plain
"none in force") and for an office operator's home page (its main button files from the office)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from inquiries import services
from inquiries.models import Answer
from inquiries.tests.factories import InquiryFactory
from tests.e2e.test_accessibility import axe_violations, describe, sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DATA = {
    "decision": "no_objection",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
}
SHOTS = Path(settings.BASE_DIR) / "var" / "screens"


def _signed(inquiry, reviewer, manager) -> Answer:
    inquiry = type(inquiry).objects.get(pk=inquiry.pk)
    if inquiry.status == "submitted":
        inquiry = services.inquiry_review_start(actor=reviewer, inquiry=inquiry)
    answer = services.answer_prepare(actor=manager, inquiry=inquiry, data=DATA, dues=[])
    return services.answer_sign(actor=manager, answer=answer)


def test_a_revoked_correction_reads_red_with_no_answer_in_force(
    page, citizen, reviewer_d1, manager_d1
):
    inquiry = InquiryFactory(applicant=citizen)
    first = _signed(inquiry, reviewer_d1, manager_d1)
    correction = _signed(inquiry, reviewer_d1, manager_d1)
    services.answer_revoke(actor=manager_d1, answer=correction, reason="تصحیح نادرست")
    page.goto(page.base + f"/verify/{correction.verification_code}/")
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-result", "revoked")
    expect(verdict).to_have_class(re.compile(r"\bborder-danger\b"))
    expect(page.get_by_test_id("none-in-force")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"verify-revoked-{page.viewport_name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.goto(page.base + f"/verify/{first.verification_code}/")
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-result", "superseded")
    expect(page.get_by_test_id("none-in-force")).to_be_visible()


def test_an_office_operator_files_from_the_home_page_button(page, pishkhan_operator):
    sign_in_as(page, pishkhan_operator)
    page.goto(page.base + "/")
    page.screenshot(path=str(SHOTS / f"home-operator-{page.viewport_name}.png"), full_page=False)
    page.get_by_test_id("home-place").first.click()
    office = pishkhan_operator.office_memberships.get().office
    expect(page).to_have_url(page.base + f"/office/{office.pk}/file/")
    expect(page.locator("h1")).to_be_visible()
