"""Sessions opened with a password end after SESSION_IDLE_SECONDS without a request and
SESSION_ABSOLUTE_SECONDS after the sign-in; deactivating an account ends its sessions at once.
The clock is moved, never slept."""

import pytest
from django.test import Client

from accounts import middleware
from accounts.models import SignInEvent, SignInEventKind
from accounts.services_power import user_set_active

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-1401"


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by hand: ``clock.now += 60``."""

    class Clock:
        now = 1_800_000_000.0

    moved = Clock()
    monkeypatch.setattr(middleware, "now", lambda: moved.now)
    return moved


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_staff_session_ends_after_the_idle_limit(settings, clock, reviewer_d1):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client = signed_in(reviewer_d1)
    clock.now += 29 * 60
    assert client.get("/staff/").status_code == 200
    clock.now += 29 * 60  # active a moment ago: the idle clock started again
    assert client.get("/staff/").status_code == 200
    clock.now += 30 * 60 + 1
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fstaff%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "۳۰ دقیقه فعالیتی نداشتید" in page
    event = SignInEvent.objects.get(kind=SignInEventKind.SESSION_EXPIRED)
    assert event.user == reviewer_d1 and event.detail == {"reason": "idle"}


def test_a_staff_session_ends_at_the_absolute_limit_however_active(settings, clock, reviewer_d1):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    settings.SESSION_ABSOLUTE_SECONDS = 10 * 60 * 60
    client = signed_in(reviewer_d1)
    for _ in range(30):  # a request every 20 minutes for ten hours
        clock.now += 20 * 60
        assert client.get("/staff/").status_code == 200
    clock.now += 20 * 60
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert "۶۰۰ دقیقه پس از ورود" in client.get(response["Location"]).content.decode()
    event = SignInEvent.objects.get(kind=SignInEventKind.SESSION_EXPIRED)
    assert event.detail == {"reason": "absolute"}


def test_an_htmx_request_after_the_limit_loads_the_sign_in_page(settings, clock, reviewer_d1):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client = signed_in(reviewer_d1)
    clock.now += 31 * 60
    response = client.get("/staff/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/accounts/login/"


def test_a_citizens_session_by_sms_code_has_no_staff_limits(settings, clock, citizen):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client = Client()
    client.force_login(citizen)
    session = client.session
    session["signed_in_by_code"] = True
    session.save()
    clock.now += 5 * 60 * 60
    assert client.get("/inquiries/").status_code == 200


def test_deactivating_an_account_in_the_admin_ends_its_sessions_at_once(
    client_for, ict_admin, reviewer_d1
):
    owner = signed_in(reviewer_d1)
    assert owner.get("/staff/").status_code == 200
    response = client_for(ict_admin).post(
        "/admin/accounts/user/",
        {"action": "deactivate_selected", "_selected_action": [reviewer_d1.pk]},
    )
    assert response.status_code == 302
    refused = owner.get("/staff/")
    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/")
    assert reviewer_d1.display_name not in owner.get("/").content.decode()


def test_deactivating_by_the_service_ends_sessions_and_activating_does_not_bring_them_back(
    ict_admin, reviewer_d1
):
    owner = signed_in(reviewer_d1)
    user_set_active(actor=ict_admin, user=reviewer_d1, active=False)
    user_set_active(actor=ict_admin, user=reviewer_d1, active=True)
    assert owner.get("/staff/")["Location"].startswith("/accounts/login/")
    assert signed_in(reviewer_d1).get("/staff/").status_code == 200
