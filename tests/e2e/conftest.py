"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) against
pytest-django's live server, at a phone and a desktop size."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must be allowed there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}


def pytest_collection_modifyitems(config, items):
    # In CI (REQUIRE_E2E) a missing browser fails every browser test through the ``browser``
    # fixture; never a skip or an xfail, which would let the run pass.
    if CHROMIUM.exists() or os.environ.get("REQUIRE_E2E"):
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, live_server):
    """A fresh page per test at each viewport; ``page.base`` is the live server's address."""
    context = browser.new_context(locale="en-US", **VIEWPORTS[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    page.viewport_name = request.param
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """Browser tests run in transactional mode (see the root conftest's ``reference_data``)."""


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page only, for long journeys that the issue asks for at phone size."""
    context = browser.new_context(locale="en-US", **VIEWPORTS["phone"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    page.viewport_name = "phone"
    yield page
    context.close()


@pytest.fixture
def sms_files(settings, tmp_path):
    """SMS go to files, as in the embedded default; returns a function giving the texts sent so far."""
    settings.SMS_BACKEND = "shahrvand.sms.backends.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"

    def texts() -> list[str]:
        folder = tmp_path / "sms"
        if not folder.exists():
            return []
        return [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]

    return texts
