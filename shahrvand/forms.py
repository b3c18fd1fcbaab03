"""Form fields that normalise what people type before validating it (digits, Arabic letters)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import jalali
from .identifiers import (
    mobile_normalize,
    national_id_normalize,
    validate_mobile,
    validate_national_id,
)
from .text import normalize_text


class NormalizedCharField(forms.CharField):
    """Free text with Persian letters and Latin digits made canonical."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


class NationalIDField(forms.CharField):
    default_error_messages = {"required": _("Enter the national ID.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 14)  # room for spaces or dashes people type
        kwargs.setdefault("label", _("National ID"))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "dir": "ltr", "maxlength": "14"}
        )

    def to_python(self, value):
        value = super().to_python(value)
        return national_id_normalize(value) if value else value

    def validate(self, value):
        super().validate(value)
        if value:
            validate_national_id(value)


class MobileField(forms.CharField):
    default_error_messages = {"required": _("Enter the mobile number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("Mobile number"))
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel", "dir": "ltr", "placeholder": "09xxxxxxxxx"}
        )

    def to_python(self, value):
        value = super().to_python(value)
        return mobile_normalize(value) if value else value

    def validate(self, value):
        super().validate(value)
        if value:
            validate_mobile(value)


class JalaliDateInput(forms.TextInput):
    """A plain text box showing a Gregorian date as Jalali YYYY/MM/DD (works on every phone)."""

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "dir": "ltr", "placeholder": "1401/10/25"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, str):
            # A date kept as ISO text (a saved draft) shows as Jalali too.
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, dt.date):
            j = jalali.to_jalali(value)
            return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
        return super().format_value(value)


class JalaliDateField(forms.DateField):
    """Takes a Jalali date (Persian or Latin digits, / or - between parts); cleans to datetime.date."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a Jalali date like 1401/10/25."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return jalali.parse_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class NormalizedIntegerField(forms.IntegerField):
    """A whole number typed in any digits, with stray spaces or separators removed. A text box, not
    type=number: browsers refuse Persian digits in number inputs."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            # Grouping marks and spaces go; a minus sign stays (and fails min_value if it must).
            value = re.sub(r"[\s٬,_]", "", normalize_text(value))
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "dir": "ltr"})
        return attrs


class NormalizedDecimalField(forms.DecimalField):
    """A decimal typed in any digits; the Persian decimal separator '٫' and '/' are accepted."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_text(value).replace("٬", "").replace(",", "")
            value = value.replace("٫", ".").replace("/", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "dir": "ltr"})
        attrs.pop("step", None)
        return attrs
