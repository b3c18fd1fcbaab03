"""Uploads: the memory and time the check takes for the worst files it may be sent.

    .venv/bin/python bench/upload_memory.py

Each file is checked in a fresh process; printed are the process's resident memory before the check,
its peak during it (both in MB), the CPU seconds, and the verdict. Pictures at the size limits
(ATTACHMENT_MAX_PIXELS, ATTACHMENT_MAX_SIDE) are accepted and redrawn; a 6300 x 6300 PNG is refused
from its header; hostile PDFs are refused at the parser's bounds. Target: the peak stays under
300 MB with the web process's own ~80 MB counted, i.e. the check adds at most ~200 MB.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

from _setup import ROOT

CHILD = """
import os, sys, tempfile, time
sys.path.insert(0, sys.argv[3])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shahrvand.settings.base")
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="shahrvand-bench-")
os.environ.setdefault("DEBUG", "0")
os.environ["LOG_LEVEL"] = "ERROR"
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from inquiries.uploads import UploadRejected, upload_inspect
import inquiries.upload_pdf  # imported before measuring, as in a warm worker

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024

data = open(sys.argv[1], "rb").read()
upload = SimpleUploadedFile(sys.argv[2], data)
before = status("VmRSS")
start = time.process_time()
try:
    verdict = "accepted, %d bytes stored" % upload_inspect(upload, max_bytes=len(data)).size
except UploadRejected as refusal:
    verdict = "refused: " + refusal.code
print("%.0f %.0f %.1f %s" % (before, status("VmHWM"), time.process_time() - start, verdict))
"""


def png(width: int, height: int) -> bytes:
    """An RGBA PNG of constant colour, written row by row: a few KB whatever its size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x20\x40\x80\xff" * width
    packed = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", packed) + chunk(b"IEND", b"")
    )


def jpeg(width: int, height: int, mode: str) -> bytes:
    """The costliest JPEG to decode: progressive, no chroma subsampling, turned by its EXIF."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(
        out, "JPEG", progressive=True, subsampling=0, quality=95, exif=exif
    )
    return out.getvalue()


def pdf(*objects: bytes, catalog: bytes = b"", padding: int = 0) -> bytes:
    catalog = b"<< /Type /Catalog /Pages 2 0 R%s >>" % catalog
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    out = bytearray(b"%PDF-1.5\n")
    offsets = []
    for number, body in enumerate((catalog, pages, page, *objects), start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    out += b" " * padding
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        xref,
    )
    return bytes(out)


def pdf_in_an_object_stream(*members: bytes) -> bytes:
    """A PDF 1.5 file whose objects all sit in one compressed object stream, found through a
    cross-reference stream: pypdf parses every member when the first is looked up."""
    held = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *members,
    ]
    index, body = [], b""
    for number, member in enumerate(held, start=1):
        index.append(b"%d %d" % (number, len(body)))
        body += member + b"\n"
    head = b" ".join(index) + b"\n"
    packed = zlib.compress(head + body)
    container, xref_number = len(held) + 1, len(held) + 2
    out = bytearray(b"%PDF-1.5\n")
    container_offset = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        container,
        len(held),
        len(head),
        len(packed),
    )
    out += b"stream\n" + packed + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    rows = [b"\x00" + bytes(4) + b"\xff\xff"]
    rows += [
        b"\x02" + container.to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(len(held))
    ]
    rows += [
        b"\x01" + offset.to_bytes(4, "big") + bytes(2) for offset in (container_offset, xref_offset)
    ]
    table = b"".join(rows)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        len(table),
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def scanned_pdf(pages: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    sheets = [Image.effect_noise((1240, 1754), 30).convert("RGB") for _ in range(pages)]
    sheets[0].save(out, "PDF", save_all=True, append_images=sheets[1:], resolution=150)
    return out.getvalue()


def cases() -> list[tuple[str, str, bytes]]:
    names = b"[" + b"/a" * 90_000 + b"]"
    return [
        ("PNG 4000x4000 RGBA (16 MP, at the limit)", "plan.png", png(4000, 4000)),
        ("PNG 6300x6300 RGBA (40 MP)", "plan.png", png(6300, 6300)),
        ("JPEG 4000x4000 RGB progressive, turned", "photo.jpg", jpeg(4000, 4000, "RGB")),
        ("JPEG 4000x4000 CMYK progressive, turned", "photo.jpg", jpeg(4000, 4000, "CMYK")),
        ("PDF scanned, 10 pages of 150 dpi JPEG", "scan.pdf", scanned_pdf(10)),
        ("PDF 9 MB of names outside streams", "scan.pdf", pdf(*[names] * 50)),
        (
            "PDF object stream of 990 KB of names",
            "scan.pdf",
            pdf_in_an_object_stream(
                *[b"[" + b"/a" * 90_000 + b"]"] * 5, b"[" + b"/a" * 44_000 + b"]"
            ),
        ),
        (
            "PDF opening actions in 5,000 missing objects",
            "scan.pdf",
            pdf(
                b"<< %s >>" % b" ".join(b"/K%d %d 0 R" % (n, n) for n in range(10, 5010)),
                catalog=b" /AA 4 0 R",
                padding=8_000_000,
            ),
        ),
    ]


def main() -> None:
    print(f"{'file':45} {'bytes':>10} {'before':>7} {'peak':>6} {'cpu s':>6}  verdict")
    with tempfile.TemporaryDirectory() as folder:
        for label, name, content in cases():
            path = Path(folder) / name
            path.write_bytes(content)
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(path), name, str(ROOT)],
                capture_output=True,
                text=True,
                check=True,
            )
            before, peak, cpu, verdict = result.stdout.split(maxsplit=3)
            print(
                f"{label:45} {len(content):>10} {before:>7} {peak:>6} {cpu:>6}  {verdict.strip()}"
            )


if __name__ == "__main__":
    main()
