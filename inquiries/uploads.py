"""Checking the documents citizens upload by what the bytes are, not by what the file is called.

The name and the browser's Content-Type are whatever the sender says; the first bytes are what a
viewer acts on. Only PDF, JPEG and PNG are taken. Images are decoded and drawn again by us, so what
is stored is a picture we wrote: no EXIF, GPS position or comments from the phone, and no file that
some other program would read as something else. Their size is checked from the header before a
pixel is decoded (ATTACHMENT_MAX_PIXELS, ATTACHMENT_MAX_SIDE), which bounds the memory decoding
takes. PDFs are stored as sent, so they are parsed and refused when they are encrypted, carry
scripts, actions, forms that send data or files, have no page, or are another format as well
(upload_pdf.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps

from shahrvand.text import format_number, reader_reads_persian

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
    uploaded: UploadedFile,
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    max_side: int | None = None,
) -> InspectedUpload:
    """The upload as we will store it, or UploadRejected saying why not.

    The limits default to the settings ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_PIXELS and
    ATTACHMENT_MAX_SIDE, read when called so that a changed setting (or a test) takes effect.
    """
    max_bytes = settings.ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    max_pixels = settings.ATTACHMENT_MAX_PIXELS if max_pixels is None else max_pixels
    max_side = settings.ATTACHMENT_MAX_SIDE if max_side is None else max_side
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
        content = _redraw_image(data, kind, max_pixels, max_side)
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
        max_pixels: int | None = None,
        max_side: int | None = None,
        **kwargs,
    ):
        # None: read the setting when cleaning, so that a changed setting (or a test) takes effect.
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels
        self.max_side = max_side
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return value  # None when left empty; Django's False ("clear") or the initial file
        try:
            return upload_inspect(
                value, max_bytes=self.max_bytes, max_pixels=self.max_pixels, max_side=self.max_side
            )
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


def _check_pdf(data: bytes) -> None:
    # Imported here: pypdf is needed only when a PDF arrives, not to start every process.
    from .upload_pdf import pdf_check

    pdf_check(data)


# --- Images ----------------------------------------------------------------------------------------

# Modes Pillow writes to PNG as they are; anything else (CMYK, 32-bit) becomes RGBA.
_PNG_MODES = frozenset({"1", "L", "LA", "I;16", "I;16B", "P", "RGB", "RGBA"})
# Modes written to JPEG as they are (a grey scan stays grey); CMYK becomes RGB.
_JPEG_MODES = frozenset({"L", "RGB"})


# WeasyPrint turns Pillow's process-wide LOAD_TRUNCATED_IMAGES on when imported, and then Pillow
# fills a cut-off picture with grey instead of failing. Uploads are decoded with it off; the lock keeps
# two uploads from restoring each other's setting (and warning filters) in threaded servers.
_STRICT_DECODING = threading.Lock()


@contextlib.contextmanager
def _strict_decoding(max_pixels: int) -> Iterator[None]:
    with _STRICT_DECODING, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        pillow_max_pixels = Image.MAX_IMAGE_PIXELS
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        # Pillow's own bomb check (it warns above the limit and fails above twice that) agrees
        # with ours, so whichever looks first refuses the same pictures.
        Image.MAX_IMAGE_PIXELS = min(pillow_max_pixels or max_pixels, max_pixels)
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
            Image.MAX_IMAGE_PIXELS = pillow_max_pixels


def _redraw_image(data: bytes, kind: _Format, max_pixels: int, max_side: int) -> bytes:
    try:
        with _strict_decoding(max_pixels):
            # Opening reads the header only: the size is known before a single pixel is decoded.
            with Image.open(io.BytesIO(data), formats=[kind.pillow]) as probe:
                _check_size(probe.size, max_pixels, max_side)
                probe.verify()
            # verify() leaves the image unusable; Pillow's advice is to open it again.
            with Image.open(io.BytesIO(data), formats=[kind.pillow]) as image:
                image.load()
                # In place, and converted only when the mode needs it: one copy of the pixels
                # at a time besides the decoded one, so the bound on pixels bounds the memory.
                ImageOps.exif_transpose(image, in_place=True)
                return _encode(image, kind)
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


def _check_size(size: tuple[int, int], max_pixels: int, max_side: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    if max(width, height) > max_side:
        raise UploadRejected(
            _(
                "The image is more than %(pixels)s pixels wide or high. "
                "Save it at a smaller size or scan it at a lower resolution."
            ),
            code="too_many_pixels",
            params={"pixels": format_number(max_side, persian=reader_reads_persian())},
        )


def _encode(image: Image.Image, kind: _Format) -> bytes:
    # Pillow carries comments, ICC profiles and EXIF over from .info when saving: start clean.
    if kind is _JPEG:
        picture = image if image.mode in _JPEG_MODES else image.convert("RGB")
        picture.info = {}
        options = {"quality": 85}
    else:
        picture = image if image.mode in _PNG_MODES else image.convert("RGBA")
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
