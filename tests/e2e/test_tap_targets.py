"""Everything a thumb taps on the journeys' pages is at least 44 CSS px tall and wide at a phone's
width (390 px): links and buttons, the rows of radio buttons and check boxes (the box and its label
are one target), the "change" links on the review step and the file links of attachments.

Links inside running text (a sentence in a paragraph, a help text) are not counted: they are read
before they are tapped, and padding them would break the lines they sit in. Hidden elements are
skipped; the site's header and footer lie outside ``main`` and are not measured here."""

import os

import pytest
from playwright.sync_api import expect

from inquiries import services
from inquiries.tests.factories import complete_draft

from .test_accessibility import PAGES, sign_in_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MIN_PX = 44
SHOTS = os.environ.get("TAP_TARGET_SHOTS")  # a folder to keep a screenshot of each page in

TARGETS = "a[href], button, input[type=submit], input[type=radio], input[type=checkbox]"
# Each target's box: for a radio button or a check box, the box and its label together.
MEASURE = """({minimum, selector}) => {
    const main = document.querySelector('main');
    // What no one sees is not tapped (a form's hidden default button for the Enter key).
    const visible = (el) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
            && !el.closest('.visually-hidden, [aria-hidden="true"]');
    };
    const inRunningText = (el) => {
        const block = el.closest('p, .form-text, .help-text, small.text-body-secondary');
        if (!block || !main.contains(block)) return false;
        const text = block.textContent.replace(/\\s+/g, ' ').trim();
        return text !== el.textContent.replace(/\\s+/g, ' ').trim();
    };
    const union = (boxes) => {
        const top = Math.min(...boxes.map(b => b.top)), bottom = Math.max(...boxes.map(b => b.bottom));
        const left = Math.min(...boxes.map(b => b.left)), right = Math.max(...boxes.map(b => b.right));
        return {height: bottom - top, width: right - left};
    };
    const describe = (el) => {
        const label = (el.labels && el.labels[0]) ? el.labels[0].textContent : el.textContent;
        return `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} `
            + `"${(label || el.name || '').replace(/\\s+/g, ' ').trim().slice(0, 40)}"`;
    };
    const small = [];
    let counted = 0;
    for (const el of main.querySelectorAll(selector)) {
        if (!visible(el)) continue;
        if (el.tagName === 'A' && inRunningText(el)) continue;
        let box = el.getBoundingClientRect();
        if (el.type === 'radio' || el.type === 'checkbox') {
            box = union([box, ...[...el.labels].filter(visible).map(l => l.getBoundingClientRect())]);
        }
        counted += 1;
        if (box.height < minimum || box.width < minimum) {
            small.push(`${describe(el)}: ${box.width.toFixed(1)} x ${box.height.toFixed(1)} px`);
        }
    }
    return {counted, small};
}"""


def _inquiry_with_a_file(get):
    citizen = get("citizen")
    return services.inquiry_submit(actor=citizen, draft=complete_draft(citizen))


def _citizen_inquiry_with_a_file(page, get):
    inquiry = _inquiry_with_a_file(get)
    sign_in_as(page, get("citizen"))
    page.goto(page.base + f"/inquiries/{inquiry.tracking_code}/")
    expect(page.get_by_test_id("file-name").first).to_be_visible()


def _staff_inquiry_with_a_file(page, get):
    inquiry = _inquiry_with_a_file(get)
    sign_in_as(page, get("reviewer_d1"))
    page.goto(page.base + f"/staff/inquiries/{inquiry.tracking_code}/")
    expect(page.get_by_test_id("file-name").first).to_be_visible()


JOURNEY_PAGES = {
    **{
        name: PAGES[name]
        for name in (
            "filing-kind",
            "filing-property",
            "filing-applicant",
            "filing-details-transfer",
            "filing-details-bank",
            "filing-documents",
            "filing-review",
            "answer-form",
            "answer-sign",
            "kiosk-filing",
            "office-filing",
            "citizen-respond",
        )
    },
    "citizen-inquiry-with-a-file": _citizen_inquiry_with_a_file,
    "staff-inquiry-with-a-file": _staff_inquiry_with_a_file,
}


@pytest.mark.parametrize("name", list(JOURNEY_PAGES))
def test_every_tap_target_on_a_phone_is_at_least_44_px_tall(phone_page, name, request):
    page = phone_page
    JOURNEY_PAGES[name](page, request.getfixturevalue)
    page.wait_for_load_state("load")
    assert "/login/" not in page.url, page.url
    expect(page.locator("main")).to_be_visible()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"tap-{name}.png"), full_page=True)
    found = page.evaluate(MEASURE, {"minimum": MIN_PX, "selector": TARGETS})
    assert found["counted"], f"nothing to tap measured on {name}"
    assert not found["small"], f"under {MIN_PX} px on {name} ({page.url}):\n" + "\n".join(
        found["small"]
    )
    # The targets the issue named are among those measured, not skipped as running text.
    for named in page.get_by_test_id("file-name").all() + page.locator("main .card-header a").all():
        assert named.bounding_box()["height"] >= MIN_PX, (name, named.inner_text())
