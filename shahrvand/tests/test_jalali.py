import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from shahrvand import jalali


def test_article_dates_print_in_jalali_with_persian_months_and_digits():
    with translation.override("fa"):
        assert jalali.format_date(dt.date(2023, 1, 15)) == "۲۵ دی ۱۴۰۱"
        assert jalali.format_date(dt.date(2020, 10, 11)) == "۲۰ مهر ۱۳۹۹"
        assert jalali.format_date(dt.date(2023, 1, 15), "short") == "۱۴۰۱/۱۰/۲۵"


def test_english_interface_keeps_jalali_with_latin_digits():
    with translation.override("en"):
        assert jalali.format_date(dt.date(2023, 1, 15)) == "25 Dey 1401"


def test_datetime_is_shown_in_tehran_time():
    # 20:45 UTC on 14 Jan 2023 is 00:15 on 15 Jan (1401/10/25) in Tehran.
    moment = dt.datetime(2023, 1, 14, 20, 45, tzinfo=dt.UTC)
    with translation.override("fa"):
        assert jalali.format_datetime(moment) == "۲۵ دی ۱۴۰۱، ۰۰:۱۵"


@pytest.mark.parametrize(
    "text", ["1401/10/25", "۱۴۰۱/۱۰/۲۵", "1401-10-25", " ۱۴۰۱ / ۱۰ / ۲۵ ", "1401.10.25"]
)
def test_parse_jalali_date_in_any_digits(text):
    assert jalali.parse_date(text) == dt.date(2023, 1, 15)


@pytest.mark.parametrize(
    "text",
    [
        "14011025",
        "۱۴۰۱۱۰۲۵",
        "١٤٠١١٠٢٥",
        "1401 10 25",
        "۱۴۰۱ ۱۰ ۲۵",
        " 1401  10  25 ",
        "1401/10 25",
    ],
)
def test_a_date_typed_on_a_phone_number_pad_is_read(text):
    # The number pad the field opens has digits and perhaps a space, but no "/" or "-".
    assert jalali.parse_date(text) == dt.date(2023, 1, 15)


@pytest.mark.parametrize("text", ["1405 9 1", "۱۴۰۵ ۹ ۱", "14050901", "۱۴۰۵۰۹۰۱"])
def test_a_date_with_one_digit_month_and_day_on_the_number_pad_is_read(text):
    assert jalali.parse_date(text) == dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    "text",
    [
        "1401/13/01",
        "1401/12/30",
        "2023-01-15x",
        "",
        "25 dey",
        "140191",
        "1401091",
        "140110251",
        "14011325",
        "1401 1025",
        "1401 10 25 1",
    ],
)
def test_parse_rejects_impossible_dates(text):
    # 1401 is not a leap year: Esfand has 29 days. Eight digits are YYYYMMDD, never less.
    with pytest.raises(ValueError):
        jalali.parse_date(text)


def test_template_filters():
    template = Template(
        "{% load persian %}{{ d|jdate }}|{{ d|jdate:'short' }}|{{ n|fa_number }}|{{ code|fa_digits }}"
    )
    with translation.override("fa"):
        out = template.render(Context({"d": dt.date(2023, 1, 15), "n": 16244, "code": "A7K-2"}))
    assert out == "۲۵ دی ۱۴۰۱|۱۴۰۱/۱۰/۲۵|۱۶٬۲۴۴|A۷K-۲"


def test_filters_print_nothing_for_missing_values():
    template = Template("{% load persian %}[{{ d|jdate }}][{{ n|fa_number }}]")
    assert template.render(Context({"d": None, "n": None})) == "[][]"


def test_isolate_wraps_a_code_in_unicode_isolates_and_escapes_it():
    template = Template(
        "{% load persian %}[{{ code|isolate }}][{{ none|isolate }}][{{ code|fa_digits|isolate }}]"
    )
    with translation.override("fa"):
        out = template.render(Context({"code": "<b>9B5-2</b>", "none": None}))
    fsi, pdi = "\u2068", "\u2069"
    assert out == (f"[{fsi}&lt;b&gt;9B5-2&lt;/b&gt;{pdi}][][{fsi}&lt;b&gt;۹B۵-۲&lt;/b&gt;{pdi}]")
