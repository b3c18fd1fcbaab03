"""Hostile inputs to what district staff submit: the review queue's search and filters, taking an
inquiry, handing it over, asking for information (deficiency reason ids), the answer with its dues,
signing, revoking and correcting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from districts.models import DistrictRole
from districts.tests.factories import DistrictMembershipFactory, district
from inquiries.models import DeficiencyReason, Inquiry

from .harness import HTML_CASES, Form, attack, persona_client, send
from .world import ANSWER_DATA, DUES_DATA

pytestmark = pytest.mark.django_db


def _staff_page(inquiry) -> str:
    return reverse("inquiries:staff_inquiry", args=[inquiry.tracking_code])


def _follow(client, response, case, name):
    """The list or page the form sends the person on to."""
    return send(client, "get", response["Location"], {})


def _follow_search(client, response, case, name):
    """The list the search sends the person on to: the term is applied there."""
    if name == "q" or case.label in HTML_CASES:
        return _follow(client, response, case, name)
    return None


def _show_when_html(url):
    def then(client, response, case, name):
        return send(client, "get", url, {}) if case.label in HTML_CASES else None

    return then


def test_review_queue_search_and_filters_survive_hostile_input(report, reviewer_d1, submitted):
    form = Form(
        key="staff-queue",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url=reverse("inquiries:review_queue"),
        data={
            "q": "نسترن",
            "district": "",
            "kind": "transfer",
            "status": "all",
            "channel": "web",
            "assigned": "",
            "overdue": "",
            "page": "1",
        },
        keep=("q",),
        then=_follow_search,
    )
    attack(report, form)
    report.assert_clean()


def test_review_queue_address_survives_hostile_tokens_pages_and_filters(report, reviewer_d1):
    form = Form(
        key="staff-queue-address",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url=reverse("inquiries:review_queue"),
        data={"s": "Xq3v9kPb", "page": "1", "status": "all", "kind": "transfer"},
        success="render",
        method="get",
    )
    attack(report, form)
    report.assert_clean()


def test_own_password_change_survives_hostile_passwords_and_next_addresses(report, reviewer_d1):
    form = Form(
        key="staff-password",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url=reverse("accounts:password_change"),
        data={
            "old_password": "secret-pass-1401",
            "new_password1": "a-new-long-pass-1402",
            "new_password2": "a-new-long-pass-1402",
            "next": "/staff/",
        },
    )
    attack(report, form)
    report.assert_clean()


def test_taking_an_inquiry_survives_hostile_versions(report, reviewer_d1, submitted):
    form = Form(
        key="staff-take",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url=reverse("inquiries:staff_take", args=[submitted.tracking_code]),
        data={"version": str(submitted.version)},
        then=_follow,
    )
    attack(report, form)
    report.assert_clean()


def test_handing_over_survives_hostile_assignees_and_versions(report, reviewer_d1, in_review):
    colleague = UserFactory(username="colleague-d1", first_name="سارا", last_name="نادری")
    DistrictMembershipFactory(user=colleague, district=district(1), role=DistrictRole.REVIEWER)
    form = Form(
        key="staff-assign",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url=reverse("inquiries:staff_assign", args=[in_review.tracking_code]),
        data={"assignee": str(colleague.pk), "version": str(in_review.version)},
    )
    attack(report, form)
    report.assert_clean()


def test_request_for_information_survives_hostile_reason_ids_and_notes(
    report, reviewer_d1, in_review
):
    reason = DeficiencyReason.objects.filter(is_active=True).first()
    form = Form(
        key="staff-request-info",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url=reverse("inquiries:staff_request_info", args=[in_review.tracking_code]),
        data={
            "reasons": str(reason.pk),
            "note": "نقشه تفکیکی را بفرستید",
            "version": str(in_review.version),
        },
        keep=("note",),
        then=_show_when_html(_staff_page(in_review)),
    )
    attack(report, form)
    report.assert_clean()


def _sign_after(manager_client, inquiry):
    """An answer the form accepted with odd dues or dates must also sign: the billing code makes
    its payment ID then, and the letter its dates (stored text is looked at on the page)."""

    def then(client, response, case, name):
        if not (name.startswith("dues-") or "date" in name or case.label in HTML_CASES):
            return None
        version = Inquiry.objects.get(pk=inquiry.pk).version
        signed = send(
            manager_client, "post", response["Location"], {"version": str(version), "confirm": "on"}
        )
        if signed.status_code >= 500 or case.label not in HTML_CASES:
            return signed
        return send(manager_client, "get", _staff_page(inquiry), {})

    return then


def test_answer_form_survives_hostile_decisions_dates_conditions_and_dues(
    report, reviewer_d1, manager_d1, in_review
):
    form = Form(
        key="staff-answer",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url=reverse("inquiries:staff_answer", args=[in_review.tracking_code]),
        data={**ANSWER_DATA, **DUES_DATA, "version": str(in_review.version)},
        keep=("conditions", "road_widening_note"),
        then=_sign_after(persona_client(manager_d1), in_review),
    )
    attack(report, form)
    report.assert_clean()


def test_answer_that_cannot_be_given_survives_hostile_reasons(
    report, reviewer_d1, manager_d1, in_review
):
    form = Form(
        key="staff-answer-cannot",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url=reverse("inquiries:staff_answer", args=[in_review.tracking_code]),
        data={
            **ANSWER_DATA,
            **DUES_DATA,
            "decision": "cannot_answer",
            "reason": "پرونده در دادگاه است",
            "conditions": "",
            "version": str(in_review.version),
        },
        keep=("road_widening_note",),
        then=_sign_after(persona_client(manager_d1), in_review),
    )
    attack(report, form)
    report.assert_clean()


def test_signing_survives_hostile_confirmations_and_versions(report, manager_d1, with_draft_answer):
    inquiry, answer = with_draft_answer
    form = Form(
        key="staff-sign",
        persona="manager",
        client=persona_client(manager_d1),
        url=reverse("inquiries:staff_sign", args=[inquiry.tracking_code, answer.pk]),
        data={"confirm": "on", "version": str(inquiry.version)},
        then=_follow,
    )
    attack(report, form)
    report.assert_clean()


def test_revoking_survives_hostile_reasons_and_versions(report, manager_d1, answered):
    inquiry, answer = answered
    form = Form(
        key="staff-revoke",
        persona="manager",
        client=persona_client(manager_d1),
        url=reverse("inquiries:staff_revoke", args=[inquiry.tracking_code, answer.pk]),
        data={"reason": "نشانی ملک اشتباه بود", "version": str(inquiry.version)},
        then=lambda client, response, case, name: (
            send(persona_client(), "get", f"/verify/{answer.verification_code}/", {})
            if case.label in HTML_CASES
            else _follow(client, response, case, name)
        ),
    )
    attack(report, form)
    report.assert_clean()


def test_correcting_a_signed_answer_survives_hostile_conditions_dates_and_dues(
    report, manager_d1, answered
):
    inquiry, _answer = answered
    form = Form(
        key="staff-correct",
        persona="manager",
        client=persona_client(manager_d1),
        url=reverse("inquiries:staff_answer", args=[inquiry.tracking_code]),
        data={**ANSWER_DATA, **DUES_DATA, "version": str(inquiry.version)},
        keep=("road_widening_note",),
        then=_sign_after(persona_client(manager_d1), inquiry),
    )
    attack(report, form)
    report.assert_clean()
