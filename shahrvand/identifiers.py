"""National ID and mobile number: normalise, then check (rules in the domain notes)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import DIGITS_ONLY_MESSAGE, digits_only, is_ascii_number

_MOBILE = re.compile(r"^(?:0098|0)?(9[0-9]{9})$", re.ASCII)
_CANONICAL_MOBILE = re.compile(r"09[0-9]{9}", re.ASCII)


def national_id_normalize(value: str | None) -> str:
    """Digits only, left-padded to ten (8 and 9 digit IDs lost their leading zeros somewhere)."""
    digits = digits_only(value)
    if is_ascii_number(digits) and 8 <= len(digits) < 10:
        digits = digits.zfill(10)
    return digits


def national_id_is_valid(value: str) -> bool:
    """Ten ASCII digits with a right check digit: the canonical form, the only one stored."""
    if (
        not isinstance(value, str)
        or len(value) != 10
        or not is_ascii_number(value)
        or len(set(value)) == 1
    ):
        return False
    total = sum(int(value[i]) * (10 - i) for i in range(9)) % 11
    check = int(value[9])
    return check == total if total < 2 else check == 11 - total


def validate_national_id(value: str) -> None:
    normalized = national_id_normalize(value)
    if normalized and not is_ascii_number(normalized):
        raise ValidationError(DIGITS_ONLY_MESSAGE, code="digits")
    if not national_id_is_valid(normalized):
        raise ValidationError(
            _("This national ID is not valid. Check its ten digits."), code="national_id"
        )


def mobile_normalize(value: str | None) -> str:
    """'+98 912 345 6789', '۰۹۱۲۳۴۵۶۷۸۹' -> '09123456789'; anything else is returned as digits."""
    digits = digits_only(value).replace("(", "").replace(")", "")
    if digits.startswith("+") and is_ascii_number(digits[1:]):
        digits = "00" + digits[1:]
    match = _MOBILE.match(digits)
    return f"0{match.group(1)}" if match else digits


def mobile_is_canonical(value: object) -> bool:
    """Is this a mobile number as stored: '09' and nine more ASCII digits?"""
    return isinstance(value, str) and _CANONICAL_MOBILE.fullmatch(value) is not None


def validate_mobile(value: str) -> None:
    normalized = mobile_normalize(value)
    if normalized and not is_ascii_number(normalized.removeprefix("+")):
        raise ValidationError(DIGITS_ONLY_MESSAGE, code="digits")
    if not mobile_is_canonical(normalized):
        raise ValidationError(
            _("Enter a mobile number like 09123456789."),
            code="mobile",
        )
