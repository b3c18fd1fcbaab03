import pytest
from django.core.exceptions import ValidationError

from shahrvand.identifiers import (
    mobile_normalize,
    national_id_is_valid,
    national_id_normalize,
    validate_mobile,
    validate_national_id,
)


@pytest.mark.parametrize("value", ["0012345679", "0499370899", "0084575948", "4608968882"])
def test_valid_national_ids(value):
    assert national_id_is_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "0012345678",  # wrong check digit
        "1111111111",  # ten identical digits
        "00123456",  # padded to 0000123456, whose check digit is wrong
        "1234567",  # too short to be padded
        "12345678901",  # too long
        "abcdefghij",
        "",
    ],
)
def test_invalid_national_ids(value):
    assert not national_id_is_valid(national_id_normalize(value))


def test_national_id_is_normalised_from_persian_digits_and_padded():
    assert national_id_normalize("۰۰۱۲۳۴۵۶۷۹") == "0012345679"
    assert national_id_normalize("12345679") == "0012345679"
    assert national_id_normalize("001-234567-9") == "0012345679"
    validate_national_id("۰۰۱۲۳۴۵۶۷۹")


def test_invalid_national_id_message_is_persian():
    from django.utils import translation

    with translation.override("fa"), pytest.raises(ValidationError) as error:
        validate_national_id("0012345678")
    assert "کد ملی" in error.value.messages[0]


@pytest.mark.parametrize(
    "raw",
    [
        "09123456789",
        "+989123456789",
        "00989123456789",
        "9123456789",
        "۰۹۱۲ ۳۴۵ ۶۷۸۹",
        "0912-345-6789",
    ],
)
def test_mobile_forms_normalise_to_09(raw):
    assert mobile_normalize(raw) == "09123456789"
    validate_mobile(raw)


@pytest.mark.parametrize("raw", ["08123456789", "0912345678", "091234567890", "phone", ""])
def test_bad_mobiles_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_mobile(raw)
