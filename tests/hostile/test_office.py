"""Hostile inputs to what counter and notary offices submit: their queue's search and filters, filing
for a citizen (the applicant typed in; the notary's own number), and the office manager's new
operator accounts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries.workflow import Channel

from .harness import HTML_CASES, Form, attack, persona_client, send
from .world import MOBILE, NATIONAL_ID, OTHER_NATIONAL_ID, jalali_days_ago, office_draft

pytestmark = pytest.mark.django_db


def test_office_queue_search_and_filters_survive_hostile_input(
    report, pishkhan_operator, pishkhan_office
):
    form = Form(
        key="office-queue",
        persona="counter operator",
        client=persona_client(pishkhan_operator),
        url=reverse("counters:office_queue", args=[pishkhan_office.pk]),
        data={"q": "نسترن", "status": "", "operator": str(pishkhan_operator.pk), "page": "1"},
        keep=("q",),
        then=lambda client, response, case, name: (
            send(client, "get", response["Location"], {})
            if name == "q" or case.label in HTML_CASES
            else None
        ),
    )
    attack(report, form)
    report.assert_clean()


def test_office_queue_address_survives_hostile_tokens_pages_and_operators(
    report, notary_operator, notary_office
):
    form = Form(
        key="office-queue-address",
        persona="notary operator",
        client=persona_client(notary_operator),
        url=reverse("counters:office_queue", args=[notary_office.pk]),
        data={"s": "Xq3v9kPb", "page": "1", "operator": str(notary_operator.pk)},
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


def test_office_filing_start_survives_hostile_kinds(report, notary_operator, notary_office):
    form = Form(
        key="office-file",
        persona="notary operator",
        client=persona_client(notary_operator),
        url=reverse("counters:office_file", args=[notary_office.pk]),
        data={"kind": "transfer"},
    )
    attack(report, form)
    report.assert_clean()


def test_counter_office_applicant_step_survives_hostile_ids_and_mobiles(
    report, pishkhan_operator, pishkhan_office
):
    draft = office_draft(pishkhan_operator, channel=Channel.COUNTER_OFFICE, office=pishkhan_office)
    form = Form(
        key="office-applicant",
        persona="counter operator",
        client=persona_client(pishkhan_operator),
        url=reverse("inquiries:draft_step", args=[draft.pk, "applicant"]),
        data={
            "national_id": NATIONAL_ID,
            "mobile": MOBILE,
            "first_name": "شهرزاد",
            "last_name": "کامرانی",
            "relation": "attorney",
            "owner_national_id": OTHER_NATIONAL_ID,
            "owner_name": "بهرام رضایی",
        },
        keep=("last_name", "owner_name"),
    )
    attack(report, form)
    report.assert_clean()


def test_notary_details_step_survives_hostile_ids_and_office_numbers(
    report, notary_operator, notary_office
):
    draft = office_draft(notary_operator, channel=Channel.NOTARY_OFFICE, office=notary_office)
    form = Form(
        key="notary-details",
        persona="notary operator",
        client=persona_client(notary_operator),
        url=reverse("inquiries:draft_step", args=[draft.pk, "details"]),
        data={
            "transaction_type": "sale",
            "seller_national_id": NATIONAL_ID,
            "seller_name": "نرگس احمدی",
            "buyer_national_id": "",
            "buyer_name": "",
            "notary_office_number": "12",  # disabled: the office's own number is used
            "letter_number": "12/3456",
            "letter_date": jalali_days_ago(),
            "notes": "",
        },
        keep=("seller_name", "letter_number"),
    )
    attack(report, form)
    report.assert_clean()


def test_new_operator_form_survives_hostile_usernames_names_and_passwords(
    report, pishkhan_manager, pishkhan_office
):
    form = Form(
        key="office-operators",
        persona="counter office manager",
        client=persona_client(pishkhan_manager),
        url=reverse("counters:office_operators", args=[pishkhan_office.pk]),
        data={
            "username": "operator-new",
            "first_name": "مینا",
            "last_name": "کاظمی",
            "password": "a-long-pass-phrase-1401",
        },
        keep=("last_name", "username"),
        then=lambda client, response, case, name: send(client, "get", response["Location"], {}),
    )
    attack(report, form)
    report.assert_clean()


def test_switching_an_operator_off_survives_hostile_values(
    report, pishkhan_manager, pishkhan_operator, pishkhan_office
):
    membership = pishkhan_operator.office_memberships.get(office=pishkhan_office)
    form = Form(
        key="office-operator-active",
        persona="counter office manager",
        client=persona_client(pishkhan_manager),
        url=reverse("counters:office_operator_active", args=[pishkhan_office.pk, membership.pk]),
        data={"active": "0"},
        then=lambda client, response, case, name: send(client, "get", response["Location"], {}),
    )
    attack(report, form)
    report.assert_clean()
