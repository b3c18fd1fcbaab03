"""axe-core on every page a person passes through, at a phone (390 px) and a desktop (1366 px)
width: no serious or critical violation. The engine is the npm package ``axe-core``, kept in
``tests/e2e/vendor/axe-core/`` (see its README) and injected into each page; a missing engine is a
failure, never a skip."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from inquiries import services
from inquiries.kinds import InquiryKind
from inquiries.tests.factories import InquiryFactory, complete_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The impacts that fail the test; AXE_IMPACTS=minor,moderate,serious,critical shows everything.
BLOCKING = tuple(os.environ.get("AXE_IMPACTS", "serious,critical").split(","))

ANSWER = {
    "decision": "conditional",
    "building_status": "completed",
    "certificate_type": "completion",
    "certificate_number": "1401/555",
    "certificate_date": dt.date(2022, 6, 1),
    "land_use_plan": "residential",
    "road_widening": "partly",
    "road_widening_note": "۲ متر از ضلع شمالی",
    "conditions": "تسویه عوارض پیش از انتقال",
}


def axe_violations(page) -> list[dict]:
    """The serious and critical violations axe-core finds on the page as it is now."""
    assert AXE.is_file(), f"axe-core is missing at {AXE} (see tests/e2e/vendor/axe-core/README.md)"
    # Evaluated, not added as a <script>: the Content-Security-Policy refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(' '), impact: n.impact,
                    summary: n.failureSummary, html: n.html.slice(0, 200),
                })),
            }));
        }"""
    )
    return [v for v in results if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}  {node['html']}\n        {summary}")
    return "\n".join(lines)


def sign_in_as(page, user) -> None:
    """Signed in through a session made by Django's test client (no SMS or password round trip)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base,
            }
        ]
    )


def _citizen_code_step(page, get):
    citizen = get("citizen")
    page.goto(page.base + "/accounts/citizen/")
    page.locator("#id_national_id").fill(citizen.national_id)
    page.locator("#id_mobile").fill(citizen.mobile)
    page.locator("#id_mobile").press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/citizen/code/$"))


def _citizen_sign_in_refused(page, get):
    page.goto(page.base + "/accounts/citizen/")
    page.locator("#id_national_id").fill("1234567890")  # fails the check digit
    page.locator("#id_mobile").fill("0912")
    page.locator("#id_mobile").press("Enter")
    expect(page.locator(".invalid-feedback").first).to_be_visible()


def _property_refused(page, get):
    """A step sent with its fields wrong shows each error beside its field."""
    citizen = get("citizen")
    draft = complete_draft(citizen)
    sign_in_as(page, citizen)
    page.goto(page.base + f"/inquiries/drafts/{draft.pk}/property/")
    page.locator("#id_renovation_code").fill("1-3")
    page.locator("#id_area_m2").fill("abc")
    page.locator("#id_area_m2").press("Enter")
    expect(page.locator(".invalid-feedback").first).to_be_visible()


def _draft_step(step, kind=InquiryKind.TRANSFER):
    def open_step(page, get):
        citizen = get("citizen")
        draft = complete_draft(citizen, kind=kind)
        sign_in_as(page, citizen)
        page.goto(page.base + f"/inquiries/drafts/{draft.pk}/{step}/")

    return open_step


def _citizen_page(path_of):
    def open_page(page, get):
        citizen = get("citizen")
        inquiry = InquiryFactory(applicant=citizen)
        sign_in_as(page, citizen)
        page.goto(page.base + path_of(inquiry))

    return open_page


def _submitted(page, get):
    citizen = get("citizen")
    draft = complete_draft(citizen)
    sign_in_as(page, citizen)
    page.goto(page.base + f"/inquiries/drafts/{draft.pk}/review/")
    page.locator("form[action$='/submit/'] button[type=submit]").press("Enter")
    expect(page.get_by_test_id("tracking-code")).to_be_visible()


def _track_result(page, get):
    inquiry = InquiryFactory(applicant=get("citizen"))
    page.goto(page.base + "/track/")
    page.locator("#id_tracking_code").fill(inquiry.tracking_code_display())
    page.locator("#id_national_id").fill(inquiry.applicant_national_id)
    page.locator("#id_national_id").press("Enter")
    expect(page.locator("main")).to_contain_text(inquiry.tracking_code_display())


def _in_review(get):
    inquiry = InquiryFactory(applicant=get("citizen"))
    return services.inquiry_review_start(actor=get("reviewer_d1"), inquiry=inquiry)


def _signed(get, monkeypatch):
    monkeypatch.setattr("inquiries.tasks.answer_pdf_enqueue", lambda pk: None)
    inquiry = _in_review(get)
    answer = services.answer_prepare(
        actor=get("reviewer_d1"), inquiry=inquiry, data=ANSWER, dues=[("عوارض نوسازی", 1_250_000)]
    )
    return services.answer_sign(actor=get("manager_d1"), answer=answer)


def _staff_page(persona, path_of):
    def open_page(page, get):
        inquiry = _in_review(get)
        sign_in_as(page, get(persona))
        page.goto(page.base + path_of(inquiry))

    return open_page


def _answer_form_lines_added(page, get):
    """The dues lines as the script builds them: one added by keyboard, with amounts and a total."""
    _staff_page("reviewer_d1", lambda i: f"/staff/inquiries/{i.tracking_code}/answer/")(page, get)
    page.get_by_test_id("dues-add").press("Enter")
    page.locator("#id_dues-0-amount_rials").fill("۲۵۰۰۰۰۰")
    expect(page.get_by_test_id("dues-total")).not_to_be_empty()


def _sign_page(page, get):
    inquiry = _in_review(get)
    answer = services.answer_prepare(
        actor=get("reviewer_d1"), inquiry=inquiry, data=ANSWER, dues=[("عوارض نوسازی", 1_250_000)]
    )
    sign_in_as(page, get("manager_d1"))
    page.goto(page.base + f"/staff/inquiries/{inquiry.tracking_code}/answers/{answer.pk}/sign/")


def _as(persona, path):
    def open_page(page, get):
        sign_in_as(page, get(persona))
        page.goto(page.base + path)

    return open_page


def _verify_valid(page, get):
    answer = _signed(get, get("monkeypatch"))
    page.goto(page.base + f"/verify/{answer.verification_code}/")
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-result", "valid")


def _answered_inquiry(page, get):
    answer = _signed(get, get("monkeypatch"))
    sign_in_as(page, get("citizen"))
    page.goto(page.base + f"/inquiries/{answer.inquiry.tracking_code}/")


def _menu_open(page, get):
    """On a phone the menu opens from its button; at desktop width it is always shown."""
    sign_in_as(page, get("citizen"))
    page.goto(page.base + "/")
    if page.viewport_name == "phone":
        page.locator(".navbar-toggler").press("Enter")
        expect(page.locator("#main-nav")).to_be_visible()


def _needs_info(get):
    from inquiries.models import DeficiencyReason

    inquiry = _in_review(get)
    return services.inquiry_info_request(
        actor=get("reviewer_d1"),
        inquiry=inquiry,
        reasons=list(DeficiencyReason.objects.filter(is_active=True)[:1]),
        note="لطفاً صفحه دوم سند را هم بفرستید.",
    )


def _citizen_needs_info(path):
    def open_page(page, get):
        inquiry = _needs_info(get)
        sign_in_as(page, get("citizen"))
        page.goto(page.base + f"/inquiries/{inquiry.tracking_code}/{path}")

    return open_page


def _staff_needs_info(page, get):
    inquiry = _needs_info(get)
    sign_in_as(page, get("reviewer_d1"))
    page.goto(page.base + f"/staff/inquiries/{inquiry.tracking_code}/")


def _revoked(get):
    answer = _signed(get, get("monkeypatch"))
    return services.answer_revoke(actor=get("manager_d1"), answer=answer, reason="خطا در مساحت")


def _verify_revoked(page, get):
    answer = _revoked(get)
    page.goto(page.base + f"/verify/{answer.verification_code}/")
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-result", "revoked")


def _staff_answered(page, get):
    answer = _signed(get, get("monkeypatch"))
    sign_in_as(page, get("manager_d1"))
    page.goto(page.base + f"/staff/inquiries/{answer.inquiry.tracking_code}/")


def _staff_queue_all(page, get):
    _signed(get, get("monkeypatch"))
    InquiryFactory(applicant=get("citizen"))
    sign_in_as(page, get("reviewer_d1"))
    page.goto(page.base + "/staff/?status=all")


def _office_page(path):
    def open_page(page, get):
        sign_in_as(page, get("pishkhan_operator"))
        page.goto(page.base + path.format(office=get("pishkhan_office").pk))

    return open_page


def _office_queue(page, get):
    operator = get("pishkhan_operator")
    sign_in_as(page, operator)
    page.goto(page.base + f"/office/{get('pishkhan_office').pk}/")


PAGES = {
    "home": lambda page, get: page.goto(page.base + "/"),
    "not-found": lambda page, get: page.goto(page.base + "/no-such-page/"),
    "citizen-sign-in": lambda page, get: page.goto(page.base + "/accounts/citizen/"),
    "citizen-sign-in-code": _citizen_code_step,
    "staff-sign-in": lambda page, get: page.goto(page.base + "/accounts/login/"),
    "citizen-sign-in-refused": _citizen_sign_in_refused,
    "filing-kind": _as("citizen", "/inquiries/new/"),
    "filing-property": _draft_step("property"),
    "filing-applicant": _draft_step("applicant"),
    "filing-details-transfer": _draft_step("details"),
    "filing-details-bank": _draft_step("details", InquiryKind.BANK),
    "filing-details-agency": _draft_step("details", InquiryKind.AGENCY),
    "filing-property-refused": _property_refused,
    "filing-documents": _draft_step("documents"),
    "filing-review": _draft_step("review"),
    "filing-submitted": _submitted,
    "my-inquiries": _citizen_page(lambda inquiry: "/inquiries/"),
    "citizen-inquiry": _citizen_page(lambda inquiry: f"/inquiries/{inquiry.tracking_code}/"),
    "citizen-inquiry-answered": _answered_inquiry,
    "tracking": lambda page, get: page.goto(page.base + "/track/"),
    "tracking-result": _track_result,
    "verification": lambda page, get: page.goto(page.base + "/verify/"),
    "verification-valid": _verify_valid,
    "staff-queue": _staff_page("reviewer_d1", lambda inquiry: "/staff/"),
    "staff-inquiry": _staff_page(
        "reviewer_d1", lambda inquiry: f"/staff/inquiries/{inquiry.tracking_code}/"
    ),
    "answer-form": _staff_page(
        "reviewer_d1", lambda inquiry: f"/staff/inquiries/{inquiry.tracking_code}/answer/"
    ),
    "answer-form-lines-added": _answer_form_lines_added,
    "answer-sign": _sign_page,
    "kiosk": _as("kiosk_clerk", "/kiosk/"),
    "kiosk-lookup": _as("kiosk_clerk", "/kiosk/lookup/"),
    "kiosk-help": _as("kiosk_clerk", "/kiosk/help/"),
    "office-queue": _office_queue,
    "office-home": _office_page("/office/"),
    "office-filing": _office_page("/office/{office}/file/"),
    "kiosk-filing": _as("kiosk_clerk", "/kiosk/file/"),
    "menu-open": _menu_open,
    "citizen-inquiry-needs-info": _citizen_needs_info(""),
    "citizen-respond": _citizen_needs_info("respond/"),
    "staff-inquiry-needs-info": _staff_needs_info,
    "staff-inquiry-answered": _staff_answered,
    "staff-queue-all": _staff_queue_all,
    "verification-revoked": _verify_revoked,
    "reports": _as("ict_admin", "/reports/"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_or_critical_accessibility_violation(page, name, request):
    documents = []
    page.on(
        "response",
        lambda r: documents.append(r) if r.request.resource_type == "document" else None,
    )
    PAGES[name](page, request.getfixturevalue)
    page.wait_for_load_state("load")
    # The page itself, not a refusal or a sign-in form it was sent to instead.
    expected = 404 if name == "not-found" else 200
    assert documents and documents[-1].status == expected, (name, [d.status for d in documents])
    # What folds away (a <details> block) is checked unfolded too.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert "/login/" not in page.url or name == "staff-sign-in", page.url
    expect(page.locator("main")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core on {name} ({page.url}) at {page.viewport_name} size:\n" + describe(violations)
    )
