"""Hostile values where an address carries an id or a code: ids a database column cannot hold, a
5,000-digit id, and tracking codes in every script in the staff's inquiry address."""

from __future__ import annotations

import pytest

from .corpus import Case
from .harness import Form, Report, attack_path, check, persona_client, quiet_logs, rolled_back, send
from .inventory import ID_PATHS, ID_VALUES

pytestmark = pytest.mark.django_db


def test_ids_no_column_can_hold_in_addresses_are_not_found_never_a_server_error(
    report, citizen, manager_d1, pishkhan_manager, pishkhan_office, ict_admin, drafts, answered
):
    inquiry, _answer = answered
    clients = {
        "citizen": persona_client(citizen),
        "manager": persona_client(manager_d1),
        "operator": persona_client(pishkhan_manager),
        "ict": persona_client(ict_admin),
    }
    own = {
        "draft": next(iter(drafts.values())).pk,
        "code": inquiry.tracking_code,
        "office": pishkhan_office.pk,
    }
    with quiet_logs():
        for page, (persona, method, template) in ID_PATHS.items():
            form = Form(
                key="id-paths", persona=persona, client=clients[persona], url=template, data={}
            )
            for value in ID_VALUES:
                with rolled_back(form.client):
                    response = send(form.client, method, template.format(id=value, **own), {})
                    report.sent += 1
                    check(report, form, page, Case("id", value), response, refusal_needed=False)
    report.assert_clean()


def test_staff_inquiry_address_survives_hostile_tracking_codes(report: Report, reviewer_d1):
    form = Form(
        key="staff-inquiry-path",
        persona="reviewer",
        client=persona_client(reviewer_d1),
        url="/staff/inquiries/<code>/",
        data={},
    )
    attack_path(report, form, lambda code: f"/staff/inquiries/{code}/")
    report.assert_clean()
