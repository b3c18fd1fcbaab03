"""Normalising what people type, and printing numbers the Persian way.

People here type Persian digits (۰–۹), Arabic-Indic digits (٠–٩) and Latin digits, and Arabic
keyboards give "ي"/"ك" where Persian wants "ی"/"ک". Identifiers and search terms are normalised to one
canonical form before they are validated, stored or compared.
"""

from __future__ import annotations

import re

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
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
# Marks of direction that copy-paste from Word or a PDF brings along into identifiers (the answer
# letter itself wraps its codes in isolates, U+2066..U+2069).
_INVISIBLE = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)

PERSIAN_THOUSANDS_SEPARATOR = "٬"


def normalize_digits(value: str) -> str:
    """Persian and Arabic-Indic digits to Latin ones: '۱۴۰۱' -> '1401'."""
    return value.translate(_TO_LATIN_DIGITS)


def normalize_letters(value: str) -> str:
    """Arabic letter forms to the Persian ones: 'علي' -> 'علی'."""
    return value.translate(_TO_PERSIAN_LETTERS)


def normalize_text(value: str | None) -> str:
    """Everything a person typed, made canonical: digits, letters, invisible marks and spaces."""
    if value is None:
        return ""
    value = normalize_letters(normalize_digits(str(value))).translate(_INVISIBLE)
    return _SPACES.sub(" ", value).strip()


def digits_only(value: str | None) -> str:
    """An identifier as digits alone, dropping spaces and dashes people put between groups."""
    return re.sub(r"[\s\-_/.]", "", normalize_text(value))


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
