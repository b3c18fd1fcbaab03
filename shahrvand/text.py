"""Normalising what people type, and printing numbers the Persian way.

People here type Persian digits (۰–۹), Arabic-Indic digits (٠–٩) and Latin digits, and Arabic
keyboards give "ي"/"ك" where Persian wants "ی"/"ک". Identifiers and search terms are normalised to one
canonical form before they are validated, stored or compared.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_TO_LATIN_DIGITS = str.maketrans(
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩",
    "01234567890123456789",
)
_TO_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_TO_PERSIAN_LETTERS = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # Arabic alef maksura, often typed for yeh
        "ك": "ک",  # Arabic kaf
        "ە": "ه",  # Arabic (Kurdish) heh typed for heh
        "\u0640": "",  # tatweel, a stretching stroke with no meaning
    }
)
# Free text keeps the digits it was typed with; an Arabic keyboard's digits (٤٥٦ differ in shape
# from ۴۵۶) become the Persian ones, as its letters do.
_ARABIC_INDIC_TO_PERSIAN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
# Any run of white space but a line break (no-break, thin, ideographic spaces included).
_SPACES = re.compile(r"[^\S\n]+")

PERSIAN_THOUSANDS_SEPARATOR = "٬"

# The only digits this portal reads. Python's ``\d``, ``str.isdigit()`` and ``int()`` also accept
# Bengali, Devanagari, full-width, mathematical, superscript and circled digits: none of those is
# ever a digit here. Validation regexes use ``[0-9]`` (or ``re.ASCII``), never a bare ``\d``.
ACCEPTED_DIGITS = frozenset("0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")
_ASCII_NUMBER = re.compile(r"[0-9]+", re.ASCII)
# What people put between groups of an identifier's digits.
_GROUP_SEPARATORS = re.compile(r"[\s\-_/.\u2010-\u2015\u2212]")
# Control (Cc) and format (Cf) characters are dropped from free text, except the zero-width
# non-joiner that Persian needs inside words, and line breaks in multi-line fields.
_KEPT_IN_FREE_TEXT = frozenset("\u200c\n")

DIGITS_ONLY_MESSAGE = _("Use only the digits 0 to 9 (Persian or Latin).")
TOO_LONG_NUMBER_MESSAGE = _("This number is too long.")


def normalize_digits(value: str) -> str:
    """Persian and Arabic-Indic digits to Latin ones: '۱۴۰۱' -> '1401'."""
    return value.translate(_TO_LATIN_DIGITS)


def normalize_letters(value: str) -> str:
    """Arabic letter forms to the Persian ones: 'علي' -> 'علی'."""
    return value.translate(_TO_PERSIAN_LETTERS)


def normalize_text(value: str | None) -> str:
    """A one-line input made canonical: Persian/Arabic-Indic digits to ASCII, Arabic letter forms to
    Persian, control and format characters dropped (direction marks and isolates that copy-paste
    from Word or a PDF brings along included; ZWNJ kept), spaces folded."""
    if value is None:
        return ""
    return clean_free_text(normalize_digits(str(value)))


def digits_only(value: str | None) -> str:
    """An identifier with the spaces and dashes people put between groups dropped, Persian and
    Arabic-Indic digits made ASCII. Other characters stay (so a validator can refuse them): use
    ``is_ascii_number`` or ``numeric_identifier`` before trusting the result as digits."""
    return _GROUP_SEPARATORS.sub("", normalize_text(value))


def is_ascii_number(value: object) -> bool:
    """Only ASCII digits, at least one: what ``str.isdigit()`` should have meant."""
    return isinstance(value, str) and _ASCII_NUMBER.fullmatch(value) is not None


def has_foreign_digits(value: str | None) -> bool:
    """Does the text hold a digit or number sign this portal does not read (superscript, circled,
    Bengali, Devanagari, full-width, mathematical...)? Then "use only the digits 0 to 9" is the
    message to give."""
    return any(
        unicodedata.category(ch)[0] == "N" for ch in value or "" if ch not in ACCEPTED_DIGITS
    )


def numeric_identifier(value: str | None, *, max_digits: int = 32) -> str:
    """The one normaliser for numeric identifiers (national ID, mobile, codes, numbers typed into
    search boxes and imports): separators dropped, ASCII/Persian/Arabic-Indic digits made ASCII.
    Anything else, or more than ``max_digits`` digits, is a ``ValidationError`` with a Persian
    message; an empty input gives ''."""
    digits = digits_only(value)
    if digits and not is_ascii_number(digits):
        raise ValidationError(DIGITS_ONLY_MESSAGE, code="digits")
    if len(digits) > max_digits:
        raise ValidationError(TOO_LONG_NUMBER_MESSAGE, code="too_long")
    return digits


def search_number(value: str | None, *, max_digits: int = 18) -> int | None:
    """A search term read as a whole number, or None when it is not one (other scripts' digits, too
    long for a database integer). Search boxes never raise on what people type."""
    digits = digits_only(value)
    if not is_ascii_number(digits) or len(digits) > max_digits:
        return None
    return int(digits)


# Nothing anyone searches for is longer; a longer search term finds nothing instead of reaching
# the database.
SEARCH_MAX_LENGTH = 100


def search_text(value: str | None, *, max_length: int = SEARCH_MAX_LENGTH) -> str | None:
    """What was typed into a search box, made canonical (``normalize_text``); '' for nothing typed,
    None when it is too long to be anything this portal stores (the search then finds nothing)."""
    text = normalize_text(value)
    return text if len(text) <= max_length else None


def clean_free_text(value: str | None, *, multiline: bool = False) -> str:
    """Free text as stored: Arabic letter forms made Persian, control and format characters dropped
    (the zero-width non-joiner stays; line breaks stay in multi-line text), runs of spaces folded.
    Digits are kept as typed ('۲٫۵ متر' stays '۲٫۵ متر'), Arabic-Indic ones made Persian; only
    identifiers and numbers are made ASCII (``normalize_text``, ``numeric_identifier``)."""
    if value is None:
        return ""
    text = normalize_letters(str(value)).translate(_ARABIC_INDIC_TO_PERSIAN_DIGITS)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ")
    text = text.replace("\t", " ")
    text = "".join(
        ch
        for ch in text
        if ch in _KEPT_IN_FREE_TEXT or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    )
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def has_visible_text(value: str | None) -> bool:
    """At least one letter or digit: a reason made of spaces or invisible marks says nothing."""
    return bool(value) and any(unicodedata.category(ch)[0] in "LN" for ch in value)


def to_persian_digits(value: object) -> str:
    return str(value).translate(_TO_PERSIAN_DIGITS)


def format_number(value: int | float | str, *, persian: bool = True) -> str:
    """12345678 -> '۱۲٬۳۴۵٬۶۷۸' (or '12,345,678' for English)."""
    if isinstance(value, str):
        value = normalize_digits(value)
        value = float(value) if "." in value else int(value)
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.2f}"
    else:
        text = f"{int(value):,}"
    if not persian:
        return text
    return to_persian_digits(text.replace(",", PERSIAN_THOUSANDS_SEPARATOR).replace(".", "٫"))


def format_days(value: float | None) -> str:
    """A number of days to one decimal, in the reader's digits: 3.25 -> '۳٫۲', 4.0 -> '۴'; None -> ''."""
    if value is None:
        return ""
    text = f"{value:.1f}".removesuffix(".0")
    return to_persian_digits(text.replace(".", "٫")) if reader_reads_persian() else text


def reader_reads_persian() -> bool:
    """Is the active language Persian? (Latin digits for the English interface.)"""
    from django.utils import translation

    return (translation.get_language() or "fa").startswith("fa")


def localize_digits(value: object) -> str:
    """Digits in the reader's script, no grouping: for codes, years, counts inside sentences."""
    return to_persian_digits(value) if reader_reads_persian() else str(value)
