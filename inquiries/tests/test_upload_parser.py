"""PDF uploads are parsed, not searched: what pypdf resolves is what is checked.

The hostile files are built here, byte by byte where a writer would not produce them (a ``stream``
keyword ending in a bare CR, an object stream found through a cross-reference stream)."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.annotations import Link

from inquiries import upload_pdf
from inquiries.tests.factories import complete_draft
from inquiries.uploads import UploadRejected, upload_inspect

MB = 1024 * 1024


def _code(content: bytes, name: str = "scan.pdf") -> str | None:
    """The refusal's code, or None when the file is taken."""
    try:
        upload_inspect(SimpleUploadedFile(name, content), max_bytes=10 * MB)
    except UploadRejected as refusal:
        return refusal.code
    return None


# --- Building PDFs ---------------------------------------------------------------------------------

CATALOG = b"<< /Type /Catalog /Pages 2 0 R%s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]%s >>"


def _stream(dictionary: bytes, data: bytes, *, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data)
        dictionary += b" /Filter /FlateDecode"
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def _classic(*objects: bytes, header: bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """A PDF with a cross-reference table; object 1 is the catalogue."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _document(catalog: bytes = b"", page: bytes = b"", *extra: bytes) -> bytes:
    """A one-page PDF; extra objects are numbered from 4."""
    return _classic(CATALOG % catalog, PAGES, PAGE % page, *extra)


def _in_an_object_stream(catalog: bytes, *, keyword_end: bytes) -> bytes:
    """A PDF 1.5 file whose catalogue, page tree and page sit compressed in one object stream,
    found through a cross-reference stream; the object stream's ``stream`` keyword ends with
    keyword_end (the standard says CRLF or LF; pypdf also reads a bare CR or spaces first)."""
    held = [CATALOG % catalog, PAGES, PAGE % b""]
    offsets, body = [], b""
    for member in held:
        offsets.append(len(body))
        body += member + b"\n"
    index = b" ".join(b"%d %d" % (number, offset) for number, offset in enumerate(offsets, 1))
    index += b"\n"
    packed = zlib.compress(index + body)
    container, xref_number = 4, 5

    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    container_offset = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /Length %d >>\n" % (
        container,
        len(index),
        len(packed),
    )
    out += b"stream" + keyword_end + packed + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    rows = [b"\x00" + bytes(4) + b"\xff\xff"]
    rows += [b"\x02" + container.to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(3)]
    rows += [b"\x01" + offset.to_bytes(4, "big") + bytes(2) for offset in (container_offset,)]
    rows += [b"\x01" + xref_offset.to_bytes(4, "big") + bytes(2)]
    table = b"".join(rows)
    out += b"%d 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number,
        len(table),
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def _pypdf(build=lambda writer, page: None) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    build(writer, page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("run.bat", "calc.exe")
    return out.getvalue()


def _weasyprint(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


OPEN_SCRIPT = b" /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"
XDP = (
    b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform><event activity="initialize">'
    b'<script contentType="application/x-javascript">app.alert(1)</script></event></subform>'
    b"</template></xdp:xdp>"
)


# --- The cases the attack found --------------------------------------------------------------------


@pytest.mark.parametrize(
    "keyword_end", [b"\r", b" \n", b" \r\n"], ids=["bare-cr", "space-lf", "space-crlf"]
)
def test_script_opening_from_an_object_stream_with_an_unusual_stream_keyword_is_refused(
    keyword_end,
):
    pdf = _in_an_object_stream(OPEN_SCRIPT, keyword_end=keyword_end)
    assert b"JavaScript" not in pdf  # compressed: a search of the bytes cannot see it
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/OpenAction"]["/S"] == "/JavaScript"  # and pypdf resolves it

    assert _code(pdf) == "pdf_active_content"


def test_the_same_file_without_the_script_is_accepted():
    # The hand-built object-stream file is a real PDF: the refusal above is for the script.
    pdf = _in_an_object_stream(b"", keyword_end=b"\r")

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert _code(pdf) is None


def test_xfa_form_with_a_script_is_refused():
    pdf = _document(
        b" /AcroForm << /Fields [] /XFA 4 0 R >>", b"", _stream(b"", XDP, compress=True)
    )

    assert _code(pdf) == "pdf_active_content"


def test_form_that_submits_its_data_is_refused():
    widget = (
        b"<< /Type /Annot /Subtype /Widget /FT /Btn /T (send) /Rect [0 0 100 20] /P 3 0 R"
        b" /A << /S /SubmitForm /F << /FS /URL /F (https://collector.example/) >> >> >>"
    )
    pdf = _document(b" /AcroForm << /Fields [4 0 R] >>", b" /Annots [4 0 R]", widget)

    assert _code(pdf) == "pdf_active_content"


def test_pdf_with_a_zip_appended_is_refused():
    assert _code(_document() + _zip()) == "pdf_trailing_data"


def test_pdf_carrying_a_zip_in_a_stream_is_refused():
    # A ZIP reader finds the archive by its directory near the end, whatever precedes it.
    pdf = _document(b"", b"", _stream(b"", _zip()))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert zipfile.is_zipfile(io.BytesIO(pdf))

    assert _code(pdf) == "pdf_polyglot"


def test_pdf_with_html_appended_is_refused():
    pdf = _document() + b"<html><script>alert(document.cookie)</script></html>"

    assert _code(pdf) == "pdf_trailing_data"


@pytest.mark.parametrize(
    "html",
    [
        b"%<html><body><script>alert(document.cookie)</script>",
        b"%<SCRIPT>alert(1)</SCRIPT>",
        b"%<svg onload=alert(1)>",
        b"%<img src=x onerror=alert(1)>",
    ],
)
def test_pdf_that_is_also_a_web_page_is_refused(html):
    pdf = _classic(CATALOG % b"", PAGES, PAGE % b"", header=b"%PDF-1.4\n" + html + b"\n")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # a valid PDF

    assert _code(pdf) == "pdf_polyglot"


def test_fifteen_byte_pdf_is_refused():
    pdf = b"%PDF-1.4\n%%EOF\n"
    assert len(pdf) == 15

    assert _code(pdf) == "pdf_unreadable"


def test_pdf_without_a_page_is_refused():
    pdf = _classic(CATALOG % b"", b"<< /Type /Pages /Kids [] /Count 0 >>")

    assert _code(pdf) == "pdf_no_pages"


# --- Other active content --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pdf",
    [
        _document(b" /OpenAction << /S /Launch /F (cmd.exe) >>"),
        _document(b" /OpenAction << /S /URI /URI (https://example.org/) >>"),
        _document(
            b" /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (1) >> >>"
        ),
        _document(
            b" /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [4 0 R] >>",
            b"",
            b"<< /S /Hide /T (x) >>",
        ),
        _document(b" /OpenAction 4 0 R", b"", b"<< /S 5 0 R /JS (1) >>", b"/JavaScript"),
        _document(b" /AA << /WC << /S /ImportData /F (data.fdf) >> >>"),
        _document(b"", b" /AA << /O << /S /Named /N /Print >> >>"),
        _document(b"", b" /AA 4 0 R", b"<< /C 5 0 R >>", b"<< /S /ResetForm >>"),
        _document(
            b" /Names << /JavaScript 4 0 R >>",
            b"",
            b"<< /Names [(a) 5 0 R] >>",
            b"<< /S /JavaScript /JS (1) >>",
        ),
        _document(b" /Names << /EmbeddedFiles 4 0 R >>", b"", b"<< /Names [] >>"),
        _pypdf(lambda writer, page: writer.add_open_action(JavaScript("app.alert(1)"))),
        _pypdf(lambda writer, page: writer.add_attachment("invoice.exe", b"MZ")),
    ],
    ids=[
        "launch-on-opening",
        "link-opened-by-itself",
        "page-view-then-script",
        "page-view-then-hide",
        "script-type-by-reference",
        "import-data-before-closing",
        "print-on-page-opening",
        "reset-on-page-closing",
        "document-scripts",
        "embedded-files",
        "pypdf-script-on-opening",
        "pypdf-attachment",
    ],
)
def test_pdf_that_runs_something_by_itself_is_refused(pdf):
    assert _code(pdf) == "pdf_active_content"


def _link(action: bytes) -> bytes:
    annotation = b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << %s >> >>" % action
    return _document(b"", b" /Annots [4 0 R]", annotation)


@pytest.mark.parametrize(
    "action",
    [
        b"/S /Launch /F (C:\\\\Windows\\\\System32\\\\cmd.exe)",
        b"/S /GoToR /F (other.pdf) /D [0 /Fit]",
        b"/S /GoToE /T << /R /C /N (x) >>",
        b"/S /URI /URI (javascript:alert\\(1\\))",
        b"/S /URI /URI (file:///etc/passwd)",
        b"/S /URI /URI (\\\\\\\\server\\\\share\\\\x)",
        b"/S /URI /URI (https://example.org/\\000@file)",
        b"/S /Named /N /SaveAs",
        b"/S /Rendition /R << >>",
        b"/S /Thread /D 0",
        b"/S /#4A#61vaScript /JS (1)",
    ],
    ids=[
        "launch",
        "other-file",
        "embedded-file",
        "javascript-link",
        "file-link",
        "network-share-link",
        "link-with-a-control-character",
        "menu-command",
        "rendition",
        "thread",
        "name-spelt-in-hex",
    ],
)
def test_link_that_does_more_than_show_a_page_or_open_a_web_address_is_refused(action):
    assert _code(_link(action)) == "pdf_active_content"


@pytest.mark.parametrize("subtype", [b"FileAttachment", b"RichMedia", b"Sound", b"Movie", b"3D"])
def test_annotation_carrying_a_file_or_media_is_refused(subtype):
    annotation = b"<< /Type /Annot /Subtype /%s /Rect [0 0 10 10] >>" % subtype

    assert _code(_document(b"", b" /Annots [4 0 R]", annotation)) == "pdf_active_content"


def test_script_added_in_an_incremental_update_is_refused():
    writer = PdfWriter(io.BytesIO(_document()), incremental=True)
    writer.add_open_action(JavaScript("app.alert(1);"))
    out = io.BytesIO()
    writer.write(out)
    pdf = out.getvalue()
    assert pdf.count(b"%%EOF") == 2

    assert _code(pdf) == "pdf_active_content"


def test_object_stream_not_pointed_into_is_still_searched():
    # A viewer repairing the file would read it; the cross-reference table does not name its objects.
    hidden = b"1 0 << /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>"
    packed = zlib.compress(hidden)
    container = (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
    )

    assert _code(_document(b"", b"", container % (len(packed), packed))) == "pdf_active_content"


# --- Bounds ----------------------------------------------------------------------------------------


def test_pdf_with_more_objects_than_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(upload_pdf, "MAX_OBJECTS", 10)

    assert _code(_document(b"", b"", *[b"<< >>"] * 10)) == "pdf_too_complex"


def test_pdf_nested_deeper_than_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(upload_pdf, "MAX_DEPTH", 20)
    nested = b"[" * 25 + b"]" * 25

    assert _code(_document(b" /Deep " + nested)) == "pdf_too_complex"


def test_pdf_syntax_beyond_the_parser_budget_is_refused(monkeypatch):
    monkeypatch.setattr(upload_pdf, "MAX_PARSER_READS", 20_000)
    numbers = b"[" + b"0 " * 20_000 + b"]"

    assert _code(_document(b"", b"", numbers)) == "pdf_too_complex"


def test_pdf_with_more_items_than_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(upload_pdf, "MAX_ITEMS", 1_000)

    assert _code(_document(b"", b"", b"[" + b"0 " * 1_000 + b"]")) == "pdf_too_complex"


def test_object_streams_unpacking_beyond_the_bound_are_refused(monkeypatch):
    monkeypatch.setattr(upload_pdf, "MAX_OBJECT_STREAM_BYTES", 1_000)
    packed = zlib.compress(b"1 0 " + b" " * 5_000 + b"<< >>")
    container = (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
    )

    assert _code(_document(b"", b"", container % (len(packed), packed))) == "pdf_too_complex"


def test_broken_object_stream_is_refused_rather_than_salvaged():
    # pypdf cuts bytes off the end of a broken compressed stream until zlib takes it.
    packed = zlib.compress(b"1 0 << /Type /Catalog >>")[:-6] + b"garbage"
    container = (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
    )

    assert _code(_document(b"", b"", container % (len(packed), packed))) == "pdf_unreadable"


def test_pdf_pointing_at_many_missing_objects_is_refused_after_a_few_searches(monkeypatch):
    # pypdf searches the whole file for an object its table does not name: each search is bounded
    # in number, or a 10 MB file naming a thousand missing objects would take minutes.
    monkeypatch.setattr(upload_pdf, "MAX_WHOLE_FILE_SEARCHES", 3)
    pdf = _document(
        b" /OpenAction [3 0 R /Fit] /AA << /WC 90 0 R /WS 91 0 R /DS 92 0 R /WP 93 0 R >>"
    )

    assert _code(pdf) == "pdf_too_complex"


# --- Accepted --------------------------------------------------------------------------------------


def test_pdf_from_weasyprint_with_a_web_link_is_accepted():
    pdf = _weasyprint('<p>پاسخ استعلام <a href="https://urmia.ir/">شهرداری ارومیه</a></p>')
    assert b"/ObjStm" in pdf

    assert _code(pdf) is None


def test_pdf_from_pypdf_with_a_plain_page_and_links_is_accepted():
    def build(writer, page):
        writer.add_annotation(0, Link(rect=(50, 50, 200, 70), url="https://www.example.org/a?b=c"))
        writer.add_annotation(0, Link(rect=(50, 80, 200, 100), url="mailto:info@example.org"))
        writer.add_annotation(0, Link(rect=(50, 110, 200, 130), target_page_index=0))

    assert _code(_pypdf(build)) is None


def test_pdf_opening_on_a_page_view_is_accepted():
    def build(writer, page):
        writer.open_destination = page

    pdf = _pypdf(build)
    assert b"/OpenAction" in pdf

    assert _code(pdf) is None
    assert _code(_document(b" /OpenAction << /S /GoTo /D [3 0 R /FitH 842] >>")) is None


def test_standard_page_turning_links_are_accepted():
    assert _code(_link(b"/S /Named /N /NextPage")) is None


def test_scanned_pdf_with_a_jpeg_image_is_accepted():
    out = io.BytesIO()
    scan = Image.effect_noise((620, 877), 40).convert("RGB")
    scan.save(out, "PDF", resolution=75)
    pdf = out.getvalue()
    assert b"/DCTDecode" in pdf

    assert _code(pdf) is None


def test_pdf_with_a_few_padding_bytes_after_its_end_is_accepted():
    assert _code(_document() + b"\r\n\x00\x00  \n") is None


def test_pdf_saved_with_an_incremental_update_is_accepted():
    writer = PdfWriter(io.BytesIO(_document()), incremental=True)
    writer.add_metadata({"/Title": "سند"})
    out = io.BytesIO()
    writer.write(out)

    assert _code(out.getvalue()) is None


def test_refusal_messages_are_persian():
    with translation.override("fa"):
        try:
            upload_inspect(
                SimpleUploadedFile("scan.pdf", _link(b"/S /Launch /F (x)")), max_bytes=MB
            )
        except UploadRejected as refusal:
            message = refusal.messages[0]
    assert "فایل‌های PDF" in message


# --- Through the pages that take uploads -----------------------------------------------------------


def _hostile_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "deed.pdf",
        _in_an_object_stream(OPEN_SCRIPT, keyword_end=b"\r"),
        content_type="application/pdf",
    )


@pytest.mark.django_db
def test_documents_step_refuses_a_hostile_pdf_with_a_persian_message(client_for, citizen):
    draft = complete_draft(citizen)
    attachments = draft.attachments.count()

    with translation.override("fa"):
        page = client_for(citizen).post(
            f"/inquiries/drafts/{draft.pk}/documents/", {"kind": "other", "file": _hostile_pdf()}
        )

    assert page.status_code == 200
    html = page.content.decode()
    assert "invalid-feedback" in html
    assert "اسکریپت" in html
    assert draft.attachments.count() == attachments


@pytest.mark.django_db
def test_answer_to_a_request_for_information_refuses_a_hostile_pdf_and_keeps_the_note(
    client_for, citizen, reviewer_d1
):
    from inquiries import services
    from inquiries.tests.factories import InquiryFactory
    from inquiries.workflow import InquiryStatus

    inquiry = InquiryFactory(applicant=citizen)
    services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, note="سند خوانا نیست")

    with translation.override("fa"):
        page = client_for(citizen).post(
            f"/inquiries/{inquiry.tracking_code}/respond/",
            {"note": "سند خوانا پیوست شد", "kind": "deed", "file": _hostile_pdf()},
        )

    assert page.status_code == 200
    html = page.content.decode()
    assert "سند خوانا پیوست شد" in html
    assert "اسکریپت" in html
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.NEEDS_INFO
