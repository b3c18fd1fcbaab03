import pytest

from shahrvand.text import (
    clean_free_text,
    digits_only,
    format_number,
    normalize_digits,
    normalize_letters,
    normalize_text,
    to_persian_digits,
)


def test_persian_and_arabic_indic_digits_become_latin():
    assert normalize_digits("۱۴۰۱/۱۰/۲۵") == "1401/10/25"
    assert normalize_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize_digits("mixed ۱2٣") == "mixed 123"


def test_arabic_yeh_and_kaf_become_persian():
    assert normalize_letters("علي كريمي") == "علی کریمی"
    assert normalize_letters("مصطفى") == "مصطفی"


def test_normalize_text_cleans_spaces_and_invisible_marks():
    assert normalize_text("  \u200fعلي   ۱۲\u00a0 ") == "علی 12"
    assert normalize_text("\u20669B5-JV8-2KX\u2069") == "9B5-JV8-2KX"  # copied from a letter
    assert normalize_text(None) == ""


def test_free_text_keeps_persian_digits_as_typed():
    assert clean_free_text("عقب\u200cنشینی  ۲٫۵ متر") == "عقب\u200cنشینی ۲٫۵ متر"
    assert clean_free_text("پلاک 12، طبقه ۳") == "پلاک 12، طبقه ۳"
    assert clean_free_text("سطر ۱\r\nسطر ۲", multiline=True) == "سطر ۱\nسطر ۲"


def test_free_text_still_loses_control_and_bidi_marks_and_arabic_letter_and_digit_forms():
    assert clean_free_text("\u202eعلي ٢٫٥\u200b\x00 متر\t ") == "علی ۲٫۵ متر"


def test_identifiers_and_search_terms_still_become_latin_digits():
    assert normalize_text("۲٫۵ متر") == "2٫5 متر"
    assert digits_only("۰۹۱۲ ۰۰۰ ۰۰۰۱") == "09120000001"


def test_digits_only_drops_group_separators():
    assert digits_only("۰۰۱-۲۳۴ ۵۶۷۹") == "0012345679"


def test_persian_digits_and_grouped_numbers():
    assert to_persian_digits("1401") == "۱۴۰۱"
    assert format_number(16244) == "۱۶٬۲۴۴"
    assert format_number(1234567890) == "۱٬۲۳۴٬۵۶۷٬۸۹۰"
    assert format_number("۱۲۰۰۰") == "۱۲٬۰۰۰"
    assert format_number(16244, persian=False) == "16,244"
    assert format_number(0) == "۰"


@pytest.mark.parametrize("value", ["abc", ""])
def test_format_number_refuses_non_numbers(value):
    with pytest.raises(ValueError):
        format_number(value)


def test_format_days_in_the_readers_digits():
    from django.utils import translation

    from shahrvand.text import format_days

    with translation.override("fa"):
        assert (format_days(3.25), format_days(4.0), format_days(None)) == ("۳٫۲", "۴", "")
    with translation.override("en"):
        assert format_days(12.06) == "12.1"
