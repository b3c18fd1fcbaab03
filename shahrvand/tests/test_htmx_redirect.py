"""An htmx request whose session has run out navigates the window to sign-in (HX-Redirect); the
polling box never loads the sign-in page inside itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from inquiries.tests.factories import InquiryFactory
from shahrvand.models import Session

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _expire_sessions() -> None:
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))


def test_the_pdf_status_poll_with_an_expired_session_redirects_the_page(client_for, citizen):
    inquiry = InquiryFactory(applicant=citizen)
    client = client_for(citizen)
    _expire_sessions()
    page = f"http://testserver/inquiries/{inquiry.tracking_code}/"
    response = client.get("/inquiries/answers/7/pdf/status/", HTTP_HX_CURRENT_URL=page, **HTMX)
    assert response.status_code == 200
    assert response.content == b""
    # Back to the inquiry's page after signing in, not to the bare fragment.
    assert response["HX-Redirect"] == (
        f"/accounts/citizen/?next=%2Finquiries%2F{inquiry.tracking_code}%2F"
    )
    assert "no-store" in response["Cache-Control"]
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_same_request_is_a_plain_redirect(client):
    response = client.get("/inquiries/answers/7/pdf/status/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/citizen/?next=/inquiries/answers/7/pdf/status/"
    assert "HX-Redirect" not in response


def test_without_the_current_page_next_is_where_the_redirect_pointed(client):
    response = client.get("/inquiries/answers/7/pdf/status/", **HTMX)
    assert response["HX-Redirect"] == (
        "/accounts/citizen/?next=%2Finquiries%2Fanswers%2F7%2Fpdf%2Fstatus%2F"
    )


def test_a_current_page_on_another_site_is_not_used_as_next(client):
    response = client.get(
        "/inquiries/answers/7/pdf/status/",
        HTTP_HX_CURRENT_URL="https://evil.example/phish/",
        **HTMX,
    )
    assert "evil.example" not in response["HX-Redirect"]


def test_role_pages_answer_htmx_with_hx_redirect_to_staff_sign_in(client_for, reviewer_d1):
    client = client_for(reviewer_d1)
    _expire_sessions()
    response = client.get(
        "/staff/", HTTP_HX_CURRENT_URL="http://testserver/staff/?status=all", **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fstaff%2F%3Fstatus%3Dall"


def test_other_htmx_redirects_are_left_alone(client_for, reviewer_d1):
    # A filter POST from the queue redirects to the list: not a sign-in, htmx may follow it.
    response = client_for(reviewer_d1).post("/staff/", {"status": "all"}, **HTMX)
    assert response.status_code == 302
    assert "HX-Redirect" not in response


def test_a_signed_in_poll_still_gets_the_fragment(client_for, citizen):
    # Signed in, the fragment answers itself (here: no such answer for this citizen, so the box
    # stops polling with htmx's 286) and never sends the person to sign in.
    response = client_for(citizen).get("/inquiries/answers/7/pdf/status/", **HTMX)
    assert response.status_code == 286
    assert "HX-Redirect" not in response
