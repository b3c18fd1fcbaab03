"""Checking the documents citizens upload by what the bytes are, not by what the file is called.

The name and the browser's Content-Type are whatever the sender says; the first bytes are what a
viewer acts on. Only PDF, JPEG and PNG are taken. Images are decoded and drawn again by us, so what
is stored is a picture we wrote: no EXIF, GPS position or comments from the phone, and no file that
some other program would read as something else. PDFs are stored as sent, so they are refused when
they are encrypted (nothing inside could be checked) or carry scripts, launch actions or files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import os
import re
import threading
import unicodedata
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps

from shahrvand.text import format_number, reader_reads_persian

DEFAULT_MAX_PIXELS = 40_000_000
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
ORIGINAL_NAME_MAX_LENGTH = 120


@dataclass(frozen=True)
class InspectedUpload:
    content: bytes  # what to store (re-encoded for images)
    content_type: str  # "application/pdf" | "image/jpeg" | "image/png"
    extension: str  # ".pdf" | ".jpg" | ".png": ours, for the stored name
    size: int
    sha256: str
    original_name: str  # for display only, never a path


class UploadRejected(ValidationError):
    """A document we will not store, with a message for the citizen and a code for the code."""


def upload_inspect(
    uploaded: UploadedFile, *, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS
) -> InspectedUpload:
    """The upload as we will store it, or UploadRejected saying why not."""
    original_name = _display_name(uploaded.name or "")
    data = _read_within_limit(uploaded, max_bytes)
    kind = next((kind for kind in _FORMATS if data.startswith(kind.magic)), None)
    if kind is None:
        raise UploadRejected(_("Only PDF, JPEG or PNG files can be uploaded."), code="unsupported")

    extension = os.path.splitext(original_name)[1].lower()
    if not extension:
        raise UploadRejected(
            _("The file's name has no extension; it should end in %(extension)s."),
            code="extension_missing",
            params={"extension": kind.extension},
        )
    if extension not in kind.extensions:
        raise UploadRejected(
            _("The file's content does not match its extension (%(extension)s)."),
            code="extension_mismatch",
            params={"extension": extension},
        )

    if kind is _PDF:
        _check_pdf(data)
        content = data
    else:
        content = _redraw_image(data, kind, max_pixels)
    return InspectedUpload(
        content=content,
        content_type=kind.content_type,
        extension=kind.extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=original_name,
    )


class DocumentField(forms.FileField):
    """A file input whose cleaned value is an InspectedUpload (None when left empty)."""

    default_error_messages = {"empty": _("The file is empty.")}

    def __init__(
        self,
        *,
        max_bytes: int | None = None,
        max_pixels: int = DEFAULT_MAX_PIXELS,
        **kwargs,
    ):
        # None: read the setting when cleaning, so that a changed setting (or a test) takes effect.
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return value  # None when left empty; Django's False ("clear") or the initial file
        if self.max_bytes is not None:
            max_bytes = self.max_bytes
        else:
            max_bytes = getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
        try:
            return upload_inspect(value, max_bytes=max_bytes, max_pixels=self.max_pixels)
        except UploadRejected as rejected:
            raise ValidationError(
                rejected.message, code=rejected.code, params=rejected.params
            ) from None


@dataclass(frozen=True)
class _Format:
    content_type: str
    extension: str  # the one we store under
    extensions: frozenset[str]  # the ones we take on the citizen's file name
    magic: bytes
    pillow: str


_PDF = _Format("application/pdf", ".pdf", frozenset({".pdf"}), b"%PDF-", "")
_JPEG = _Format("image/jpeg", ".jpg", frozenset({".jpg", ".jpeg"}), b"\xff\xd8\xff", "JPEG")
_PNG = _Format("image/png", ".png", frozenset({".png"}), b"\x89PNG\r\n\x1a\n", "PNG")
_FORMATS = (_PDF, _JPEG, _PNG)


# --- Names -----------------------------------------------------------------------------------------

# Right-to-left overrides make "report\u202efdp.exe" show as "reportexe.pdf". Zero-width
# (non-)joiners stay: Persian words need them.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_DROPPED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def _display_name(name: str) -> str:
    name = "".join(
        char
        for char in unicodedata.normalize("NFC", name)
        if char not in _BIDI_CONTROLS
        and char != "\ufeff"
        and unicodedata.category(char) not in _DROPPED_CATEGORIES
    )
    # Browsers on Windows have sent whole paths; either separator may come from any client.
    name = re.split(r"[/\\]", name)[-1].strip()
    if name in {".", ".."}:
        return ""
    if len(name) <= ORIGINAL_NAME_MAX_LENGTH:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) > 10:
        extension = ""
    return stem[: ORIGINAL_NAME_MAX_LENGTH - len(extension)].rstrip() + extension


# --- Size ------------------------------------------------------------------------------------------


def _read_within_limit(uploaded: UploadedFile, max_bytes: int) -> bytes:
    # The declared size spares reading an oversized file at all; reading one byte past the limit
    # catches a size that lied without holding more than that in memory.
    if uploaded.size == 0:
        raise _empty()
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_large(max_bytes)
    if uploaded.seekable():
        uploaded.seek(0)
    chunks = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = uploaded.read(min(remaining, 64 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if not data:
        raise _empty()
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _empty() -> UploadRejected:
    return UploadRejected(_("The file is empty."), code="empty")


def _too_large(max_bytes: int) -> UploadRejected:
    megabytes = max(round(max_bytes / (1024 * 1024), 1), 0.1)
    if megabytes.is_integer():
        megabytes = int(megabytes)
    limit = format_number(megabytes, persian=reader_reads_persian())
    return UploadRejected(
        _("The file is larger than %(limit)s MB."), code="too_large", params={"limit": limit}
    )


# --- PDF -------------------------------------------------------------------------------------------

_PDF_WHITESPACE = rb"[\x00\t\n\x0c\r ]"
_PDF_NAME_END = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"
# Object streams hold dictionaries only (pages, actions, the catalogue), so a real one is small.
_PDF_OBJECT_STREAMS_MAX_BYTES = 16 * 1024 * 1024


def _pdf_name(name: str, then: bytes = _PDF_NAME_END) -> bytes:
    """A pattern for /Name, also when characters are spelt #xx (/J#61vaScript is /JavaScript)."""
    spelt = b"".join(b"(?:%s|#(?i:%02x))" % (re.escape(char.encode()), ord(char)) for char in name)
    return b"/" + spelt + then


_PDF_ENCRYPTED = re.compile(_pdf_name("Encrypt"))
_PDF_ACTIVE_CONTENT = re.compile(
    b"|".join(
        [
            # A JavaScript action always says /S /JavaScript, and the document-level scripts sit under
            # /JavaScript in the names tree; so /OpenAction and /AA running a script are caught here.
            _pdf_name("JavaScript"),
            # Only /JS followed by a script (string or reference): a bare "/JS" turns up by chance in
            # megabytes of compressed image data.
            _pdf_name("JS", then=rb"%s*+(?:[(<]|\d++%s++\d++%s++R)" % ((_PDF_WHITESPACE,) * 3)),
            _pdf_name("Launch"),
            _pdf_name("EmbeddedFile"),
            _pdf_name("EmbeddedFiles"),
            _pdf_name("FileAttachment"),
            _pdf_name("RichMedia"),
        ]
    )
)
_PDF_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n)")
# Possessive, and only from the first digit of a number: a run of ten million digits must not take
# ten million steps from each of them.
_PDF_OBJECT_START = re.compile(
    rb"(?<![0-9])\d++%s++\d++%s*+obj" % (_PDF_WHITESPACE, _PDF_WHITESPACE)
)
_PDF_OBJECT_STREAM_TYPE = re.compile(_pdf_name("ObjStm"))


def _check_pdf(data: bytes) -> None:
    # A file cut short in the upload has no end-of-file marker; viewers "repair" it silently.
    if b"%%EOF" not in data[-2048:]:
        raise _pdf_unreadable("pdf_incomplete")
    if _PDF_ENCRYPTED.search(data):
        raise UploadRejected(
            _("Password-protected PDF files cannot be accepted."), code="pdf_encrypted"
        )
    for text in itertools.chain([data], _pdf_object_streams(data)):
        if _PDF_ACTIVE_CONTENT.search(text):
            raise UploadRejected(
                _("PDF files with scripts or embedded files cannot be accepted."),
                code="pdf_active_content",
            )


def _pdf_object_streams(data: bytes) -> Iterator[bytes]:
    """The unpacked object streams, where PDF 1.5 writers compress the dictionaries (the catalogue
    and its actions among them), out of sight of a search of the raw bytes.

    This is a search, not a parser: it finds what ordinary writers produce, not every disguise.
    """
    budget = _PDF_OBJECT_STREAMS_MAX_BYTES
    # Each object runs from its "N G obj" to the next one, so no byte is looked at twice however
    # many "stream" keywords a file repeats.
    starts = [match.end() for match in _PDF_OBJECT_START.finditer(data)]
    for start, end in itertools.pairwise([*starts, len(data)]):
        stream = _PDF_STREAM_START.search(data, start, end)
        if stream is None or not _PDF_OBJECT_STREAM_TYPE.search(data, start, stream.start()):
            continue
        stream_end = data.find(b"endstream", stream.end(), end)
        body = data[stream.end() : stream_end if stream_end >= 0 else end]
        try:
            unpacked = zlib.decompressobj().decompress(body, budget + 1)
        except zlib.error:
            # Object streams are always Flate-compressed in practice; one we cannot open could
            # hide anything.
            raise _pdf_unreadable("pdf_unreadable") from None
        if len(unpacked) > budget:
            raise _pdf_unreadable("pdf_unreadable")
        budget -= len(unpacked)
        yield unpacked


def _pdf_unreadable(code: str) -> UploadRejected:
    return UploadRejected(
        _("This PDF file is damaged or incomplete. Try saving or scanning it again."), code=code
    )


# --- Images ----------------------------------------------------------------------------------------

# Modes Pillow writes to PNG as they are; anything else (CMYK, 32-bit) becomes RGBA.
_PNG_MODES = frozenset({"1", "L", "LA", "I;16", "I;16B", "P", "RGB", "RGBA"})


# WeasyPrint turns Pillow's process-wide LOAD_TRUNCATED_IMAGES on when imported, and then Pillow
# fills a cut-off picture with grey instead of failing. Uploads are decoded with it off; the lock keeps
# two uploads from restoring each other's setting (and warning filters) in threaded servers.
_STRICT_DECODING = threading.Lock()


@contextlib.contextmanager
def _strict_decoding() -> Iterator[None]:
    with _STRICT_DECODING, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _redraw_image(data: bytes, kind: _Format, max_pixels: int) -> bytes:
    try:
        with _strict_decoding():
            with Image.open(io.BytesIO(data), formats=[kind.pillow]) as probe:
                if probe.width * probe.height > max_pixels:
                    raise _too_many_pixels(max_pixels)
                probe.verify()
            # verify() leaves the image unusable; Pillow's advice is to open it again.
            with Image.open(io.BytesIO(data), formats=[kind.pillow]) as image:
                image.load()
                picture = ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except Exception as error:
        # Broken input makes Pillow raise all sorts (OSError, SyntaxError, ValueError, struct.error).
        raise UploadRejected(
            _("This image could not be read. Try saving it again or scanning it as PDF."),
            code="image_unreadable",
        ) from error

    # Pillow carries comments, ICC profiles and EXIF over from .info when saving: start clean.
    if kind is _JPEG:
        picture = picture.convert("RGB")
        picture.info = {}
        options = {"quality": 85, "optimize": True}
    else:
        if picture.mode not in _PNG_MODES:
            picture = picture.convert("RGBA")
        transparency = picture.info.get("transparency")
        picture.info = {} if transparency is None else {"transparency": transparency}
        options = {"optimize": True}
    out = io.BytesIO()
    picture.save(out, kind.pillow, **options)
    return out.getvalue()


def _too_many_pixels(max_pixels: int) -> UploadRejected:
    megapixels = format_number(max(max_pixels // 1_000_000, 1), persian=reader_reads_persian())
    return UploadRejected(
        _(
            "The image has more than %(megapixels)s megapixels. "
            "Save it at a smaller size or scan it at a lower resolution."
        ),
        code="too_many_pixels",
        params={"megapixels": megapixels},
    )
