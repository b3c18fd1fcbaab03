"""Jalali (Solar Hijri) dates at the edges: the database keeps Gregorian dates and UTC datetimes,
people read and type Jalali ones.

jdatetime prints English month names unless told otherwise, so month names are ours.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import jdatetime
from django.utils import timezone

from .text import normalize_text, reader_reads_persian, to_persian_digits

MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
# ASCII digits only: ``normalize_text`` has already made Persian and Arabic-Indic digits ASCII, and
# any other script's digits are no date. The parts are separated by "/", "-" or "." (spaces around
# them allowed), or by spaces alone; or not at all, as eight digits YYYYMMDD: a phone's number pad
# (which the field opens) has no "/" and often no "-", only digits and perhaps a space.
_DATE_INPUT = re.compile(
    r"([0-9]{4})(?: ?[/\-.] ?| )([0-9]{1,2})(?: ?[/\-.] ?| )([0-9]{1,2})"
    r"|([0-9]{4})([0-9]{2})([0-9]{2})",
    re.ASCII,
)
# A date typed into a form is refused outside this range unless the field sets its own: nothing
# this portal records is older than 1 Farvardin 1300, and nothing is planned years ahead.
EARLIEST_DATE = dt.date(1921, 3, 21)  # 1300/01/01
LATEST_YEARS_AHEAD = 5


def to_jalali(value: dt.date | dt.datetime) -> jdatetime.date | jdatetime.datetime:
    """A Gregorian date, or an aware datetime shown in Tehran time, as a jdatetime object."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value)
    return jdatetime.date.fromgregorian(date=value)


def _digits(text: str, persian: bool) -> str:
    return to_persian_digits(text) if persian else text


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """An aware datetime in Tehran time; anything else as it is."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@lru_cache(maxsize=4096)
def _jalali_day(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) of a Gregorian day. A list page formats the same few days again and
    again, and each conversion costs jdatetime a locale lookup."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


def format_date(value: dt.date | dt.datetime | None, style: str = "long") -> str:
    """'long': ۲۵ دی ۱۴۰۱ — 'short': ۱۴۰۱/۱۰/۲۵. Empty for None."""
    if value is None or value == "":
        return ""
    persian = reader_reads_persian()
    local = _local(value)
    day = local.date() if isinstance(local, dt.datetime) else local
    year, month, day_of_month = _jalali_day(day)
    if style == "short":
        text = f"{year:04d}/{month:02d}/{day_of_month:02d}"
    else:
        months = MONTHS_FA if persian else MONTHS_EN
        text = f"{day_of_month} {months[month - 1]} {year}"
    return _digits(text, persian)


def format_datetime(value: dt.datetime | None, style: str = "long") -> str:
    """'۲۵ دی ۱۴۰۱، ۱۴:۳۰' in Tehran time."""
    if value is None or value == "":
        return ""
    persian = reader_reads_persian()
    local = _local(value)
    separator = "، " if persian else ", "
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return format_date(value, style) + separator + _digits(clock, persian)


def parse_date(text: str) -> dt.date:
    """'۱۴۰۱/۱۰/۲۵', '1401-10-25', '1401 10 25', '14011025' -> datetime.date(2023, 1, 15).
    ValueError when it is no date."""
    match = _DATE_INPUT.fullmatch(normalize_text(text))
    if not match:
        raise ValueError("not a Jalali date in the form YYYY/MM/DD")
    year, month, day = (int(part) for part in match.groups() if part is not None)
    return jdatetime.date(year, month, day).togregorian()


def today() -> dt.date:
    """Today's date in Tehran (Gregorian)."""
    return timezone.localdate()


def latest_date(day: dt.date | None = None) -> dt.date:
    """The last date a form takes by default: ``LATEST_YEARS_AHEAD`` Jalali years after ``day``
    (today in Tehran when not given)."""
    return add_months(day or today(), 12 * LATEST_YEARS_AHEAD)


def add_months(value: dt.date, months: int) -> dt.date:
    """The same day ``months`` Jalali months later (the last day of a shorter month if needed):
    an answer signed on 30 Shahrivar is valid until 29 or 30 Esfand, not into the next year."""
    j = jdatetime.date.fromgregorian(date=value)
    index = j.month - 1 + months
    year, month = j.year + index // 12, index % 12 + 1
    day = j.day
    while True:
        try:
            return jdatetime.date(year, month, day).togregorian()
        except ValueError:
            day -= 1


@dataclass(frozen=True)
class JalaliMonth:
    year: int
    month: int
    first_day: dt.date  # Gregorian
    next_first_day: dt.date

    @property
    def key(self) -> str:
        """'1405/08': sorts, and reads the same in both languages."""
        return f"{self.year:04d}/{self.month:02d}"

    @property
    def label(self) -> str:
        """'آبان ۱۴۰۵' (or 'Aban 1405' for English readers)."""
        persian = reader_reads_persian()
        names = MONTHS_FA if persian else MONTHS_EN
        return f"{names[self.month - 1]} {_digits(str(self.year), persian)}"


def jalali_months_up_to(day: dt.date, count: int) -> list[JalaliMonth]:
    """The ``count`` Jalali months ending with the one ``day`` falls in, oldest first."""
    today = jdatetime.date.fromgregorian(date=day)
    months = []
    for back in range(count - 1, -1, -1):
        index = today.year * 12 + today.month - 1 - back
        year, month = divmod(index, 12)
        after_year, after_month = divmod(index + 1, 12)
        months.append(
            JalaliMonth(
                year=year,
                month=month + 1,
                first_day=jdatetime.date(year, month + 1, 1).togregorian(),
                next_first_day=jdatetime.date(after_year, after_month + 1, 1).togregorian(),
            )
        )
    return months
