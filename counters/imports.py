"""Importing the office registry from CSV. Every row is checked first; one bad row and nothing is
imported, and the person gets every problem with its row number.

Whatever the file holds, the import answers with a list of problems, never a server error: the file
is bounded (``MAX_BYTES``, ``MAX_ROWS``), read only when its encoding is known for sure, and every
cell goes through the one normaliser (``numeric_identifier`` for numbers, ``clean_free_text`` for
text) before it is checked against the model's lengths."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from districts.models import District
from shahrvand.spreadsheet import looks_like_formula
from shahrvand.text import (
    clean_free_text,
    has_visible_text,
    localize_digits,
    normalize_text,
    numeric_identifier,
)

from .models import CounterOffice, OfficeKind

COLUMNS = ["kind", "number", "name", "licence", "district", "address", "phone", "manager"]
# Both the codes and the Persian words are accepted for the kind.
KIND_WORDS = {
    "counter": OfficeKind.COUNTER,
    "pishkhan": OfficeKind.COUNTER,
    "پیشخوان": OfficeKind.COUNTER,
    "notary": OfficeKind.NOTARY,
    "دفترخانه": OfficeKind.NOTARY,
    "اسناد رسمی": OfficeKind.NOTARY,
}
# The bounds the import form states. The registry has a few hundred offices.
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# A header wider than this is not an office list (Excel may add a few empty columns).
MAX_COLUMNS = 50
# Past this many, the rest of the problems are counted rather than listed.
MAX_LISTED_PROBLEMS = 100
# Text columns and the model field each fills (its max_length bounds the cell).
TEXT_COLUMNS = {
    "name": "name",
    "licence": "licence",
    "address": "address",
    "phone": "phone",
    "manager": "manager_name",
}
REQUIRED_TEXT = ("name", "licence", "address")
_OFFICE_NUMBER_DIGITS = 6  # 1 to 999,999 (the model's validators)
_DISTRICT_NUMBER_DIGITS = 3
# A phone number may start with "+" (an international prefix) and is then no formula.
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]*", re.ASCII)

# --- telling Windows-1256 from everything else ---------------------------------------------------
# Windows-1256 maps every byte to some character, so decoding never fails and cannot by itself say
# whether a file is Persian. A Latin-1 file read that way turns "Übung" into "ـbung" and "Straße"
# into "Straطe". The text read as Windows-1256 is accepted only when it looks like Persian:
# 1. it has at least one Arabic-script letter;
# 2. besides ASCII text it has only Arabic-script characters and the punctuation Persian text uses
#    (ZWNJ, direction marks, «», dashes, curly quotes): the Latin letters and symbols Windows-1256
#    also has (é, ç, ü, £, §, ©, ...) are where a Latin-1 file's accented letters land;
# 3. no Arabic-script character touches a Latin letter (a Latin-1 word's accented letter becomes an
#    Arabic one in the middle of the word: "Mädchen" -> "Mنdchen").
# Anything else is refused with a request to save the file as UTF-8.
_ARABIC_LETTER = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]")
_NOT_PERSIAN = re.compile(
    r"[^\t\n\r\x20-\x7e\u060c\u061b\u061f\u0620-\u06ff\u200c-\u200f\u00a0«»–—‘’“”…•]"
)
_MIXED_WORD = re.compile(r"[A-Za-z][\u0620-\u06ff]|[\u0620-\u06ff][A-Za-z]")
# Control characters a text CSV never has (tab and line breaks are fine). A UTF-16 file read as
# UTF-8, or a binary file, is full of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says what to do."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    # (row number, message); the row is None for a problem with the whole file.
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    unlisted: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def refuse(self, row: int | None, message: str) -> None:
        if len(self.errors) < MAX_LISTED_PROBLEMS:
            self.errors.append((row, message))
        else:
            self.unlisted += 1


def looks_persian(text: str) -> bool:
    """Is this text, read as Windows-1256, plausibly Persian? (The rule is above.)"""
    return (
        _ARABIC_LETTER.search(text) is not None
        and _NOT_PERSIAN.search(text) is None
        and _MIXED_WORD.search(text) is None
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM) or, when it is plausibly Persian, Windows-1256."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1256", errors="replace")
        if not looks_persian(text):
            raise ImportRefused(
                _(
                    "The file is not saved as UTF-8. In Excel choose “Save As” and the type "
                    "“CSV UTF-8 (Comma delimited)”, then upload that file."
                )
            ) from None
    if _CONTROL.search(text):
        raise ImportRefused(
            _(
                "The file has control characters (such as NUL) that a CSV text file never has. "
                "Save it again from Excel as “CSV UTF-8” and upload that file."
            )
        )
    return text


def _lines(text: str) -> str:
    """One kind of line break. A file without any line feed ends its lines with a bare CR (old Mac
    exports); in any other file a lone CR is a stray character and is read as a space."""
    if "\n" not in text:
        return text.replace("\r", "\n")
    return text.replace("\r\n", "\n").replace("\r", " ")


def _delimiter(text: str) -> str:
    # Excel writes ";" where the decimal mark is a comma, and tabs for "Unicode text".
    header = text.split("\n", 1)[0]
    return next((mark for mark in (",", ";", "\t") if mark in header), ",")


class _RowUnreadable(Exception):
    def __init__(self, row: int):
        super().__init__(row)
        self.row = row


def _records(text: str):
    """(row number, cells) for each row, the header being row 1. A row the CSV reader cannot read
    (a field over its 128 KB limit, say) raises _RowUnreadable with its number."""
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    row = 0
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _RowUnreadable(row) from None
        yield row, cells


def _header(cells: list[str], result: ImportResult) -> list[str] | None:
    if len(cells) > MAX_COLUMNS:
        raise ImportRefused(
            _("The header has %(count)s columns; it may have only: %(allowed)s.")
            % {"count": localize_digits(len(cells)), "allowed": ", ".join(COLUMNS)}
        )
    header = [normalize_text(cell).lower() for cell in cells]
    counts = Counter(name for name in header if name)
    missing = [c for c in COLUMNS if c not in counts]
    unknown = [name for name in counts if name not in COLUMNS]
    twice = sorted(name for name in COLUMNS if counts[name] > 1)
    if missing:
        result.refuse(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        # What is shown of a stranger's header is bounded: ten names, 40 characters each.
        shown = [name if len(name) <= 40 else name[:40] + "…" for name in unknown[:10]]
        result.refuse(
            1,
            _("Unknown columns: %(columns)s. The header may have only: %(allowed)s.")
            % {"columns": ", ".join(shown), "allowed": ", ".join(COLUMNS)},
        )
    for name in twice:
        result.refuse(1, _("The column %(column)s is in the header twice.") % {"column": name})
    return None if result.errors else header


def _number(row: dict, column: str, digits: int, problems: list[str]) -> int | None:
    try:
        value = numeric_identifier(row[column], max_digits=digits)
    except ValidationError as error:
        problems.append(
            _("%(column)s: %(problem)s") % {"column": column, "problem": " ".join(error.messages)}
        )
        return None
    return int(value) if value else None


def _text(row: dict, column: str, problems: list[str]) -> str:
    value = clean_free_text(row[column])
    if column == "phone":
        value = normalize_text(value)
    limit = CounterOffice._meta.get_field(TEXT_COLUMNS[column]).max_length
    if len(value) > limit:
        problems.append(
            _("%(column)s: at most %(max)s characters (this one has %(count)s)")
            % {
                "column": column,
                "max": localize_digits(limit),
                "count": localize_digits(len(value)),
            }
        )
    elif looks_like_formula(value) and not (column == "phone" and _PHONE.fullmatch(value)):
        problems.append(
            _("%(column)s starts with “%(char)s”, which a spreadsheet would run as a formula")
            % {"column": column, "char": value[0]}
        )
    return value


def _office(
    row_number: int,
    row: dict,
    *,
    districts: dict,
    existing: dict,
    seen: dict,
    result: ImportResult,
) -> tuple[CounterOffice, bool] | None:
    problems: list[str] = []
    kind = KIND_WORDS.get(normalize_text(row["kind"]).lower())
    if kind is None:
        problems.append(_("kind must be counter or notary"))
    number = _number(row, "number", _OFFICE_NUMBER_DIGITS, problems)
    if number is None or not 1 <= number <= 999_999:
        problems.append(_("the official number must be a whole number"))
        number = None
    district_number = _number(row, "district", _DISTRICT_NUMBER_DIGITS, problems)
    district = districts.get(district_number)
    if district is None:
        problems.append(_("no such district"))
    text = {column: _text(row, column, problems) for column in TEXT_COLUMNS}
    empty = {
        "name": _("the name is empty"),
        "licence": _("the licence number is empty"),
        "address": _("the address is empty"),
    }
    problems += [empty[c] for c in REQUIRED_TEXT if not has_visible_text(text[c])]
    if kind and number:
        if (kind, number) in seen:
            problems.append(
                _("the same office is on line %(line)s too")
                % {"line": localize_digits(seen[(kind, number)])}
            )
        seen[(kind, number)] = row_number
    if problems:
        result.refuse(row_number, "; ".join(str(p) for p in problems))
        return None
    office = existing.get((kind, number)) or CounterOffice(kind=kind, number=number)
    is_new = office.pk is None
    office.district = district
    for column, name in TEXT_COLUMNS.items():
        setattr(office, name, text[column])
    try:
        # The district, the lengths and uniqueness are checked above, without a query per row.
        office.full_clean(exclude=["district"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        messages = [f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()]
        result.refuse(row_number, "; ".join(messages))
        return None
    return office, is_new


def _check(data: bytes, result: ImportResult) -> list[tuple[CounterOffice, bool]]:
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(megabytes)s MB; split it into smaller files.")
            % {"megabytes": localize_digits(MAX_BYTES // (1024 * 1024))}
        )
    text = _lines(decode(data))
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    records = _records(text)
    header = _header(next(records)[1], result)
    if header is None:
        return []
    districts = {d.number: d for d in District.objects.all()}
    existing = {(o.kind, o.number): o for o in CounterOffice.objects.all()}
    seen: dict[tuple[str, int], int] = {}
    offices = []
    rows = 0
    for row_number, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        rows += 1
        if rows > MAX_ROWS:
            raise ImportRefused(
                _("The file has more than %(rows)s rows; split it into smaller files.")
                % {"rows": localize_digits(MAX_ROWS)}
            )
        # A short row is fine (Excel drops empty cells at the end); a value past the header, or
        # under a column with no name, is not.
        stray = [c for name, c in zip(header, cells, strict=False) if name not in COLUMNS]
        if any(c.strip() for c in [*stray, *cells[len(header) :]]):
            result.refuse(row_number, _("this row has values outside the header's columns"))
            continue
        named = dict(zip(header, cells, strict=False))
        row = {name: named.get(name, "") for name in COLUMNS}
        checked = _office(
            row_number, row, districts=districts, existing=existing, seen=seen, result=result
        )
        if checked is not None:
            offices.append(checked)
    if not rows and not result.errors:
        raise ImportRefused(_("The file has the header row but no offices under it."))
    return offices


def offices_import_csv(data: bytes, *, apply: bool = True) -> ImportResult:
    """Create or update offices (matched by kind and official number) from a CSV file with the
    header ``kind,number,name,licence,district,address,phone,manager``. Nothing is saved unless
    every row is good."""
    result = ImportResult()
    try:
        offices = _check(data, result)
    except ImportRefused as refusal:
        result.refuse(None, str(refusal))
        return result
    except _RowUnreadable as unreadable:
        result.refuse(
            unreadable.row,
            _(
                "this row cannot be read: a value is far too long or a quotation mark is not "
                "closed (nothing after it was checked)"
            ),
        )
        return result
    if result.unlisted:
        result.errors.append(
            (
                None,
                _("%(count)s more rows have problems; fix the ones above first.")
                % {"count": localize_digits(result.unlisted)},
            )
        )
    if result.errors or not apply:
        return result
    try:
        with transaction.atomic():
            for office, is_new in offices:
                office.save()
                if is_new:
                    result.created += 1
                else:
                    result.updated += 1
    except IntegrityError:
        # Someone added one of these offices meanwhile (another import at the same moment).
        result.created = result.updated = 0
        result.refuse(None, _("The registry changed while the file was read; import it again."))
    return result
