"""Checking an uploaded PDF by reading it as a viewer would: with a parser (pypdf), not a search.

A viewer acts on what its parser resolves, wherever the bytes sit: in a compressed object stream,
behind a ``stream`` keyword ending in a bare CR, under a name spelt ``/J#61vaScript``. So the file
is parsed, every object the cross-reference sections name is resolved (those inside object streams
included), and each dictionary is looked at. Refused:

- scripts (``/JS``, ``/JavaScript``), XFA forms, attached or embedded files, rich media, sound,
  movies and 3D;
- an action other than a page view run by itself (``/OpenAction``, ``/AA``): only ``/GoTo``;
- any other action than a page view, a web or mail link, a standard page-turning ``/Named``
  action or a form reset: ``/Launch``, ``/SubmitForm``, ``/ImportData``, ``/GoToR``, ``/GoToE``...
  Links (``/URI``) are common in letters a bank or an office sends as PDF, and a viewer asks
  before it follows one; only ``http:``, ``https:`` and ``mailto:`` links are taken, never
  ``file:``, ``javascript:`` or a network share;
- an encrypted file (nothing inside could be checked), one with no page, one pypdf cannot parse;
- another format riding along: data after the last ``%%EOF`` other than a little padding, a ZIP
  directory at the end (a ZIP reader looks there), HTML a browser would run.

The walk is bounded so that a hostile file cannot make it unbounded in time or memory: the number of
objects, the nesting of each, the items looked at, the reads the parser makes of the file (about one
per byte of PDF syntax; stream contents are read in one go and not counted), the bytes of unpacked
object streams, and the searches of the whole file pypdf makes to repair a broken one. A file over a
bound is refused with a message saying to print or scan it again.

pypdf is imported with this module, which uploads.py imports only when a PDF arrives.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from .uploads import UploadRejected

# --- Bounds ----------------------------------------------------------------------------------------

MAX_OBJECTS = 100_000  # indirect objects named by the cross-reference sections
MAX_ITEMS = 2_000_000  # dictionary entries and array items looked at, in all
MAX_DEPTH = 50  # arrays and dictionaries nested inside one object
# Parsed PDF syntax takes 30 to 70 times its size in memory and pypdf reads a few hundred KB of it
# a second; these two keep a hostile file under about 130 MB and a few seconds.
MAX_PARSER_READS = 2_000_000
MAX_OBJECT_STREAM_BYTES = 1_000_000  # all object streams together, unpacked
MAX_WHOLE_FILE_SEARCHES = 16  # pypdf looks for a misplaced object in the whole file
MAX_PAGES = 5_000
MAX_TRAILING_PADDING = 4096  # bytes of whitespace or NUL some writers leave after %%EOF
_SMALL_READ = 4096  # larger reads are stream contents, read in one go

# pypdf's own limits while checking an upload. Decoding is capped at the object-stream budget (the
# only streams decoded here are object streams and cross-reference streams).
_PYPDF_LIMITS = {
    "zlib_maximum_output_length": MAX_OBJECT_STREAM_BYTES,
    "lzw_maximum_output_length": MAX_OBJECT_STREAM_BYTES,
    "run_length_maximum_output_length": MAX_OBJECT_STREAM_BYTES,
    "brotli_maximum_output_length": MAX_OBJECT_STREAM_BYTES,
    "jbig2_maximum_output_length": MAX_OBJECT_STREAM_BYTES,
    "array_based_stream_maximum_output_length": MAX_OBJECT_STREAM_BYTES,
    "stream_decoding_work_maximum_length": 8 * MAX_OBJECT_STREAM_BYTES,
    # pypdf would otherwise feed a broken compressed stream to zlib a byte at a time to save what it
    # can: slow, and what it saves is not what another viewer would. Broken is refused.
    "zlib_maximum_recovery_input_length": 0,
    "page_tree_maximum_entries": 2 * MAX_PAGES,
    "page_tree_maximum_depth": 32,
    "page_tree_maximum_page_entries": 40 * MAX_PAGES,
    "jbig2dec_binary": None,  # never start another program for an upload
}

# --- What is refused -------------------------------------------------------------------------------

# As a key or as a name value anywhere: each is a script, an attached file, a form that runs or
# sends, or content a viewer hands to a player.
_ACTIVE_NAMES = frozenset(
    "/" + name
    for name in (
        "JavaScript",
        "JS",
        "XFA",
        "Launch",
        "SubmitForm",
        "ImportData",
        "GoToR",
        "GoToE",
        "EmbeddedFile",
        "EmbeddedFiles",
        "FileAttachment",
        "RichMedia",
        "RichMediaExecute",
        "Rendition",
        "Sound",
        "Movie",
        "3D",
    )
)
# Every action type of PDF 2.0: a dictionary whose /S is one of these is an action.
_ACTION_TYPES = frozenset(
    "/" + name
    for name in (
        "GoTo",
        "GoToR",
        "GoToE",
        "GoToDp",
        "Launch",
        "Thread",
        "URI",
        "Sound",
        "Movie",
        "Hide",
        "Named",
        "SubmitForm",
        "ResetForm",
        "ImportData",
        "SetOCGState",
        "Rendition",
        "Trans",
        "GoTo3DView",
        "JavaScript",
        "RichMediaExecute",
    )
)
_PAGE_VIEW = "/GoTo"
# Followed only when the reader clicks.
_CLICK_ACTIONS = frozenset({_PAGE_VIEW, "/URI", "/Named", "/ResetForm"})
_STANDARD_NAMED_ACTIONS = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
# What matters is the scheme: a web page or a mail, never a file, a program or a network share.
_SAFE_LINK = re.compile(r"(?:https?://|mailto:)[^\x00-\x1f\x7f]+\Z", re.IGNORECASE)

_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "
_PDF_NAME_END = rb"(?=[\x00\t\n\x0c\r ()<>\[\]{}/%]|\Z)"


def _pdf_name(name: str, then: bytes = _PDF_NAME_END) -> bytes:
    """A pattern for /Name, also when characters are spelt #xx (/J#61vaScript is /JavaScript)."""
    spelt = b"".join(b"(?:%s|#(?i:%02x))" % (re.escape(char.encode()), ord(char)) for char in name)
    return b"/" + spelt + then


_ENCRYPTED = re.compile(_pdf_name("Encrypt"))
# A second net under the parser, over the raw bytes and each unpacked object stream: a viewer that
# repairs a damaged file may find an object the cross-reference sections do not name.
_ACTIVE_BYTES = re.compile(
    b"|".join(
        [
            _pdf_name("JavaScript"),
            # Only /JS followed by a script (string or reference): a bare "/JS" turns up by chance in
            # megabytes of compressed image data.
            _pdf_name(
                "JS",
                then=rb"[\x00\t\n\x0c\r ]*+(?:[(<]|[0-9]++[\x00\t\n\x0c\r ]++[0-9]++"
                rb"[\x00\t\n\x0c\r ]++R)",
            ),
            _pdf_name("Launch"),
            _pdf_name("SubmitForm"),
            _pdf_name("XFA"),
            _pdf_name("EmbeddedFile"),
            _pdf_name("EmbeddedFiles"),
            _pdf_name("FileAttachment"),
            _pdf_name("RichMedia"),
        ]
    )
)
# What a browser would run if the file were ever opened as a web page, searched for in the file with
# its ASCII letters lowered: tags of five letters or more and named event handlers (shorter patterns
# turn up by chance in compressed data). Each starts with a literal, which keeps the search fast.
_HTML_TAG = re.compile(
    rb"<(?:script|html|body|iframe|frameset|object|embed|!doctype[\t\n\x0c\r ]+html)[\t\n\x0c\r />]"
)
_HTML_EVENT_HANDLER = re.compile(
    rb"on(?<=[\t\n\x0c\r \"'/]on)(?:load|error|focus|blur|click|mouseover|pageshow|toggle|begin"
    rb"|animationstart)[\t\n\x0c\r ]*+="
)
# A ZIP reader finds its directory from the end: the end record lies in the last 64 KB + 22 bytes.
_ZIP_END_RECORD = b"PK\x05\x06"
_ZIP_END_WINDOW = 65_535 + 22


# --- The check -------------------------------------------------------------------------------------


def pdf_check(data: bytes) -> None:
    """Nothing, or UploadRejected saying why the PDF is not taken."""
    if not _HEADER.match(data):
        raise _unreadable("pdf_unreadable")
    _check_end(data)
    if _ENCRYPTED.search(data):
        raise _encrypted()
    object_stream_contents = _parse_and_walk(data)
    for text in (data, *object_stream_contents):
        if _ACTIVE_BYTES.search(text):
            raise _active_content()
    if _ZIP_END_RECORD in data[-_ZIP_END_WINDOW:]:
        raise _polyglot()
    lowered = data.lower()
    if _HTML_TAG.search(lowered) or _HTML_EVENT_HANDLER.search(lowered):
        raise _polyglot()


def _check_end(data: bytes) -> None:
    end = data.rfind(b"%%EOF")
    if end < 0:
        # A file cut short in the upload has no end-of-file marker; viewers "repair" it silently.
        raise _unreadable("pdf_incomplete")
    after = data[end + len(b"%%EOF") :]
    if after.strip(_PDF_WHITESPACE) or len(after) > MAX_TRAILING_PADDING:
        raise UploadRejected(
            _(
                "This PDF file has other data attached after its end. "
                "Save or print it to PDF again, or scan it."
            ),
            code="pdf_trailing_data",
        )


def _parse_and_walk(data: bytes) -> list[bytes]:
    """The unpacked object streams, once every object has been looked at."""
    file = _MeteredFile(data)
    try:
        with apply_configuration(**_PYPDF_LIMITS):
            reader = PdfReader(
                file,
                strict=False,
                root_object_recovery_limit=1_000,
                xref_stream_maximum_entries=MAX_OBJECTS,
            )
            if reader.is_encrypted:
                raise _encrypted()
            walk = _Walk(reader)
            contents = walk.everything()
            if len(reader.pages) == 0:
                raise UploadRejected(
                    _("This PDF file has no pages. Check that you chose the right file."),
                    code="pdf_no_pages",
                )
            return contents
    except UploadRejected:
        raise
    except LimitReachedError as error:
        if isinstance(error.__cause__, zlib.error):  # the recovery refused above
            raise _unreadable("pdf_unreadable") from error
        raise _too_complex() from None
    except (_Exhausted, RecursionError, MemoryError):
        raise _too_complex() from None
    except Exception as error:
        # Hostile input makes pypdf raise all sorts (PdfReadError, ValueError, KeyError, ...).
        raise _unreadable("pdf_unreadable") from error


class _Exhausted(BaseException):
    """A bound was reached. Not an Exception: pypdf catches those in places and carries on."""


class _MeteredFile(io.BytesIO):
    """The upload as pypdf reads it, counting the reads its parser makes (a token takes one or two)
    and the copies of the whole file it takes to search for a misplaced object."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.reads_left = MAX_PARSER_READS
        self.searches_left = MAX_WHOLE_FILE_SEARCHES

    def read(self, size: int | None = -1, /) -> bytes:
        if size is not None and 0 <= size <= _SMALL_READ:
            self.reads_left -= 1
            if self.reads_left < 0:
                raise _Exhausted
        return super().read(size)

    def getbuffer(self) -> memoryview:
        self.searches_left -= 1
        if self.searches_left < 0:
            raise _Exhausted
        return super().getbuffer()


class _Walk:
    def __init__(self, reader: PdfReader):
        self.reader = reader
        self.items_left = MAX_ITEMS
        self.unpacked_left = MAX_OBJECT_STREAM_BYTES

    def everything(self) -> list[bytes]:
        """Look at every object the cross-reference sections name, object streams first: each is
        unpacked within its budget before pypdf parses what it holds."""
        reader = self.reader
        held: dict[int, list[int]] = {}
        for number, (container, _index) in reader.xref_objStm.items():
            held.setdefault(container, []).append(number)
        direct = [
            IndirectObject(number, generation, reader)
            for generation, table in reader.xref.items()
            for number in table
            if not reader.xref_free_entry.get(generation, {}).get(number, False)
        ]
        if len(direct) + len(reader.xref_objStm) > MAX_OBJECTS:
            raise _Exhausted

        contents = []
        for container, numbers in held.items():
            contents.append(self.unpack(reader.get_object(IndirectObject(container, 0, reader))))
            for number in numbers:
                self.look_at(reader.get_object(IndirectObject(number, 0, reader)))
        for reference in direct:
            obj = reference.get_object()
            self.look_at(obj)
            # An object stream the cross-reference sections do not point into is still unpacked
            # and searched: a viewer repairing a damaged file would read it.
            if reference.idnum not in held and _is_object_stream(obj):
                contents.append(self.unpack(obj))
        self.look_at(reader.trailer)
        return contents

    def unpack(self, stream) -> bytes:
        if not _is_object_stream(stream):
            raise _unreadable("pdf_unreadable")
        if stream.get("/Filter") in ("/FlateDecode", ["/FlateDecode"]):
            # pypdf salvages what it can of a broken compressed stream, cutting bytes off its end
            # until zlib stops complaining; another viewer would salvage something else. An
            # object stream must unpack cleanly to its end.
            unpacker = zlib.decompressobj()
            try:
                # StreamObject's own get_data gives the bytes as stored; the subclass decodes.
                unpacker.decompress(StreamObject.get_data(stream), self.unpacked_left + 1)
            except zlib.error:
                raise _unreadable("pdf_unreadable") from None
            if not unpacker.eof and not unpacker.unconsumed_tail:
                raise _unreadable("pdf_unreadable")
        content = stream.get_data()
        self.unpacked_left -= len(content)
        if self.unpacked_left < 0:
            raise _Exhausted
        return content

    def look_at(self, obj) -> None:
        """Every dictionary, array and name inside one object. References are not followed: what
        they point to is looked at in its turn."""
        pending = [(obj, 0)]
        while pending:
            value, depth = pending.pop()
            if depth > MAX_DEPTH:
                raise _Exhausted
            if isinstance(value, DictionaryObject):  # stream dictionaries too
                self.spend(len(value))
                self.check_dictionary(value)
                children = value.items()
            elif isinstance(value, ArrayObject):
                self.spend(len(value))
                children = enumerate(value)
            else:
                continue
            for key, item in children:
                if key in _ACTIVE_NAMES or (isinstance(item, NameObject) and item in _ACTIVE_NAMES):
                    raise _active_content()
                if isinstance(item, (DictionaryObject, ArrayObject)):
                    pending.append((item, depth + 1))

    def check_dictionary(self, dictionary: DictionaryObject) -> None:
        if "/OpenAction" in dictionary:
            self.check_page_views(dictionary["/OpenAction"])
        if "/AA" in dictionary:
            triggers = self.resolve(dictionary["/AA"])
            if isinstance(triggers, DictionaryObject):
                self.spend(len(triggers))
                for action in triggers.values():
                    self.check_page_views(action)
        kind = self.resolve(dictionary.get("/S"))
        kind = kind if isinstance(kind, NameObject) else None
        if kind in _ACTION_TYPES or dictionary.get("/Type") == "/Action":
            self.check_click_action(dictionary, kind)

    def check_page_views(self, action) -> None:
        """What runs by itself (on opening, on a page, on a field) may only show a page."""
        for step in self.action_chain(action):
            if self.resolve(step.get("/S")) != _PAGE_VIEW:
                raise _active_content()

    def check_click_action(self, action: DictionaryObject, kind) -> None:
        if kind not in _CLICK_ACTIONS:
            raise _active_content()
        link = _text(self.resolve(action.get("/URI"))).strip()
        if kind == "/URI" and not _SAFE_LINK.match(link):
            raise _active_content()
        if kind == "/Named" and self.resolve(action.get("/N")) not in _STANDARD_NAMED_ACTIONS:
            raise _active_content()

    def action_chain(self, action) -> Iterator[DictionaryObject]:
        """An action and those its /Next entries run after it. A destination array (the other
        form /OpenAction takes) is no action."""
        pending = [action]
        while pending:
            step = self.resolve(pending.pop())
            if not isinstance(step, DictionaryObject):
                continue
            self.spend(1)
            yield step
            following = self.resolve(step.get("/Next"))
            if isinstance(following, ArrayObject):
                self.spend(len(following))
                pending.extend(following)
            elif following is not None:
                pending.append(following)

    def resolve(self, value):
        hops = 0
        while isinstance(value, IndirectObject):
            hops += 1
            if hops > MAX_DEPTH:
                raise _Exhausted
            value = value.get_object()
        return value

    def spend(self, items: int) -> None:
        self.items_left -= items
        if self.items_left < 0:
            raise _Exhausted


def _is_object_stream(obj) -> bool:
    return isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm"


def _text(value) -> str:
    if isinstance(value, ByteStringObject):
        return bytes(value).decode("latin-1")
    if isinstance(value, TextStringObject):
        return str(value)
    return ""


# --- Messages --------------------------------------------------------------------------------------


def _active_content() -> UploadRejected:
    return UploadRejected(
        _(
            "PDF files with scripts, automatic actions, forms that send data or attached files "
            "cannot be accepted. Print the document to a new PDF or scan it, and upload that."
        ),
        code="pdf_active_content",
    )


def _encrypted() -> UploadRejected:
    return UploadRejected(
        _("Password-protected PDF files cannot be accepted."), code="pdf_encrypted"
    )


def _polyglot() -> UploadRejected:
    return UploadRejected(
        _(
            "This file is a PDF and another kind of file at once (such as a web page or an "
            "archive). Save or print it to PDF again, or scan it."
        ),
        code="pdf_polyglot",
    )


def _too_complex() -> UploadRejected:
    return UploadRejected(
        _(
            "This PDF file is too large or complex to be checked. Print it to a new PDF or scan "
            "it, and upload that."
        ),
        code="pdf_too_complex",
    )


def _unreadable(code: str) -> UploadRejected:
    return UploadRejected(
        _("This PDF file is damaged or incomplete. Try saving or scanning it again."), code=code
    )
