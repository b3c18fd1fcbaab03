"""The ICT organisation in a browser: records a visit to a counter office with a finding, finds it
among the open findings, marks it as being fixed, then resolves it with a note, and it leaves the
list. Fields are found by id and buttons by data-testid: the labels change with the translation."""

import re

import pytest
from playwright.sync_api import expect

from counters.models import CounterOffice, FindingCategory, FindingState, VisitFinding
from districts.models import District
from tests.e2e.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _save(page, form_id: str) -> None:
    page.locator(f"#{form_id} [data-testid=save]").click()


def test_ict_admin_records_a_visit_and_follows_its_finding_until_resolved(page, ict_admin):
    office = CounterOffice.objects.create(
        kind="counter",
        number=1203,
        name="دفتر پیشخوان امام",
        licence="P-1203",
        district=District.objects.get(number=1),
        address="ارومیه، خیابان امام",
    )
    category = FindingCategory.objects.filter(is_active=True).order_by("order").last()
    description = "رایانه باجه دوم به اینترنت وصل نمی‌شود"
    staff_sign_in(page, ict_admin.username)

    page.goto(page.base + f"/offices/{office.pk}/visits/new/")
    expect(page.get_by_test_id("visit-office")).to_contain_text(office.name)
    page.locator("#id_notes").fill("بازدید دوره‌ای")
    page.locator("#id_findings-0-category").select_option(str(category.pk))
    page.locator("#id_findings-0-description").fill(description)
    _save(page, "visit-form")
    expect(page).to_have_url(page.base + f"/offices/{office.pk}/")
    finding = VisitFinding.objects.get()
    assert (finding.category, finding.description, finding.state) == (
        category,
        description,
        FindingState.OPEN,
    )

    page.goto(page.base + "/offices/findings/")
    row = page.locator(f'[data-testid=findings] tr[data-finding="{finding.pk}"]')
    expect(row).to_contain_text(description)
    expect(row).to_have_attribute("data-state", "open")
    row.get_by_test_id("finding-update").click()
    page.locator("input[name=state][value=fixing]").check()
    _save(page, "finding-form")
    expect(page).to_have_url(page.base + "/offices/findings/")
    expect(row).to_have_attribute("data-state", "fixing")

    row.get_by_test_id("finding-update").click()
    expect(page.get_by_test_id("fixing-since")).to_be_visible()
    page.locator("input[name=state][value=resolved]").check()
    _save(page, "finding-form")  # no note yet: refused, and said beside the note
    expect(page.locator("#id_note")).to_have_class(re.compile(r"\bis-invalid\b"))
    page.locator("#id_note").fill("مودم جدید نصب و اتصال آزمایش شد")
    _save(page, "finding-form")
    expect(page).to_have_url(page.base + "/offices/findings/")
    expect(page.get_by_test_id("findings-empty")).to_be_visible()
    expect(row).to_have_count(0)

    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED
    assert finding.resolution == "مودم جدید نصب و اتصال آزمایش شد"
    assert finding.fixing_since is not None and finding.resolved_on is not None
