"""Hostile files to every upload: a citizen's and a kiosk clerk's documents step, both files of the
answer to a request for information, verification by PDF, and the office registry's CSV import (which
gets its own hostile CSV files as well)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries.kinds import InquiryKind
from inquiries.workflow import Channel

from .files import hostile_csvs, hostile_documents, png_upload
from .harness import Form, attack_files, persona_client, send
from .world import office_draft

pytestmark = pytest.mark.django_db


def _documents(draft) -> str:
    return reverse("inquiries:draft_step", args=[draft.pk, "documents"])


def _show(url):
    return lambda client, response, case, name: send(client, "get", url, {})


def test_citizen_documents_step_refuses_hostile_files(report, citizen_client, drafts):
    url = _documents(drafts[InquiryKind.TRANSFER])
    form = Form(
        key="citizen-documents",
        persona="citizen",
        client=citizen_client,
        url=url,
        data={"kind": "national_card"},
        then=_show(url),
    )
    attack_files(report, form, "file", hostile_documents())
    report.assert_clean()


def test_kiosk_documents_step_refuses_hostile_files(report, kiosk_clerk):
    draft = office_draft(kiosk_clerk, channel=Channel.KIOSK)
    url = _documents(draft)
    form = Form(
        key="citizen-documents",
        persona="kiosk clerk",
        client=persona_client(kiosk_clerk),
        url=url,
        data={"kind": "deed"},
        then=_show(url),
    )
    attack_files(report, form, "file", hostile_documents())
    report.assert_clean()


def test_answer_to_a_request_refuses_hostile_files_in_either_upload(
    report, citizen_client, needs_info
):
    form = Form(
        key="citizen-respond",
        persona="citizen",
        client=citizen_client,
        url=reverse("inquiries:respond", args=[needs_info.tracking_code]),
        data={"note": "سند را پیوست کردم", "kind": "deed", "kind_2": "other"},
        keep=("note",),
        files=lambda: {"file": png_upload()},
    )
    attack_files(report, form, "file", hostile_documents())
    attack_files(report, form, "file_2", hostile_documents())
    report.assert_clean()


def test_verification_by_pdf_survives_hostile_files(report, answered):
    form = Form(
        key="verify-code",
        persona="public",
        client=persona_client(),
        url=reverse("inquiries:verify"),
        data={"upload": "1"},
        success="render",
    )
    attack_files(report, form, "pdf", hostile_documents())
    report.assert_clean()


def test_registry_import_survives_hostile_files_and_hostile_csv(report, ict_admin):
    form = Form(
        key="registry",
        persona="ICT admin",
        client=persona_client(ict_admin),
        url=reverse("counters:registry_import"),
        data={},
        success="render",
        then=_show(reverse("counters:registry")),
    )
    attack_files(report, form, "file", [*hostile_documents(), *hostile_csvs()])
    report.assert_clean()
