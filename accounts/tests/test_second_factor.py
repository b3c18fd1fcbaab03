"""The second factor of everyone who signs in with a password, when STAFF_SECOND_FACTOR is on:
enrolment at the first sign-in, the code at every sign-in, backup codes, the lockout shared with
the password, the admin's reset and unlock, and the record of each."""

import logging
import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor as factor
from accounts.models import (
    BackupCodeDevice,
    PowerChange,
    PowerChangeKind,
    SignInEvent,
    SignInEventKind,
)
from accounts.tests.factories import UserFactory
from accounts.tests.sessions import with_second_factor

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-1401"
LOGIN = "/accounts/login/"
FACTOR = "/accounts/second-factor/"
SETUP = "/accounts/second-factor/setup/"
Kind = SignInEventKind
HTML = "text/html,application/xhtml+xml"


@pytest.fixture(autouse=True)
def _on(settings):
    settings.STAFF_SECOND_FACTOR = True


def code_for(device: TOTPDevice, *, steps: int = 0) -> str:
    """What the authenticator app shows now (or ``steps`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = factor.enrolment_start(user=user)
    _device, codes = factor.enrolment_confirm(user=user, code=code_for(device))
    return TOTPDevice.objects.get(pk=device.pk), codes


def password_step(username: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def verified_client(user) -> Client:
    """Signed in with the password and the second factor (for admins acting in these tests)."""
    device = factor.totp_device_of(user) or enrolled(user)[0]
    return with_second_factor(user, device.persistent_id)


def kinds(user=None) -> list[str]:
    rows = SignInEvent.objects.order_by("pk")
    if user is not None:
        rows = rows.filter(user=user)
    return [row.kind for row in rows]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


# --- Enrolment ---------------------------------------------------------------------------------


def test_first_sign_in_enrols_before_any_staff_page(reviewer_d1):
    client = password_step(reviewer_d1.username)
    staff = client.get("/staff/", headers={"Accept": HTML})
    assert staff.status_code == 302 and staff["Location"] == FACTOR
    client.get("/favicon.ico", headers={"Accept": "image/*"})  # not where they were going
    assert client.get(FACTOR)["Location"] == SETUP

    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=reviewer_d1)
    assert not device.confirmed
    assert factor.secret_text(device) in html
    # A reload shows the same secret: a code from the app scanned a moment ago still fits.
    assert client.get(SETUP).content.decode().count(factor.secret_text(device)) == 1
    assert TOTPDevice.objects.filter(user=reviewer_d1).count() == 1

    done = client.post(SETUP, {"code": code_for(device)})
    html = done.content.decode()
    assert done.status_code == 200
    codes = re.findall(r"<li>([A-Z2-9]{5}-[A-Z2-9]{5})</li>", html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/staff/"' in html  # back where they were going
    device.refresh_from_db()
    assert device.confirmed
    stored = BackupCodeDevice.objects.get(user=reviewer_d1).code_hashes
    assert len(stored) == 10 and not any(code.replace("-", "") in str(stored) for code in codes)
    assert client.get("/staff/").status_code == 200
    assert kinds(reviewer_d1) == [Kind.SIGNED_IN, Kind.ENROLLED]


def test_enrolment_refuses_a_wrong_code_and_records_it(reviewer_d1):
    client = password_step(reviewer_d1.username)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer_d1)
    wrong = f"{(int(code_for(device)) + 1) % 10**6:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "درست نیست" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/staff/").status_code == 302
    assert kinds(reviewer_d1)[-1] == Kind.CODE_FAILED


def test_the_enrolment_code_may_be_typed_in_persian_digits(reviewer_d1):
    client = password_step(reviewer_d1.username)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=reviewer_d1)
    persian = code_for(device).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert client.post(SETUP, {"code": persian}).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


# --- Every sign-in -----------------------------------------------------------------------------


def test_next_sign_in_asks_for_the_code_then_goes_where_the_person_was_going(reviewer_d1):
    device, _codes = enrolled(reviewer_d1)
    client = Client()
    first = client.get("/staff/")
    client.post(first["Location"], {"username": reviewer_d1.username, "password": PASSWORD})
    assert client.get("/staff/", headers={"Accept": HTML})["Location"] == FACTOR
    assert client.get(SETUP)["Location"] == FACTOR  # enrolled once: no second enrolment
    done = client.post(FACTOR, {"code": code_for(device, steps=1)})
    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    event = SignInEvent.objects.filter(user=reviewer_d1).latest("pk")
    assert event.kind == Kind.VERIFIED and event.detail == {"method": "app"}


def test_a_wrong_code_is_refused_and_recorded(reviewer_d1):
    device, _codes = enrolled(reviewer_d1)
    client = password_step(reviewer_d1.username)
    wrong = f"{(int(code_for(device)) + 500_000) % 10**6:06d}"
    response = client.post(FACTOR, {"code": wrong})
    assert response.status_code == 200
    assert "کد درست نیست" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert kinds(reviewer_d1)[-1] == Kind.CODE_FAILED


def test_a_backup_code_signs_in_once(reviewer_d1):
    _device, codes = enrolled(reviewer_d1)
    client = password_step(reviewer_d1.username)
    done = client.post(FACTOR, {"code": codes[3].lower().replace("-", " ")})
    assert done.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert factor.backup_codes_left(reviewer_d1) == 9
    used = SignInEvent.objects.get(user=reviewer_d1, kind=Kind.BACKUP_CODE_USED)
    assert used.detail == {"left": "9"}

    again = password_step(reviewer_d1.username)
    response = again.post(FACTOR, {"code": codes[3]})
    assert response.status_code == 200 and "کد درست نیست" in response.content.decode()
    assert again.get("/staff/").status_code == 302


def test_citizens_signing_in_by_sms_code_are_not_asked(client_for, citizen):
    client = Client()
    client.force_login(citizen)
    session = client.session
    session["signed_in_by_code"] = True
    session.save()
    assert client.get("/inquiries/").status_code == 200


def test_without_the_setting_nobody_is_asked(settings, reviewer_d1):
    settings.STAFF_SECOND_FACTOR = False
    client = password_step(reviewer_d1.username)
    assert client.get("/staff/").status_code == 200
    assert client.get(FACTOR)["Location"] == "/"
    assert not TOTPDevice.objects.exists()


# --- Refused without it: every kind of page ----------------------------------------------------


@pytest.mark.parametrize(
    "persona, path",
    [
        ("reviewer_d1", "/staff/"),
        ("kiosk_clerk", "/kiosk/"),
        ("pishkhan_operator", "/office/"),
        ("ict_admin", "/admin/"),
        ("ict_admin", "/offices/"),
    ],
)
def test_pages_wait_for_the_second_factor(request, persona, path):
    user = request.getfixturevalue(persona)
    client = password_step(user.username)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == FACTOR
    htmx = client.get(path, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == FACTOR
    assert client.post(path, {})["Location"] == FACTOR


def test_the_admin_sign_in_form_leads_to_the_staff_one(client, ict_admin):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert client.post("/admin/login/", {"username": ict_admin.username}).status_code == 302
    assert "_auth_user_id" not in client.session


# --- Lockout -----------------------------------------------------------------------------------


def test_wrong_codes_lock_the_account_until_an_admin_lifts_it(settings, reviewer_d1, ict_admin):
    settings.LOGIN_FAILURE_LIMIT = 3
    device, _codes = enrolled(reviewer_d1)
    client = password_step(reviewer_d1.username)
    wrong = f"{(int(code_for(device)) + 500_000) % 10**6:06d}"
    for _ in range(3):
        client.post(FACTOR, {"code": wrong})
    refused = client.post(FACTOR, {"code": code_for(device, steps=1)})
    assert "۱۵ دقیقه" in refused.content.decode()
    assert client.get("/staff/").status_code == 302
    assert kinds(reviewer_d1).count(Kind.LOCKED) == 1
    assert Kind.REFUSED_LOCKED in kinds(reviewer_d1)
    # The password step is refused too, with the same message.
    other = Client()
    again = other.post(LOGIN, {"username": reviewer_d1.username, "password": PASSWORD})
    assert "۱۵ دقیقه" in again.content.decode() and "_auth_user_id" not in other.session

    admin = verified_client(ict_admin)
    change_page = f"/admin/accounts/user/{reviewer_d1.pk}/change/"
    assert "قفل‌شده پس از تلاش‌های ناموفق" in admin.get(change_page).content.decode()
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "unlock_selected", "_selected_action": [reviewer_d1.pk]},
    )
    assert "قفل‌شده" not in admin.get(change_page).content.decode()
    assert response.status_code == 302
    row = PowerChange.objects.get(kind=PowerChangeKind.ACCOUNT_UNLOCKED)
    assert row.actor == ict_admin and row.target == reviewer_d1
    assert row.before == {"locked": True} and row.after == {"locked": False}
    done = client.post(FACTOR, {"code": code_for(device, steps=1)})
    assert done.status_code == 302 and client.get("/staff/").status_code == 200


def test_password_failures_lock_and_the_admin_unlocks(settings, reviewer_d1, ict_admin):
    settings.LOGIN_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.post(LOGIN, {"username": reviewer_d1.username, "password": "nope"})
    refused = client.post(LOGIN, {"username": reviewer_d1.username, "password": PASSWORD})
    assert "۱۵ دقیقه" in refused.content.decode()
    assert kinds(reviewer_d1) == [Kind.FAILED, Kind.FAILED, Kind.LOCKED, Kind.REFUSED_LOCKED]
    verified_client(ict_admin).post(
        "/admin/accounts/user/",
        {"action": "unlock_selected", "_selected_action": [reviewer_d1.pk]},
    )
    password_step(reviewer_d1.username, client)
    assert kinds(reviewer_d1)[-1] == Kind.SIGNED_IN


def test_an_unknown_username_is_recorded_without_the_name(client):
    client.post(LOGIN, {"username": "0012345679", "password": "nope"})
    event = SignInEvent.objects.get()
    assert event.kind == Kind.FAILED and event.user is None
    assert "0012345679" not in str(event.detail)


def test_a_known_password_buys_no_fresh_guesses_at_the_code(settings, reviewer_d1):
    settings.LOGIN_FAILURE_LIMIT = 3
    device, _codes = enrolled(reviewer_d1)
    wrong = f"{(int(code_for(device)) + 500_000) % 10**6:06d}"
    for _ in range(3):
        client = password_step(reviewer_d1.username)
        client.post(FACTOR, {"code": wrong})
    refused = Client().post(LOGIN, {"username": reviewer_d1.username, "password": PASSWORD})
    assert "۱۵ دقیقه" in refused.content.decode()


# --- The admin's reset ------------------------------------------------------------------------


def test_the_admin_resets_the_second_factor_and_the_owner_enrols_again(reviewer_d1, ict_admin):
    device, _codes = enrolled(reviewer_d1)
    owner = password_step(reviewer_d1.username)
    owner.post(FACTOR, {"code": code_for(device, steps=1)})
    assert owner.get("/staff/").status_code == 200

    admin = verified_client(ict_admin)
    page = admin.get(f"/admin/accounts/user/{reviewer_d1.pk}/change/").content.decode()
    assert device.key not in page and factor.secret_text(device) not in page
    assert "ورود دومرحله‌ای راه‌اندازی شده است · ۱۰ کد پشتیبان" in page
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    admin.post(
        "/admin/accounts/user/",
        {"action": "second_factor_reset_selected", "_selected_action": [reviewer_d1.pk]},
    )
    assert not TOTPDevice.objects.filter(user=reviewer_d1).exists()
    assert not BackupCodeDevice.objects.filter(user=reviewer_d1).exists()
    row = PowerChange.objects.get(kind=PowerChangeKind.SECOND_FACTOR_RESET)
    assert row.actor == ict_admin and row.target == reviewer_d1
    assert row.before == {"second_factor": "enrolled"}
    # The owner's session ended; at the next sign-in they enrol again.
    assert owner.get("/staff/")["Location"].startswith(LOGIN)
    again = password_step(reviewer_d1.username)
    assert again.get(FACTOR)["Location"] == SETUP


def test_an_ict_admin_cannot_reset_a_superusers_second_factor(superuser, ict_admin):
    enrolled(superuser)
    response = verified_client(ict_admin).post(
        "/admin/accounts/user/",
        {"action": "second_factor_reset_selected", "_selected_action": [superuser.pk]},
    )
    assert response.status_code in (200, 302)
    assert TOTPDevice.objects.filter(user=superuser).exists()
    assert not PowerChange.objects.filter(kind=PowerChangeKind.SECOND_FACTOR_RESET).exists()


# --- The record: rows and lines ----------------------------------------------------------------


def test_each_event_is_one_line_naming_the_person_by_id_only(caplog, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    caplog.set_level(logging.INFO, logger="shahrvand.security")
    user = UserFactory(username="op79")
    Client().post(LOGIN, {"username": "op79", "password": "nope"})
    lines = [r.getMessage() for r in caplog.records if r.name == "shahrvand.security"]
    assert lines == [
        f"signin_event kind=failed user_id={user.pk} user_role=no_role",
        f"signin_event kind=locked user_id={user.pk} user_role=no_role by=username minutes=15",
    ]
    assert kinds(user) == [Kind.FAILED, Kind.LOCKED]


def test_a_refused_page_is_a_row_and_still_one_line(caplog, settings, client_for, citizen):
    settings.STAFF_SECOND_FACTOR = False
    caplog.set_level(logging.INFO, logger="shahrvand.security")
    assert client_for(citizen).get("/staff/").status_code == 403
    row = SignInEvent.objects.get(kind=Kind.PERMISSION_DENIED)
    assert row.user == citizen and row.detail == {"method": "GET", "path": "/staff/"}
    lines = [r.getMessage() for r in caplog.records if r.name == "shahrvand.security"]
    assert len(lines) == 1 and lines[0].startswith("permission_denied ")


def test_sign_in_events_are_read_only_in_the_admin(superuser, reviewer_d1):
    password_step(reviewer_d1.username)
    admin = verified_client(superuser)
    listing = admin.get("/admin/accounts/signinevent/")
    assert listing.status_code == 200
    event = SignInEvent.objects.get(user=reviewer_d1)
    assert admin.post(f"/admin/accounts/signinevent/{event.pk}/delete/").status_code == 403


def test_the_second_factor_comes_before_a_forced_password_change(reviewer_d1, ict_admin):
    from accounts.services_power import user_set_password_by_admin

    user_set_password_by_admin(actor=ict_admin, user=reviewer_d1, raw_password=PASSWORD)
    client = password_step(reviewer_d1.username)
    assert client.get("/staff/")["Location"] == FACTOR
    assert client.get("/accounts/password/")["Location"] == FACTOR
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=reviewer_d1)
    assert client.post(SETUP, {"code": code_for(device)}).status_code == 200
    assert client.get("/staff/")["Location"].startswith("/accounts/password/")
