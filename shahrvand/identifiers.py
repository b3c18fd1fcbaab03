"""National ID and mobile number: normalise, then check (rules in the domain notes)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import digits_only

_MOBILE = re.compile(r"^(?:\+98|0098|0)?(9\d{9})$")


def national_id_normalize(value: str | None) -> str:
    """Digits only, left-padded to ten (8 and 9 digit IDs lost their leading zeros somewhere)."""
    digits = digits_only(value)
    if digits.isdigit() and 8 <= len(digits) < 10:
        digits = digits.zfill(10)
    return digits


def national_id_is_valid(value: str) -> bool:
    if len(value) != 10 or not value.isdigit() or len(set(value)) == 1:
        return False
    total = sum(int(value[i]) * (10 - i) for i in range(9)) % 11
    check = int(value[9])
    return check == total if total < 2 else check == 11 - total


def validate_national_id(value: str) -> None:
    if not national_id_is_valid(national_id_normalize(value)):
        raise ValidationError(
            _("This national ID is not valid. Check its ten digits."), code="national_id"
        )


def mobile_normalize(value: str | None) -> str:
    """'+98 912 345 6789', '۰۹۱۲۳۴۵۶۷۸۹' -> '09123456789'; anything else is returned as digits."""
    digits = digits_only(value).replace("(", "").replace(")", "")
    match = _MOBILE.match(digits)
    return f"0{match.group(1)}" if match else digits


def validate_mobile(value: str) -> None:
    if not re.fullmatch(r"09\d{9}", mobile_normalize(value)):
        raise ValidationError(
            _("Enter a mobile number like 09123456789."),
            code="mobile",
        )
