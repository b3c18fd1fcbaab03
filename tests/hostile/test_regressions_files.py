"""Issue 10, items 4, 7, 11, 12 and 13, over HTTP: CSV files that broke the import, PDFs with active
content or other formats attached, a Latin-1 CSV read as Windows-1256, a forged TOTAL_FORMS, and a
6300x6300 PNG."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from counters.forms_ict import AttendanceFormSet
from counters.models import CounterOffice, TrainingSession
from inquiries.kinds import InquiryKind
from inquiries.models import Attachment

from .files import CSV_HEADER, csv_row, hostile_documents, huge_png_file
from .harness import Upload, persona_client, refusal_problems, send
from .world import jalali_days_ago

pytestmark = pytest.mark.django_db


def _import(ict_admin, content: bytes):
    return send(
        persona_client(ict_admin),
        "post",
        reverse("counters:registry_import"),
        {},
        {"file": Upload("offices.csv", content, "text/csv")},
    )


def _answered_or_listed(response) -> list[str]:
    """An import either goes through (redirect) or lists its problems in Persian."""
    if response.status_code == 302:
        return []
    return refusal_problems(response)


# --- item 4: CSV files that gave a 500 --------------------------------------------------------------


def test_item_4_a_csv_with_cr_only_line_endings_is_imported_or_explained(ict_admin):
    content = f"{CSV_HEADER}\r{csv_row()}\r".encode()
    assert _answered_or_listed(_import(ict_admin, content)) == []


def test_item_4_a_stray_cr_inside_a_field_is_imported_or_explained(ict_admin):
    row = csv_row(name="دفتر\rنمونه")
    content = f"{CSV_HEADER}\n{row}\n".encode()
    assert _answered_or_listed(_import(ict_admin, content)) == []
    assert not CounterOffice.objects.filter(name__contains="\r").exists()


def test_item_4_a_field_over_128_kb_is_explained(ict_admin):
    # Python's csv module stops at 131,072 characters in one field.
    content = f"{CSV_HEADER}\n{csv_row(name='ب' * 140_000)}\n".encode()
    assert refusal_problems(_import(ict_admin, content)) == []
    assert not CounterOffice.objects.filter(number=11901).exists()


# --- item 7: PDFs with active content, polyglots, a PDF with no page --------------------------------

ITEM_7_FILES = {
    f.label: f
    for f in hostile_documents()
    if f.label
    in {
        "pdf-js-in-object-stream-bare-cr",
        "pdf-js-in-object-stream-space-eol",
        "pdf-xfa-script",
        "pdf-submit-form-action",
        "pdf-zip-polyglot",
        "pdf-html-polyglot",
        "tiny-15-byte-pdf",
    }
}


@pytest.mark.parametrize("label", sorted(ITEM_7_FILES))
def test_item_7_a_pdf_with_active_content_or_another_format_is_refused(citizen, drafts, label):
    draft = drafts[InquiryKind.TRANSFER]
    before = draft.attachments.count()
    response = send(
        persona_client(citizen),
        "post",
        reverse("inquiries:draft_step", args=[draft.pk, "documents"]),
        {"kind": "other"},
        {"file": ITEM_7_FILES[label].upload()},
    )
    assert refusal_problems(response) == []
    assert draft.attachments.count() == before


# --- item 11: a Latin-1 file read as Windows-1256 --------------------------------------------------


def test_item_11_a_latin_1_csv_is_never_stored_garbled(ict_admin):
    row = "counter,11977,Übung,L-11977,1,Hauptstraße 1,04433445566,Jörg Müller"
    response = _import(ict_admin, f"{CSV_HEADER}\n{row}\n".encode("latin-1"))
    assert _answered_or_listed(response) == []
    stored = list(CounterOffice.objects.filter(number=11977).values_list("name", flat=True))
    assert stored in ([], ["Übung"]), stored


# --- item 12: a forged TOTAL_FORMS ---------------------------------------------------------------


def test_item_12_a_forged_total_forms_is_refused_with_a_message_without_building_the_forms(
    ict_admin, pishkhan_office
):

    response = send(
        persona_client(ict_admin),
        "post",
        reverse("counters:training_new"),
        {
            "date": jalali_days_ago(),
            "trainer": "مهندس رحیمی",
            "topic": "آشنایی با سامانه استعلام",
            "offices-TOTAL_FORMS": "1000000",
            "offices-INITIAL_FORMS": "0",
            "offices-0-office": str(pishkhan_office.pk),
            "offices-0-people": "3",
        },
    )
    assert refusal_problems(response, "مهندس رحیمی") == []
    html = response.content.decode()
    rows = set(re.findall(r'name="offices-([0-9]+)-people"', html))
    assert len(rows) <= AttendanceFormSet.max_num, f"{len(rows)} rows were built and shown"
    assert not TrainingSession.objects.exists()


# --- item 13: a 6300x6300 PNG ------------------------------------------------------------------------


def test_item_13_a_6300_by_6300_png_is_refused_before_it_is_decoded(citizen, needs_info):
    response = send(
        persona_client(citizen),
        "post",
        reverse("inquiries:respond", args=[needs_info.tracking_code]),
        {"note": "سند را پیوست کردم", "kind": "deed"},
        {"file": huge_png_file().upload()},
    )
    assert refusal_problems(response, "سند را پیوست کردم") == []
    assert not Attachment.objects.filter(inquiry=needs_info).exists()
