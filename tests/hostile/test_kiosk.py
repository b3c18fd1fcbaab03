"""Hostile inputs to the help kiosk: look-up by tracking code, the help log, binding a new mobile to a
national ID, starting an inquiry for a walk-in citizen and typing that citizen's identity."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries.workflow import Channel

from .harness import HTML_CASES, Form, attack, persona_client, send
from .world import MOBILE, NATIONAL_ID, office_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk_client(kiosk_clerk):
    return persona_client(kiosk_clerk)


def test_kiosk_look_up_survives_hostile_tracking_codes(report, kiosk_client, submitted):
    form = Form(
        key="kiosk-lookup",
        persona="kiosk clerk",
        client=kiosk_client,
        url=reverse("inquiries:kiosk_lookup"),
        data={"tracking_code": submitted.tracking_code},
        success="render",
    )
    attack(report, form)
    report.assert_clean()


def test_kiosk_help_log_survives_hostile_topics_resolutions_and_minutes(report, kiosk_client):
    form = Form(
        key="kiosk-help",
        persona="kiosk clerk",
        client=kiosk_client,
        url=reverse("districts:kiosk_help"),
        data={"topic": "status", "resolution": "وضعیت استعلام را گفتم", "minutes": "5"},
        keep=("resolution",),
        then=lambda client, response, case, name: (
            send(client, "get", reverse("districts:kiosk"), {})
            if case.label in HTML_CASES
            else None
        ),
    )
    attack(report, form)
    report.assert_clean()


def test_kiosk_change_of_mobile_survives_hostile_ids_mobiles_and_names(report, kiosk_client):
    form = Form(
        key="kiosk-mobile",
        persona="kiosk clerk",
        client=kiosk_client,
        url=reverse("districts:kiosk_mobile"),
        data={
            "national_id": NATIONAL_ID,
            "mobile": MOBILE,
            "first_name": "شهرزاد",
            "last_name": "کامرانی",
            "id_card_seen": "on",
        },
        keep=("last_name", "mobile"),
    )
    attack(report, form)
    report.assert_clean()


def test_kiosk_filing_start_survives_hostile_kinds(report, kiosk_client):
    form = Form(
        key="kiosk-file",
        persona="kiosk clerk",
        client=kiosk_client,
        url=reverse("inquiries:kiosk_file"),
        data={"kind": "transfer"},
    )
    attack(report, form)
    report.assert_clean()


def test_kiosk_applicant_step_survives_hostile_ids_and_mobiles(report, kiosk_clerk, kiosk_client):
    draft = office_draft(kiosk_clerk, channel=Channel.KIOSK)
    form = Form(
        key="kiosk-applicant",
        persona="kiosk clerk",
        client=kiosk_client,
        url=reverse("inquiries:draft_step", args=[draft.pk, "applicant"]),
        data={
            "national_id": NATIONAL_ID,
            "mobile": MOBILE,
            "first_name": "شهرزاد",
            "last_name": "کامرانی",
            "relation": "owner",
            "owner_national_id": "",
            "owner_name": "",
        },
        keep=("last_name", "mobile"),
    )
    attack(report, form)
    report.assert_clean()
