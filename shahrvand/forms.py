"""Form fields that normalise what people type before validating it (digits, Arabic letters), and
bound it: free text has a length and something visible in it, numbers and dates a range, choices of
database rows a key the database can hold, formsets a number of rows."""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import jalali
from .identifiers import (
    mobile_normalize,
    national_id_normalize,
    validate_mobile,
    validate_national_id,
)
from .text import (
    DIGITS_ONLY_MESSAGE,
    SEARCH_MAX_LENGTH,
    TOO_LONG_NUMBER_MESSAGE,
    clean_free_text,
    format_number,
    has_foreign_digits,
    has_visible_text,
    is_ascii_number,
    localize_digits,
    normalize_digits,
    normalize_text,
    reader_reads_persian,
)

NO_VISIBLE_TEXT_MESSAGE = _(
    "Write at least one letter or digit; spaces and invisible marks alone say nothing."
)
DEFAULT_TEXT_MAX_LENGTH = 200


def widgets_bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap's classes on every visible widget, for forms rendered field by field rather than
    through crispy (the rows of filters above a list): a select, a checkbox, anything else."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif not widget.is_hidden:
            widget.attrs["class"] = "form-control"


def choices_when_drawn(read: Callable[..., list], *args) -> Callable[[], list]:
    """A choice field's choices read (``read(*args)``) only when the field is drawn or a value
    is checked against them, and at most once per form: a list served from its kept copy
    (``shahrvand.kept_lists``) binds its filter form without reading them."""
    return functools.cache(functools.partial(read, *args))


class NormalizedCharField(forms.CharField):
    """Free text: Arabic letter forms made Persian, control and format characters dropped (the
    zero-width non-joiner stays), always with a ``max_length``. A text area keeps its line breaks.
    A required field needs at least one visible letter or digit.

    Digits stay as typed: a note's '۲٫۵ متر' is stored as '۲٫۵ متر'. A code or reference typed
    into a text box (a letter number, a username, a renovation code) has ``ascii_digits``: its
    Persian and Arabic-Indic digits are made Latin, so it compares equal however it was typed. By
    default that is a field shown left to right (``dir="ltr"``), which is how codes are shown."""

    default_error_messages = {"invisible": NO_VISIBLE_TEXT_MESSAGE}

    def __init__(
        self, *, multiline: bool | None = None, ascii_digits: bool | None = None, **kwargs
    ):
        kwargs.setdefault("max_length", DEFAULT_TEXT_MAX_LENGTH)
        super().__init__(**kwargs)
        self.multiline = isinstance(self.widget, forms.Textarea) if multiline is None else multiline
        self.ascii_digits = (
            self.widget.attrs.get("dir") == "ltr" if ascii_digits is None else ascii_digits
        )

    def to_python(self, value):
        text = super().to_python(value)
        if self.ascii_digits:
            text = normalize_digits(text)
        text = clean_free_text(text, multiline=self.multiline)
        if not has_visible_text(text) and not text.strip("\u200c \n"):
            return ""  # only zero-width non-joiners: nothing was written
        return text

    def validate(self, value):
        super().validate(value)
        if self.required and not has_visible_text(value):
            raise ValidationError(self.error_messages["invisible"], code="invisible")


class SearchField(forms.CharField):
    """A search box. The text is made canonical; a term longer than ``text.SEARCH_MAX_LENGTH`` is
    refused with a message (no tracking code, ID or name is that long), and the selectors bound it
    again (``text.search_text``), so nothing unbounded reaches the database."""

    default_error_messages = {
        "max_length": _("Search with at most %(limit_value)s characters."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs["max_length"] = SEARCH_MAX_LENGTH
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_text(super().to_python(value))

    def run_validators(self, value):
        if value and len(value) > SEARCH_MAX_LENGTH:
            raise ValidationError(
                self.error_messages["max_length"],
                code="max_length",
                params={"limit_value": localize_digits(SEARCH_MAX_LENGTH)},
            )


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
        base = {
            "inputmode": "numeric",
            "dir": "ltr",
            "placeholder": "1401/10/25",
            "maxlength": "20",
        }
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


DateBound = dt.date | Callable[[], dt.date] | None


def _bound(value: DateBound) -> dt.date | None:
    return value() if callable(value) else value


class JalaliDateField(forms.DateField):
    """Takes a Jalali date (Persian or Latin digits; "/", "-", "." or spaces between the parts, or
    eight digits YYYYMMDD, which a phone's number pad can type); cleans to datetime.date.

    Dates are bounded: by default from 1300/01/01 (``jalali.EARLIEST_DATE``) to
    ``jalali.LATEST_YEARS_AHEAD`` years after today. ``min_date``/``max_date`` (a date, or a
    callable giving one) narrow the range for a field; ``not_in_future=True`` ends it today. The
    error says the bound, as a Jalali date."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a Jalali date like 1401/10/25 or 14011025."),
        "too_early": _("Enter a date on or after %(date)s."),
        "too_late": _("Enter a date on or before %(date)s."),
        "future": _("The date cannot be in the future."),
    }

    def __init__(
        self,
        *,
        min_date: DateBound = None,
        max_date: DateBound = None,
        not_in_future: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.min_date = min_date
        self.max_date = max_date
        self.not_in_future = not_in_future

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            if len(str(value)) > 40:
                raise ValueError("longer than any date")
            return jalali.parse_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def earliest(self) -> dt.date:
        return _bound(self.min_date) or jalali.EARLIEST_DATE

    def latest(self) -> dt.date:
        latest = _bound(self.max_date) or jalali.latest_date()
        return min(latest, jalali.today()) if self.not_in_future else latest

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if value < self.earliest():
            raise ValidationError(
                self.error_messages["too_early"],
                code="too_early",
                params={"date": jalali.format_date(self.earliest(), "short")},
            )
        if self.not_in_future and value > jalali.today():
            raise ValidationError(self.error_messages["future"], code="future")
        if value > self.latest():
            raise ValidationError(
                self.error_messages["too_late"],
                code="too_late",
                params={"date": jalali.format_date(self.latest(), "short")},
            )


# A whole number as people type it once spaces and grouping marks are gone: ASCII digits only, since
# ``normalize_text`` made Persian and Arabic-Indic ones ASCII. ``int()`` would take any script's.
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_NUMBER_GROUPING = re.compile(r"[\s٬,_]")
# More digits than any number a form takes; refused before it is converted.
NUMBER_MAX_DIGITS = 18


def _refuse_foreign_digits(text: str) -> None:
    """Digits of another script (Bengali, full-width, superscript...) get the message that says
    which digits to use; anything else is left to the field's own "invalid" message."""
    if has_foreign_digits(text):
        raise ValidationError(DIGITS_ONLY_MESSAGE, code="digits")


def _limit(value) -> str:
    return format_number(value, persian=reader_reads_persian())


class NormalizedIntegerField(forms.IntegerField):
    """A whole number typed in Persian, Arabic-Indic or Latin digits, with stray spaces or grouping
    marks removed; other scripts' digits are refused with a message saying so. A text box, not
    type=number: browsers refuse Persian digits in number inputs. The limits are checked here so
    that the message shows them in the reader's digits."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter a whole number."),
        "min_value": _("Enter a number no smaller than %(limit)s."),
        "max_value": _("Enter a number no larger than %(limit)s."),
    }

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        # Django's own validators would print the limits in Latin digits, and a second time.
        super().__init__(**kwargs)
        self.min_limit, self.max_limit = min_value, max_value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _NUMBER_GROUPING.sub("", normalize_text(str(value)))
        if not _WHOLE_NUMBER.fullmatch(text):
            _refuse_foreign_digits(text)
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(text.lstrip("+-").lstrip("0")) > NUMBER_MAX_DIGITS:
            raise ValidationError(TOO_LONG_NUMBER_MESSAGE, code="too_long")
        return int(text)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if self.min_limit is not None and value < self.min_limit:
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": _limit(self.min_limit)},
            )
        if self.max_limit is not None and value > self.max_limit:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": _limit(self.max_limit)},
            )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "dir": "ltr"})
        return attrs


# A comma is a decimal mark in "95,5" (one or two digits after it) and groups thousands in
# "1,500" or "12,345.5"; anything else with a comma is refused rather than guessed ("95,5" was
# once read as 955).
_COMMA_DECIMAL = re.compile(r"[+-]?[0-9]+,[0-9]{1,2}", re.ASCII)
_COMMA_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?", re.ASCII)


def _comma_read(value: str) -> str:
    value = value.replace("،", ",")  # the Persian comma, typed the same way
    if "," not in value:
        return value
    if _COMMA_DECIMAL.fullmatch(value):
        return value.replace(",", ".")
    if _COMMA_GROUPED.fullmatch(value):
        return value.replace(",", "")
    return value  # left for the pattern below to refuse


class NormalizedDecimalField(forms.DecimalField):
    """A decimal typed in Persian, Arabic-Indic or Latin digits; the Persian decimal separator '٫'
    and '/' are accepted. Other scripts' digits and exponents ('1e9') are refused."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_text(value).replace("٬", "").replace(" ", "")
            value = value.replace("٫", ".").replace("/", ".")
            value = _comma_read(value)
            if value and not _DECIMAL_NUMBER.fullmatch(value):
                _refuse_foreign_digits(value)
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            if len(value) > NUMBER_MAX_DIGITS * 2:
                raise ValidationError(TOO_LONG_NUMBER_MESSAGE, code="too_long")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "dir": "ltr"})
        attrs.pop("step", None)
        return attrs


# --- choices of database rows --------------------------------------------------------------------

_INTEGER_KEYS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)
_CHOICE_ERRORS = {
    "invalid_choice": _("That choice is not in the list. Choose again."),
    "invalid_pk_value": _("That choice is not in the list. Choose again."),
    "invalid_list": _("Choose from the list."),
    "too_many": _("Too many were chosen; at most %(limit)s."),
}


class _SafeKeysMixin:
    """Posted keys are checked before any query: an integer key must be ASCII digits within the
    range of the database column (a 30-digit id would overflow it), a text key no longer than its
    column. Anything else is simply not one of the choices."""

    def _key_field(self):
        meta = self.queryset.model._meta
        field = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        while field.is_relation:
            field = field.target_field
        return field

    def key_is_plausible(self, value) -> bool:
        if isinstance(value, self.queryset.model):
            return True
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return False
        field = self._key_field()
        internal = field.get_internal_type()
        if internal in _INTEGER_KEYS:
            if not is_ascii_number(value) or len(value) > 20:
                return False
            low, high = connections[self.queryset.db].ops.integer_field_range(internal)
            return (low is None or int(value) >= low) and (high is None or int(value) <= high)
        if internal == "UUIDField":
            try:
                uuid.UUID(value)
            except ValueError:
                return False
            return True
        return field.max_length is None or len(value) <= field.max_length


class SafeModelChoiceField(_SafeKeysMixin, forms.ModelChoiceField):
    """``ModelChoiceField`` that refuses, as "not in the list", a key the database could not hold."""

    default_error_messages = _CHOICE_ERRORS

    def to_python(self, value):
        if value not in self.empty_values and not self.key_is_plausible(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SafeModelMultipleChoiceField(_SafeKeysMixin, forms.ModelMultipleChoiceField):
    """``ModelMultipleChoiceField`` that checks every key before the query, and takes at most
    ``max_choices`` of them."""

    default_error_messages = _CHOICE_ERRORS

    def __init__(self, queryset, *, max_choices: int = 100, **kwargs):
        super().__init__(queryset, **kwargs)
        self.max_choices = max_choices

    def _check_values(self, value):
        if len(value) > self.max_choices:
            raise ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"limit": localize_digits(self.max_choices)},
            )
        for key in value:
            if not self.key_is_plausible(key):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


# --- formsets ------------------------------------------------------------------------------------


class BoundedFormSet(forms.BaseFormSet):
    """Builds at most ``absolute_max`` forms whatever TOTAL_FORMS says, and refuses more than
    ``max_num`` rows with a message in the reader's digits. Made by ``bounded_formset_factory``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["too_many_forms"] = gettext(
            "At most %(num)s rows can be sent. Remove the extra rows."
        ) % {"num": localize_digits(self.max_num)}

    def _count_is_forged(self) -> bool:
        """More rows claimed than any page of ours offers: a forged TOTAL_FORMS."""
        if not self.is_bound:
            return False
        management = self.management_form
        return (
            management.is_valid() and management.cleaned_data[TOTAL_FORM_COUNT] > self.absolute_max
        )

    def _rows_with_data(self) -> int:
        """One past the last row that arrived with something in it."""
        rows = 0
        for data in (self.data, self.files):
            for key in data:
                index, separator, _field = key.removeprefix(f"{self.prefix}-").partition("-")
                if not (key.startswith(f"{self.prefix}-") and separator):
                    continue
                if not (is_ascii_number(index) and len(index) <= 6):
                    continue
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                if any(not isinstance(value, str) or value.strip() for value in values):
                    rows = max(rows, int(index) + 1)
        return rows

    def total_form_count(self) -> int:
        if not self.is_bound:
            return super().total_form_count()
        if self._count_is_forged():
            # Only the rows a page starts with are built (the first rows' data stays bound);
            # full_clean() refuses the whole post with "too many rows".
            return min(self.min_num + self.extra, self.max_num)
        # Rows that arrived empty after the last filled one are not built again: each costs its
        # rendering (a select of every office, say), and nothing was typed in them.
        shown = max(self._rows_with_data(), self.min_num + self.extra, self.initial_form_count())
        return min(super().total_form_count(), shown)


def bounded_formset_factory(
    form, *, max_num: int, formset=BoundedFormSet, extra: int = 1, **kwargs
) -> type[forms.BaseFormSet]:
    """``formset_factory`` with the limit stated once: ``max_num`` rows, validated, and never more
    forms built than that (``absolute_max``), so a forged TOTAL_FORMS of a million costs nothing."""
    if not issubclass(formset, BoundedFormSet):
        raise TypeError("the formset class must derive from BoundedFormSet")
    return forms.formset_factory(
        form,
        formset=formset,
        extra=extra,
        max_num=max_num,
        absolute_max=max_num,
        validate_max=True,
        **kwargs,
    )
