"""The institution API's documentation page: Swagger UI from the bundled files, no request leaves
the site, and the Content-Security-Policy is kept (no inline script or style)."""

import pytest
from playwright.sync_api import expect

from .test_content_security_policy import watch_policy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_load_from_the_site_alone_under_the_policy(page):
    violations = watch_policy(page)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url) if not request.url.startswith(page.base) else None
        ),
    )
    page.goto(page.base + "/api/v1/docs/")
    # The schema was fetched and rendered: the filing operation and its Persian summary show.
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/inquiries/").first
    ).to_be_visible()
    expect(page.get_by_text("ثبت استعلام").first).to_be_visible()
    page.locator(".opblock-summary", has_text="/api/v1/verify/").first.click()
    expect(page.get_by_text("sha256").first).to_be_visible()
    assert violations == []
    assert elsewhere == []
