"""Hostile inputs to what anyone can submit: citizen sign-in and its SMS code, staff sign-in, public
tracking, verification of an answer by code (form and address) and the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory

from .harness import Form, attack, attack_path, check, persona_client, quiet_logs, rolled_back, send
from .world import MOBILE, NATIONAL_ID, code_from_sms

pytestmark = pytest.mark.django_db


def test_citizen_sign_in_survives_hostile_national_ids_and_mobiles(report):
    form = Form(
        key="citizen-signin",
        persona="public",
        client=persona_client(),
        url=reverse("accounts:citizen_login"),
        data={"national_id": NATIONAL_ID, "mobile": MOBILE},
        keep=("mobile", "national_id"),
    )
    attack(report, form)
    report.assert_clean()


def test_sms_code_step_survives_hostile_codes(report, django_capture_on_commit_callbacks):
    client = persona_client()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("accounts:citizen_login"), {"national_id": NATIONAL_ID, "mobile": MOBILE}
        )
    assert started.status_code == 302, "the benign sign-in must reach the code step"
    form = Form(
        key="citizen-code",
        persona="public (code step)",
        client=client,
        url=reverse("accounts:citizen_code"),
        data={"code": code_from_sms()},
    )
    attack(report, form)
    report.assert_clean()


def test_sign_in_next_address_survives_hostile_values(report, django_capture_on_commit_callbacks):
    """?next= is kept through the sign-in; after the code step the citizen is sent there (or home):
    whatever was in it, never a server error."""
    client = persona_client()
    form = Form(
        key="citizen-signin-next",
        persona="public (sign-in with ?next=)",
        client=client,
        url=reverse("accounts:citizen_login"),
        data={},
    )
    with quiet_logs():
        for case in form.cases("next"):
            with rolled_back(client):
                shown = send(client, "get", form.url, {"next": case.value})
                check(report, form, "next", case, shown, refusal_needed=False, follow_up=True)
                with django_capture_on_commit_callbacks(execute=True):
                    send(client, "post", form.url, {"national_id": NATIONAL_ID, "mobile": MOBILE})
                signed_in = send(
                    client, "post", reverse("accounts:citizen_code"), {"code": code_from_sms()}
                )
                report.sent += 1
                check(report, form, "next (after the code)", case, signed_in, refusal_needed=False)
                if signed_in.status_code < 500 and signed_in.status_code not in (301, 302, 303):
                    report.fail(
                        form.persona,
                        form.url,
                        "next",
                        case,
                        signed_in.status_code,
                        "the right code did not sign in",
                    )
    report.assert_clean()


def test_staff_sign_in_survives_hostile_usernames_and_passwords(report):
    UserFactory(username="reviewer-one", password="right-password-1401")
    form = Form(
        key="staff-login",
        persona="public (staff sign-in)",
        client=persona_client(),
        url=reverse("accounts:login"),
        data={"username": "reviewer-one", "password": "right-password-1401"},
        keep=("username",),
    )
    attack(report, form)
    report.assert_clean()


def test_public_tracking_survives_hostile_codes_and_national_ids(report, submitted):
    form = Form(
        key="track",
        persona="public",
        client=persona_client(),
        url=reverse("inquiries:track"),
        data={"tracking_code": submitted.tracking_code, "national_id": NATIONAL_ID},
        keep=("tracking_code", "national_id"),
        success="render",
    )
    attack(report, form)
    report.assert_clean()


def test_verification_by_code_survives_hostile_codes(report, answered):
    _inquiry, answer = answered
    form = Form(
        key="verify-code",
        persona="public",
        client=persona_client(),
        url=reverse("inquiries:verify"),
        data={"code": answer.verification_code},
    )
    attack(report, form)
    report.assert_clean()


def test_verification_address_survives_hostile_codes_in_the_path(report, answered):
    """/verify/<code>/ is what the QR code opens; anyone can type anything after /verify/."""
    form = Form(
        key="verify-path", persona="public", client=persona_client(), url="/verify/<code>/", data={}
    )
    attack_path(report, form, lambda code: f"/verify/{code}/")
    report.assert_clean()


def test_language_switch_survives_hostile_languages_and_next_addresses(report):
    form = Form(
        key="set-language",
        persona="public",
        client=persona_client(),
        url=reverse("set_language"),
        data={"language": "fa", "next": "/track/"},
    )
    attack(report, form)
    report.assert_clean()
