"""File sizes read in Persian: Persian digits, the Persian decimal mark and the unit in words, never
"120.6 KB" in the middle of a Persian line."""

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (512, "۵۱۲ بایت"),
        (123_456, "۱۲۰٫۶ کیلوبایت"),
        (2048, "۲ کیلوبایت"),
        (3_500_000, "۳٫۳ مگابایت"),
    ],
)
def test_a_file_size_is_shown_in_persian(size, shown):
    with translation.override("fa"):
        text = Template("{% load persian %}{{ size|fa_filesize }}").render(Context({"size": size}))
    assert text == shown
    assert "KB" not in text and "." not in text


def test_a_file_size_in_english_keeps_latin_digits():
    with translation.override("en"):
        text = Template("{% load persian %}{{ 123456|fa_filesize }}").render(Context())
    assert text == "120.6 KB"
