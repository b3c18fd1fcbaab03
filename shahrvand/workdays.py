"""The working-day clock that service deadlines run on.

A day does not count when it is an Iranian official holiday (the `holidays` package's IR calendar:
Nowruz and the other solar-calendar days, the Islamic days shifted to Iran's own sighting, and the
closures the government declared in the past), a weekly day off (setting ``WEEKLY_DAYS_OFF``, Python
weekday numbers, Friday alone by default; many offices also close on Thursday), or a date listed in
``EXTRA_HOLIDAYS`` (ISO date strings) for the pollution and heat closures announced at a day's notice,
which no package release can know about in time.

Building one year of the package's calendar takes tens of milliseconds, and a report may ask for the
deadlines of thousands of inquiries, so each year is built once, and counting is arithmetic on weeks
plus a binary search over the few dozen holidays of each year, never a walk over the days between.

Islamic holidays of years the package has not confirmed are its estimate (their names end in
"(estimated)" / "(تخمینی)"); the government's announcement may move them by a day, which is what
``EXTRA_HOLIDAYS`` is for.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["add_working_days", "is_working_day", "working_days_between"]

_ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=512)
def _package_holidays(year: int, language: str) -> dict[dt.date, str]:
    # The language is always given: left out, the package guesses it from the process's locale, and
    # a worker started under LANG=C would print English names on a Persian page.
    return dict(holidays.country_holidays("IR", years=year, language=language))


def _official_dates(year: int) -> Iterable[dt.date]:
    return _package_holidays(year, "en_US").keys()


@lru_cache(maxsize=64)
def _parse_extra(values: tuple[object, ...]) -> frozenset[dt.date]:
    try:
        # str() lets a date object through too: its str() is the ISO form.
        return frozenset(dt.date.fromisoformat(str(value)) for value in values)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"EXTRA_HOLIDAYS takes ISO dates like '2025-12-20': {error}"
        ) from error


def _weekly_days_off() -> frozenset[int]:
    days = frozenset(getattr(settings, "WEEKLY_DAYS_OFF", [4]))
    if not days <= set(range(7)):
        raise ImproperlyConfigured(
            "WEEKLY_DAYS_OFF takes Python weekday numbers, Monday=0 … Sunday=6"
        )
    if len(days) == 7:
        # Every deadline would be infinitely far away.
        raise ImproperlyConfigured("WEEKLY_DAYS_OFF leaves no working day in the week")
    return days


def _extra_holidays() -> frozenset[dt.date]:
    return _parse_extra(tuple(getattr(settings, "EXTRA_HOLIDAYS", [])))


@lru_cache(maxsize=512)
def _closures(
    year: int, days_off: frozenset[int], extra: frozenset[dt.date]
) -> tuple[dt.date, ...]:
    """The year's holidays that fall on what would otherwise be a working weekday, sorted.

    Holidays on a weekly day off are left out so that they are not subtracted twice. The key holds
    the settings, so a change of settings (tests, or a reload) never meets a stale answer.
    """
    dates = set(_official_dates(year)) | {day for day in extra if day.year == year}
    return tuple(sorted(day for day in dates if day.weekday() not in days_off))


def _weekly_off_count(after: dt.date, through: dt.date, days_off: frozenset[int]) -> int:
    """How many days d with after < d <= through fall on a weekly day off."""
    full_weeks, rest = divmod((through - after).days, 7)
    first = after.weekday()
    return full_weeks * len(days_off) + sum(
        1 for step in range(1, rest + 1) if (first + step) % 7 in days_off
    )


def _closure_count(
    after: dt.date, through: dt.date, days_off: frozenset[int], extra: frozenset[dt.date]
) -> int:
    """How many holidays d with after < d <= through fall on an otherwise working weekday."""
    total = 0
    for year in range(after.year, through.year + 1):
        closures = _closures(year, days_off, extra)
        total += bisect_right(closures, through) - bisect_right(closures, after)
    return total


def _working_days_after(after: dt.date, through: dt.date) -> int:
    """How many working days d with after < d <= through (0 when through <= after)."""
    if through <= after:
        return 0
    days_off, extra = _weekly_days_off(), _extra_holidays()
    return (
        (through - after).days
        - _weekly_off_count(after, through, days_off)
        - _closure_count(after, through, days_off, extra)
    )


def is_working_day(day: dt.date) -> bool:
    if day.weekday() in _weekly_days_off():
        return False
    return day not in _package_holidays(day.year, "en_US") and day not in _extra_holidays()


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start``; ``start`` itself is never counted.

    An inquiry filed on Wednesday 2025-05-07 with a two-day deadline, in an office closed on
    Thursday and Friday, is due on Sunday 2025-05-11: Saturday is its first working day, Sunday its
    second. With Friday alone off it is due on Saturday 2025-05-10 (Thursday, then Saturday).

    ``days == 0`` gives ``start`` when it is a working day, else the next working day, so that
    something due "today" on a holiday is due when the office next opens. A negative ``days``
    counts back the same way: -1 is the last working day before ``start``. A deadline that was
    paused when already overdue resumes with a negative remainder and lands in the past.

    The answer is reached by jumping, not walking: from a date that is k working days short of the
    target, the target is at least k calendar days further on, so a jump of k days never overshoots
    and every jump takes most of the remaining distance away.
    """
    if days == 0:
        day = start
        while not is_working_day(day):
            day += _ONE_DAY
        return day
    day, counted = start, 0
    if days > 0:
        while counted < days:
            later = day + dt.timedelta(days=days - counted)
            counted += _working_days_after(day, later)
            day = later
    else:
        while counted < -days:
            # Backwards the window is [earlier, day): the date reached counts, the one left does not.
            earlier = day - dt.timedelta(days=-days - counted)
            counted += _working_days_after(earlier - _ONE_DAY, day - _ONE_DAY)
            day = earlier
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end``: ``start`` not counted, ``end`` counted.

    Forwards that is the working days d with start < d <= end; when ``end`` is before ``start`` it
    is minus the working days d with end <= d < start — the same rule seen from the other side. So
    ``add_working_days(s, working_days_between(s, e)) == e`` whenever ``e`` is a working day, on
    either side of ``s``.

    Swapping the arguments only flips the sign when both dates are working days: from a Friday
    back to Thursday is -1 (Thursday is counted), from Thursday on to Friday is 0 (Friday is off).
    """
    if end >= start:
        return _working_days_after(start, end)
    return -_working_days_after(end - _ONE_DAY, start - _ONE_DAY)
