import pytest
from django.core.exceptions import ValidationError

from inquiries.property_codes import plate_text, renovation_code_parse


@pytest.mark.parametrize(
    "typed",
    [
        "1-3-45-12-0-0-0",
        "۱-۳-۴۵-۱۲-۰-۰-۰",
        "01-003-045-12-0-0-0",
        " 1 - 3 - 45 - 12 - 0 - 0 - 0 ",
        "1/3/45/12/0/0/0",
    ],
)
def test_renovation_code_forms_normalise(typed):
    code = renovation_code_parse(typed)
    assert str(code) == "1-3-45-12-0-0-0"
    assert code.district_number == 1


@pytest.mark.parametrize(
    "typed",
    ["", "1-3-45", "1-3-45-12-0-0-0-0", "1-3-A-12-0-0-0", "0-3-45-12-0-0-0", "1-3-45-12345-0-0-0"],
)
def test_bad_renovation_codes(typed):
    with pytest.raises(ValidationError):
        renovation_code_parse(typed)


def test_the_shape_is_configurable(settings):
    settings.RENOVATION_CODE_PART_WIDTHS = [2, 4, 4]
    assert str(renovation_code_parse("5-1234-77")) == "5-1234-77"
    with pytest.raises(ValidationError):
        renovation_code_parse("1-3-45-12-0-0-0")


def test_plate_reads_like_a_deed():
    from django.utils import translation

    with translation.override("fa"):
        assert plate_text(56, 1234, 2) == "پلاک ۱۲۳۴ فرعی از ۵۶ اصلی، بخش ۲"
        assert plate_text(56, None, 2) == "پلاک ۵۶ اصلی، بخش ۲"
