"""Bill ID and payment ID ("shenase-ye ghabz / pardakht") for the dues on an answer.

Iranian banks share one bill-payment scheme, so a pair made here can be paid through any bank's
branch, ATM, app or USSD code without the municipality joining each of them:

- bill ID: file number (≤ 8 digits) + company code (3) + service type (1) + check digit;
- payment ID: amount in thousands of rials (≤ 8 digits) + last digit of the Jalali year + period (2)
  + check digit over those + check digit over the bill ID and everything before it;
- barcode: both, each left-padded with zeros to 13 digits.

The check digits make a mistyped ID fail at the bank rather than pay someone else's bill. Service
type 6 is the municipality's; 7–9 mean different things to different implementations.

Validation takes ASCII digits only: callers normalise what people typed (``text.digits_only``) first,
as the identifier checks do. Leading zeros are accepted because the halves of a barcode carry them,
and they change neither the number nor its check digits (weights run from the right).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MUNICIPALITY_SERVICE = 6

_DIGITS = re.compile(r"[0-9]+")
_FIELD_WIDTH = 13
_MIN_LENGTH = 6  # one significant digit in front, then the five fixed ones of either ID
_MAX_FILE_NUMBER = 10**8
# The largest amount a payment ID can carry: eight digits of thousands of rials. Forms and the answer
# service bound the dues by it, so that signing never meets an amount it cannot bill.
MAX_AMOUNT_RIALS = 99_999_999 * 1000
# Jalali years of this era. Encoding only keeps the last digit, so a Gregorian year passed by mistake
# would go through silently with the wrong digit (2026 -> 6, while it is 1404/1405).
_JALALI_YEARS = range(1300, 1700)


def mod11_check_digit(digits: str) -> int:
    """The scheme's check digit: weights 2..7 repeating from the rightmost digit, sum mod 11.

    A remainder of 0 or 1 gives 0, since 11 - r would need two digits. That is also the scheme's
    blind spot: a typo that moves the remainder between 0 and 1 keeps the check digit.
    """
    if not _DIGITS.fullmatch(digits):
        raise ValueError("the check digit is computed over ASCII digits only")
    total = sum(int(digit) * (2 + i % 6) for i, digit in enumerate(reversed(digits)))
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def _significant(value: object) -> str | None:
    """The ID without its padding, or None when it is no ID of 6–13 digits."""
    if not isinstance(value, str) or len(value) > _FIELD_WIDTH or not _DIGITS.fullmatch(value):
        return None
    significant = value.lstrip("0")
    return significant if len(significant) >= _MIN_LENGTH else None


def _check_digit_holds(digits: str) -> bool:
    return mod11_check_digit(digits[:-1]) == int(digits[-1])


def bill_id_make(*, file_number: int | str, company_code: str, service_type: int = 6) -> str:
    """'77483178', '001', 4 -> '7748317800142'."""
    if isinstance(file_number, str):
        if not re.fullmatch(r"[0-9]{1,8}", file_number):
            raise ValueError("the file number is 1 to 8 digits")
        file_number = int(file_number)
    # A file number of 0 would leave only padding in front, and the bill ID would be too short.
    if type(file_number) is not int or not 0 < file_number < _MAX_FILE_NUMBER:
        raise ValueError("the file number is 1 to 8 digits and not zero")
    if not isinstance(company_code, str) or not re.fullmatch(r"[0-9]{3}", company_code):
        raise ValueError("the company code is exactly 3 digits, e.g. '001'")
    if type(service_type) is not int or service_type not in range(10):
        raise ValueError("the service type is one digit (6 for the municipality)")
    body = f"{file_number}{company_code}{service_type}"
    return f"{body}{mod11_check_digit(body)}"


def bill_id_is_valid(bill_id: str) -> bool:
    digits = _significant(bill_id)
    return digits is not None and _check_digit_holds(digits)


def payment_id_make(*, bill_id: str, amount_rials: int, year: int, period: int) -> str:
    """The payment ID for ``amount_rials`` on ``bill_id``: 17,000 rials, 1397, period 1 -> '1770160'
    on bill 7748317800142.

    ``year`` is the Jalali year; ``period`` tells apart the bills of one file in one year (1–99).
    """
    if not bill_id_is_valid(bill_id):
        raise ValueError("the bill ID is not valid")
    if type(amount_rials) is not int:
        raise ValueError("the amount is a whole number of rials")
    # The scheme carries thousands of rials; rounding here would ask the payer for another sum.
    if amount_rials <= 0 or amount_rials % 1000:
        raise ValueError("the amount is a positive multiple of 1,000 rials")
    if amount_rials > MAX_AMOUNT_RIALS:
        raise ValueError("the amount is at most 99,999,999,000 rials (8 digits of thousands)")
    if type(year) is not int or year not in _JALALI_YEARS:
        raise ValueError("the year is a Jalali year such as 1404")
    if type(period) is not int or period not in range(1, 100):
        raise ValueError("the period is 1 to 99")
    body = f"{amount_rials // 1000}{year % 10}{period:02d}"
    body += str(mod11_check_digit(body))
    return body + str(mod11_check_digit(bill_id + body))


def payment_id_is_valid(bill_id: str, payment_id: str) -> bool:
    """Both check digits hold: the payment ID's own, and the one that binds it to this bill."""
    bill = _significant(bill_id)
    payment = _significant(payment_id)
    if bill is None or payment is None or not _check_digit_holds(bill):
        return False
    return _check_digit_holds(payment[:-1]) and _check_digit_holds(bill + payment)


def payment_amount_rials(payment_id: str) -> int:
    """The amount a payment ID asks for: '1770160' -> 17000.

    Only the payment ID's own check digit can be tested without the bill ID; a payment ID that
    fails it raises ValueError rather than yield a wrong amount.
    """
    payment = _significant(payment_id)
    if payment is None or not _check_digit_holds(payment[:-1]):
        raise ValueError("not a valid payment ID")
    return int(payment[:-5]) * 1000


def barcode(bill_id: str, payment_id: str) -> str:
    """The 26 digits printed as the bill's barcode: both IDs, each padded with zeros to 13."""
    if not payment_id_is_valid(bill_id, payment_id):
        raise ValueError("the bill ID and payment ID do not form a valid pair")
    return bill_id.zfill(_FIELD_WIDTH) + payment_id.zfill(_FIELD_WIDTH)


@dataclass(frozen=True)
class Bill:
    bill_id: str
    payment_id: str
    amount_rials: int

    @property
    def barcode(self) -> str:
        return barcode(self.bill_id, self.payment_id)


def bill_make(
    *, file_number: int | str, company_code: str, amount_rials: int, year: int, period: int
) -> Bill:
    """A municipal bill (service type 6) for ``amount_rials`` of dues on one file."""
    bill_id = bill_id_make(
        file_number=file_number, company_code=company_code, service_type=MUNICIPALITY_SERVICE
    )
    payment_id = payment_id_make(
        bill_id=bill_id, amount_rials=amount_rials, year=year, period=period
    )
    return Bill(bill_id=bill_id, payment_id=payment_id, amount_rials=amount_rials)
