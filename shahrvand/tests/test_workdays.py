import datetime as dt
import random

import pytest
from django.core.exceptions import ImproperlyConfigured

from shahrvand.workdays import (
    add_working_days,
    is_working_day,
    working_days_between,
)

THU, FRI = 3, 4
D = dt.date

# A plain week in May 2025 with no holiday near it.
WED = D(2025, 5, 7)
THURSDAY = D(2025, 5, 8)
FRIDAY = D(2025, 5, 9)
SATURDAY = D(2025, 5, 10)
SUNDAY = D(2025, 5, 11)


@pytest.fixture(autouse=True)
def friday_only(settings):
    # The deployment's environment may configure other days; these tests state their own.
    settings.WEEKLY_DAYS_OFF = [FRI]
    settings.EXTRA_HOLIDAYS = []


@pytest.fixture
def thursday_too(settings):
    settings.WEEKLY_DAYS_OFF = [THU, FRI]


def _naive_count(start: dt.date, end: dt.date) -> int:
    """The definition, day by day, to hold the fast count to."""
    if end >= start:
        days = (start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
        return sum(map(is_working_day, days))
    days = (end + dt.timedelta(days=i) for i in range((start - end).days))
    return -sum(map(is_working_day, days))


def test_the_week_days_are_named_right():
    assert [day.strftime("%a") for day in (WED, THURSDAY, FRIDAY, SATURDAY, SUNDAY)] == [
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]


@pytest.mark.parametrize("year", [2025, 2026])
def test_nowruz_is_not_a_working_day(year):
    for day in range(21, 25):  # 1–4 Farvardin fall on 21–24 March in both years
        assert not is_working_day(D(year, 3, day))
    assert is_working_day(D(year, 3, 25))


def test_an_islamic_holiday_of_2026():
    # Eid al-Adha 1447 is 10 Dhu al-Hijjah: Wednesday 27 May 2026 in Iran (6 Khordad 1405), a day
    # after Saudi Arabia's Umm al-Qura date. The package lists 2026 as a confirmed year.
    eid = D(2026, 5, 27)
    assert eid.weekday() == 2
    assert not is_working_day(eid)
    assert is_working_day(eid - dt.timedelta(days=1))


def test_friday_is_off_by_default(settings):
    del settings.WEEKLY_DAYS_OFF
    assert not is_working_day(FRIDAY)
    assert is_working_day(THURSDAY)
    assert is_working_day(SATURDAY)


def test_thursday_is_off_when_configured(thursday_too):
    assert not is_working_day(THURSDAY)
    assert not is_working_day(FRIDAY)
    assert is_working_day(WED)


def test_across_the_weekend():
    assert add_working_days(WED, 1) == THURSDAY
    assert add_working_days(WED, 2) == SATURDAY
    assert add_working_days(THURSDAY, 1) == SATURDAY
    assert add_working_days(FRIDAY, 1) == SATURDAY


def test_across_the_weekend_with_thursday_off(thursday_too):
    # The docstring's example: filed on Wednesday, two days, due on Sunday.
    assert add_working_days(WED, 1) == SATURDAY
    assert add_working_days(WED, 2) == SUNDAY
    assert add_working_days(WED, 5) == D(2025, 5, 14)  # Sat, Sun, Mon, Tue, Wed


def test_across_nowruz():
    # Friday 20 March 2026 is Oil Nationalization Day, 21–24 March Nowruz (with Eid al-Fitr).
    thursday_before = D(2026, 3, 19)
    assert add_working_days(thursday_before, 1) == D(2026, 3, 25)
    assert add_working_days(thursday_before, 2) == D(2026, 3, 26)
    assert working_days_between(thursday_before, D(2026, 3, 25)) == 1


def test_across_nowruz_2025():
    # Wed 19 March (Oil Nationalization), Thu 20 (last day of the year), Fri 21 – Mon 24 Nowruz.
    assert add_working_days(D(2025, 3, 18), 1) == D(2025, 3, 25)


def test_zero_days():
    assert add_working_days(WED, 0) == WED
    assert add_working_days(FRIDAY, 0) == SATURDAY
    # Due "today" on the first day of Nowruz 1405: due when the office opens again.
    assert add_working_days(D(2026, 3, 21), 0) == D(2026, 3, 25)


def test_negative_days_count_back():
    assert add_working_days(SATURDAY, -1) == THURSDAY
    assert add_working_days(SATURDAY, -2) == WED
    assert add_working_days(FRIDAY, -1) == THURSDAY
    assert add_working_days(D(2026, 3, 25), -1) == D(2026, 3, 19)


def test_negative_days_with_thursday_off(thursday_too):
    assert add_working_days(SATURDAY, -1) == WED
    assert add_working_days(SUNDAY, -2) == WED


def test_between_counts_the_end_and_not_the_start():
    assert working_days_between(WED, WED) == 0
    assert working_days_between(WED, THURSDAY) == 1
    assert working_days_between(WED, FRIDAY) == 1
    assert working_days_between(WED, SATURDAY) == 2
    assert working_days_between(SATURDAY, WED) == -2
    # From a day off back to the day before, that day counts; forwards the day off does not.
    assert working_days_between(FRIDAY, THURSDAY) == -1
    assert working_days_between(THURSDAY, FRIDAY) == 0


@pytest.mark.parametrize("days_off", [[FRI], [THU, FRI]])
def test_between_and_add_round_trip(settings, days_off):
    settings.WEEKLY_DAYS_OFF = days_off
    rng = random.Random(1405)
    first, span = D(2025, 1, 1), (D(2027, 12, 31) - D(2025, 1, 1)).days
    for _ in range(2000):
        start = first + dt.timedelta(days=rng.randrange(span + 1))
        end = first + dt.timedelta(days=rng.randrange(span + 1))
        count = working_days_between(start, end)
        if is_working_day(end):
            assert add_working_days(start, count) == end, (start, end)
            if is_working_day(start):
                assert working_days_between(end, start) == -count
        days = rng.randrange(-60, 61)
        landed = add_working_days(start, days)
        assert is_working_day(landed)
        if days:
            assert working_days_between(start, landed) == days, (start, days)


@pytest.mark.parametrize("days_off", [[FRI], [THU, FRI]])
def test_fast_count_agrees_with_counting_day_by_day(settings, days_off):
    settings.WEEKLY_DAYS_OFF = days_off
    settings.EXTRA_HOLIDAYS = ["2025-12-20", "2026-01-05"]
    rng = random.Random(7)
    first = D(2024, 12, 1)
    for _ in range(300):
        start = first + dt.timedelta(days=rng.randrange(1200))
        end = start + dt.timedelta(days=rng.randrange(-400, 401))
        assert working_days_between(start, end) == _naive_count(start, end), (start, end)


def test_long_spans_work():
    # Ten years ahead and back again, across years the package has only estimated.
    start = D(2025, 6, 1)
    landed = add_working_days(start, 2500)
    assert working_days_between(start, landed) == 2500
    assert add_working_days(landed, -2500) == start


def test_extra_holidays_are_honoured(settings):
    # Saturday 10 May 2025 declared closed (a pollution day, say).
    assert add_working_days(WED, 2) == SATURDAY
    settings.EXTRA_HOLIDAYS = ["2025-05-10"]
    assert not is_working_day(SATURDAY)
    assert add_working_days(WED, 2) == SUNDAY
    assert working_days_between(WED, SUNDAY) == 2


def test_an_extra_holiday_on_an_official_one_is_not_counted_twice(settings):
    before = working_days_between(D(2026, 3, 19), D(2026, 3, 31))
    settings.EXTRA_HOLIDAYS = ["2026-03-22", "2026-03-27"]  # Nowruz, and a Friday
    assert working_days_between(D(2026, 3, 19), D(2026, 3, 31)) == before


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEEKLY_DAYS_OFF", [7]),
        ("WEEKLY_DAYS_OFF", list(range(7))),
        ("EXTRA_HOLIDAYS", ["1404/10/01"]),
    ],
)
def test_bad_settings_are_reported(settings, name, value):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured):
        add_working_days(WED, 3)
