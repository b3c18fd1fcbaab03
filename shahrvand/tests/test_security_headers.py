"""Every main page sends the Content-Security-Policy and Permissions-Policy, keeps no inline script,
style or event handler (the policy would block them), and a signed-in page is never stored."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from accounts.views import SESSION_ATTEMPT
from inquiries.tests.factories import InquiryFactory, complete_draft

pytestmark = pytest.mark.django_db


class InlineFinder(HTMLParser):
    """Collects inline <script>/<style> content, style="" attributes and on*="" handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append("<script> without src")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "href" and (value or "").lower().startswith("javascript:"):
                self.found.append(f"<{tag} href=javascript:...>")


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def assert_policy(response):
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def check_page(client, url, *, signed_in: bool):
    response = client.get(url)
    assert response.status_code == 200, url
    assert_policy(response)
    assert inline_code(response.content.decode()) == [], url
    if signed_in:
        assert "no-store" in response["Cache-Control"], url
    return response


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/accounts/citizen/",
        "/track/",
        "/verify/",
    ],
)
def test_public_pages(client, url):
    check_page(client, url, signed_in=False)


def test_the_home_page_without_personal_data_stays_cacheable(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_a_session_holding_a_sign_in_attempt_is_never_stored(client):
    """Between asking for a code and typing it the session holds the phone number."""
    session = client.session
    session[SESSION_ATTEMPT] = {"mobile": "09141234567"}
    session.save()
    assert "no-store" in client.get("/")["Cache-Control"]


def test_citizen_pages(citizen, client_for):
    client = client_for(citizen)
    inquiry = InquiryFactory(applicant=citizen)
    draft = complete_draft(citizen)
    urls = [
        reverse("home"),
        reverse("inquiries:mine"),
        reverse("inquiries:new"),
        reverse("inquiries:detail", args=[inquiry.tracking_code]),
        reverse("accounts:password_change"),
    ]
    urls += [
        reverse("inquiries:draft_step", args=[draft.pk, step])
        for step in ("property", "applicant", "details", "documents", "review")
    ]
    for url in urls:
        check_page(client, url, signed_in=True)


def test_staff_pages(reviewer_d1, client_for):
    client = client_for(reviewer_d1)
    inquiry = InquiryFactory()
    check_page(
        client, reverse("inquiries:staff_inquiry", args=[inquiry.tracking_code]), signed_in=True
    )


def test_staff_queue(reviewer_d1, client_for):
    response = client_for(reviewer_d1).get(reverse("inquiries:review_queue"))
    assert response.status_code == 200
    assert_policy(response)
    assert "no-store" in response["Cache-Control"]
    assert inline_code(response.content.decode()) == []


def test_answer_form(manager_d1, client_for):
    inquiry = InquiryFactory(in_review=True)
    client = client_for(manager_d1)
    check_page(
        client, reverse("inquiries:staff_answer", args=[inquiry.tracking_code]), signed_in=True
    )


def test_office_manager_and_visit_pages(pishkhan_manager, pishkhan_office, ict_admin, client_for):
    manager = client_for(pishkhan_manager)
    for url in (reverse("counters:office_operators", args=[pishkhan_office.pk]),):
        check_page(manager, url, signed_in=True)
    ict = client_for(ict_admin)
    for url in (
        reverse("counters:office_detail", args=[pishkhan_office.pk]),
        reverse("counters:visit_new", args=[pishkhan_office.pk]),
    ):
        check_page(ict, url, signed_in=True)


def test_kiosk_pages(kiosk_clerk, client_for):
    client = client_for(kiosk_clerk)
    for url in (
        reverse("districts:kiosk"),
        reverse("districts:kiosk_help"),
        reverse("districts:kiosk_mobile"),
        reverse("inquiries:kiosk_lookup"),
        reverse("inquiries:kiosk_file"),
    ):
        check_page(client, url, signed_in=True)


def test_office_pages(pishkhan_operator, pishkhan_office, client_for):
    client = client_for(pishkhan_operator)
    for url in (
        reverse("counters:office_queue", args=[pishkhan_office.pk]),
        reverse("counters:office_file", args=[pishkhan_office.pk]),
    ):
        check_page(client, url, signed_in=True)


def test_ict_and_report_pages(ict_admin, client_for):
    client = client_for(ict_admin)
    for url in (
        reverse("reports:dashboard"),
        reverse("reports:monthly_list"),
        reverse("counters:registry"),
        reverse("counters:training_list"),
        reverse("counters:training_new"),
        reverse("counters:findings"),
        reverse("counters:scorecards"),
        reverse("counters:registry_import"),
    ):
        check_page(client, url, signed_in=True)


def test_admin_pages(client_for):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    for url in ("/admin/", "/admin/accounts/user/", "/admin/inquiries/inquiry/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_policy(response)
        assert "no-store" in response["Cache-Control"]
        assert inline_code(response.content.decode()) == [], url


def test_only_the_admin_forms_with_the_date_picker_allow_inline_handlers(client_for):
    """django-jalali's picker needs inline handlers and style attributes: its add and change forms
    allow exactly those (never inline <script> or <style>); every other admin page does not."""
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    policy = client.get("/admin/counters/trainingsession/add/")["Content-Security-Policy"]
    assert "script-src-attr 'unsafe-inline'" in policy
    assert "style-src-attr 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy + ";"
    assert "style-src 'self';" in policy + ";"
    for url in ("/admin/", "/admin/counters/trainingsession/", "/admin/accounts/user/add/"):
        assert "unsafe-inline" not in client.get(url)["Content-Security-Policy"], url
