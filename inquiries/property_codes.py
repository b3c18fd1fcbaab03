"""The property's identifiers: the renovation code (which routes the inquiry to its district) and the
registration plate. Widths are the city's choice (``RENOVATION_CODE_PART_WIDTHS``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shahrvand.text import (
    DIGITS_ONLY_MESSAGE,
    has_foreign_digits,
    is_ascii_number,
    localize_digits,
    normalize_text,
)

# Between the numbers: a hyphen or any dash a keyboard or a copied bill gives (en and em dash,
# minus sign, non-breaking hyphen), a slash, a dot, a comma, spaces.
_SEPARATORS = re.compile(r"\s*[-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D/.،,\s]\s*")


@dataclass(frozen=True)
class RenovationCode:
    parts: tuple[int, ...]

    @property
    def district_number(self) -> int:
        return self.parts[0]

    def __str__(self) -> str:
        return "-".join(str(part) for part in self.parts)


def renovation_code_example() -> str:
    widths = settings.RENOVATION_CODE_PART_WIDTHS
    sample = [1, 3, 45, 12] + [0] * max(0, len(widths) - 4)
    return "-".join(str(n) for n in sample[: len(widths)])


def renovation_code_parse(value: str) -> RenovationCode:
    """'۱-۳-۴۵-۱۲-۰-۰-۰' -> RenovationCode((1, 3, 45, 12, 0, 0, 0)); ValidationError otherwise."""
    widths = settings.RENOVATION_CODE_PART_WIDTHS
    text = normalize_text(value)
    parts = [p for p in _SEPARATORS.split(text) if p != ""] if text else []
    if has_foreign_digits(text):
        # Superscript, circled, Bengali, full-width... digits: say which digits to use.
        raise ValidationError(DIGITS_ONLY_MESSAGE, code="renovation_code_digits")
    problem = None
    if len(parts) != len(widths):
        problem = "parts"
    elif not all(is_ascii_number(p) for p in parts):
        problem = "digits"
    elif any(len(p.lstrip("0") or "0") > w for p, w in zip(parts, widths, strict=True)):
        problem = "width"
    elif int(parts[0]) < 1:
        problem = "district"
    if problem:
        raise ValidationError(
            _(
                "A renovation code has %(count)s numbers separated by dashes, the first being the "
                "district, for example %(example)s. It is printed on the municipality's bills."
            ),
            code=f"renovation_code_{problem}",
            params={
                "count": localize_digits(len(widths)),
                "example": renovation_code_example(),
            },
        )
    return RenovationCode(tuple(int(p) for p in parts))


def plate_text(main: int | None, sub: int | None, section: int | None) -> str:
    """'1234 فرعی از 56 اصلی بخش 2', the way deeds write it."""
    from django.utils.translation import gettext

    if main is None:
        return ""
    params = {
        "main": localize_digits(main),
        "sub": localize_digits(sub) if sub else "",
        "section": localize_digits(section),
    }
    if sub:
        return gettext("%(sub)s sub-plate of main plate %(main)s, section %(section)s") % params
    return gettext("main plate %(main)s, section %(section)s") % params


def plate_validate(main: int | None, sub: int | None, section: int | None) -> None:
    if not main or main < 1 or main > 99_999:
        raise ValidationError(_("Enter the main plate number from the deed."), code="plate_main")
    if sub is not None and (sub < 0 or sub > 999_999):
        raise ValidationError(_("The sub-plate number is not valid."), code="plate_sub")
    if not section or section < 1 or section > 99:
        raise ValidationError(
            _("Enter the registration section (a number from 1 to 99)."), code="plate_section"
        )
