"""The shared form fields bound what people type: free text needs something visible and has a length,
numbers take only the digits this portal reads and state their limits in the reader's digits, dates
have a plausible range, a choice of database rows never sends an impossible key to the database,
and a formset never builds more rows than it takes."""

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from districts.models import District
from shahrvand import jalali
from shahrvand.forms import (
    BoundedFormSet,
    JalaliDateField,
    NormalizedCharField,
    NormalizedDecimalField,
    NormalizedIntegerField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    SearchField,
    bounded_formset_factory,
)
from shahrvand.text import search_text

FOREIGN_DIGITS = ["১২৩", "१२३", "１２３", "𝟏𝟐𝟑", "¹²³", "①②③", "⑴"]
hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60
) | st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩¹²③০०０𝟎 -+/.,٬٫e\u200c\u200f", max_size=30)


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- free text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["\u200b\u200b", "\u200c\u200c", "\u200f\u202e\u2066", " \t ", "\x00\x07", "…!"]
)
def test_a_required_text_of_invisible_marks_is_refused_with_a_persian_message(typed):
    field = NormalizedCharField(max_length=100)
    with translation.override("fa"), pytest.raises(ValidationError) as refusal:
        field.clean(typed)
    assert "حرف یا رقم" in _message(refusal.value) or "لازم" in _message(refusal.value)


def test_free_text_drops_control_and_format_characters_but_keeps_the_zero_width_non_joiner():
    field = NormalizedCharField(max_length=100)
    assert field.clean("می\u200cخواهم\x00 \u202eنامه\u200b") == "می\u200cخواهم نامه"


def test_a_text_area_keeps_its_line_breaks_and_a_line_does_not():
    area = NormalizedCharField(max_length=100, widget=forms.Textarea)
    line = NormalizedCharField(max_length=100)
    assert area.clean("سطر اول\r\nسطر دوم\x0b") == "سطر اول\nسطر دوم"
    assert line.clean("سطر اول\r\nسطر دوم") == "سطر اول سطر دوم"


def test_free_text_keeps_the_digits_it_was_typed_with():
    field = NormalizedCharField(max_length=50)
    assert field.clean("۲٫۵ متر") == "۲٫۵ متر"
    assert field.clean("پلاک 12 و ۱۳") == "پلاک 12 و ۱۳"
    area = NormalizedCharField(widget=forms.Textarea)
    assert area.clean("عقب\u200cنشینی ۲٫۵ متر\nسطر ۲") == "عقب\u200cنشینی ۲٫۵ متر\nسطر ۲"


def test_free_text_makes_an_arabic_keyboards_digits_persian_as_it_does_its_letters():
    assert NormalizedCharField(max_length=50).clean("پلاك ١٣ و ٤٥٦") == "پلاک ۱۳ و ۴۵۶"


def test_a_code_in_a_text_box_has_latin_digits_however_it_was_typed():
    shown_left_to_right = NormalizedCharField(max_length=40, widget=forms.TextInput({"dir": "ltr"}))
    assert shown_left_to_right.clean("۱۲۳/ب/٤٥") == "123/ب/45"
    assert NormalizedCharField(max_length=40, ascii_digits=True).clean("ش-۱۴۰۲") == "ش-1402"


def test_an_optional_text_of_only_invisible_marks_is_empty():
    assert NormalizedCharField(max_length=10, required=False).clean("\u200c\u200b ") == ""


def test_every_free_text_field_has_a_length():
    assert NormalizedCharField().max_length is not None
    with pytest.raises(ValidationError):
        NormalizedCharField(max_length=10).clean("ا" * 11)


# --- search boxes ----------------------------------------------------------------------------------


def test_a_search_box_refuses_a_too_long_term_with_a_message_and_the_selector_bounds_it_too():
    field = SearchField()
    assert field.clean("") == ""
    assert field.clean("۱۲۳") == "123"
    with translation.override("fa"), pytest.raises(ValidationError) as refusal:
        field.clean("9" * 5000)
    assert refusal.value.messages == ["عبارت جست‌وجو حداکثر ۱۰۰ نویسه باشد."]
    assert search_text("9" * 5000) is None  # a caller that skips the form finds nothing
    assert field.widget.attrs["maxlength"] == "100"


# --- whole numbers and decimals --------------------------------------------------------------------


@pytest.mark.parametrize("typed", FOREIGN_DIGITS)
def test_a_number_in_another_scripts_digits_is_refused_with_the_digits_message(typed):
    with translation.override("fa"), pytest.raises(ValidationError) as refusal:
        NormalizedIntegerField().clean(typed)
    assert "۰ تا ۹" in _message(refusal.value)


@pytest.mark.parametrize("typed", ["۱۲٬۳۴۵", "١٢٣٤٥", "12 345", "12,345", "+12345"])
def test_a_number_in_persian_arabic_indic_or_latin_digits_is_read(typed):
    assert NormalizedIntegerField().clean(typed) == 12345


def test_a_five_thousand_digit_number_is_refused_before_it_is_converted():
    with translation.override("fa"), pytest.raises(ValidationError) as refusal:
        NormalizedIntegerField().clean("9" * 5000)
    assert "طولانی" in _message(refusal.value)


def test_the_limits_are_stated_in_the_readers_digits():
    field = NormalizedIntegerField(min_value=1000, max_value=99_999_999_000)
    with translation.override("fa"), pytest.raises(ValidationError) as refusal:
        field.clean("100000000000")
    assert "۹۹٬۹۹۹٬۹۹۹٬۰۰۰" in _message(refusal.value)
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        field.clean("999")
    assert "1,000" in _message(refusal.value)


@settings(max_examples=300, deadline=None)
@given(hostile_text)
@example("²⁷¹⁸")
@example("9" * 5000)
@example("1e999999")
def test_a_number_field_gives_a_bounded_int_or_a_validation_error(value):
    try:
        number = NormalizedIntegerField(required=False).clean(value)
    except ValidationError as error:
        assert error.messages
        return
    assert number is None or (isinstance(number, int) and abs(number) < 10**18)


@pytest.mark.parametrize("typed", ["١٢٫٥", "12/5", "۱۲.۵"])
def test_a_decimal_takes_the_persian_separator(typed):
    assert str(NormalizedDecimalField(max_digits=6, decimal_places=2).clean(typed)) == "12.5"


@pytest.mark.parametrize("typed", ["১২.৫", "１２.５", "1e3", "NaN", "Infinity", "²"])
def test_a_decimal_in_other_digits_or_with_an_exponent_is_refused(typed):
    with pytest.raises(ValidationError):
        NormalizedDecimalField(max_digits=6, decimal_places=2).clean(typed)


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0001/01/01", "1299/12/29", "9000/01/01", "1500/01/01"])
def test_a_date_outside_the_plausible_range_is_refused_saying_the_bound(typed):
    with translation.override("fa"), pytest.raises(ValidationError) as refusal:
        JalaliDateField().clean(typed)
    assert "۱۳۰۰/۰۱/۰۱" in _message(refusal.value) or "پیش از آن" in _message(refusal.value)


def test_the_default_range_runs_from_1300_to_a_few_years_ahead():
    field = JalaliDateField()
    assert field.clean("1300/01/01") == dt.date(1921, 3, 21)
    assert field.clean(jalali.format_date(jalali.latest_date(), "short")) == jalali.latest_date()
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        field.clean(jalali.format_date(jalali.latest_date() + dt.timedelta(days=1), "short"))
    assert refusal.value.code == "too_late"


def test_a_field_not_in_the_future_refuses_tomorrow_with_its_own_message():
    field = JalaliDateField(not_in_future=True, error_messages={"future": "no future"})
    today = jalali.today()
    assert field.clean(jalali.format_date(today, "short")) == today
    with pytest.raises(ValidationError) as refusal:
        field.clean(jalali.format_date(today + dt.timedelta(days=1), "short"))
    assert refusal.value.messages == ["no future"]


def test_a_field_takes_its_own_bounds_as_dates_or_callables():
    field = JalaliDateField(min_date=dt.date(2020, 1, 1), max_date=lambda: dt.date(2021, 1, 1))
    assert field.clean("1399/01/01") == dt.date(2020, 3, 20)
    for typed in ("1398/10/10", "1399/10/13"):
        with pytest.raises(ValidationError):
            field.clean(typed)


@pytest.mark.parametrize(
    "typed", ["১৪০১/১০/২৫", "１４０１/１０/２５", "¹⁴⁰¹/¹⁰/²⁵", "1401/10/25" + " " * 60]
)
def test_a_date_in_other_digits_or_padded_is_not_a_date(typed):
    with pytest.raises(ValidationError) as refusal:
        JalaliDateField().clean(typed)
    assert refusal.value.code == "invalid"


# --- choices of database rows ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "posted", ["1" * 30, "9223372036854775808", "-1", "١", "１", "¹", "abc", "1.0", " 1"]
)
def test_a_choice_of_a_row_refuses_an_impossible_key_before_any_query(
    posted, django_assert_num_queries
):
    field = SafeModelChoiceField(queryset=District.objects.all())
    multiple = SafeModelMultipleChoiceField(queryset=District.objects.all())
    with django_assert_num_queries(0):
        with pytest.raises(ValidationError) as refusal:
            field.clean(posted)
        assert refusal.value.code == "invalid_choice"
        with pytest.raises(ValidationError) as refusal:
            multiple.clean([posted])
        assert refusal.value.code == "invalid_choice"


@pytest.mark.django_db
def test_a_choice_of_a_row_still_takes_a_real_key():
    district = District.objects.get(number=1)
    assert SafeModelChoiceField(queryset=District.objects.all()).clean(str(district.pk)) == district
    chosen = SafeModelMultipleChoiceField(queryset=District.objects.all()).clean([str(district.pk)])
    assert list(chosen) == [district]


@pytest.mark.django_db
def test_a_multiple_choice_takes_a_bounded_number_of_keys(django_assert_num_queries):
    field = SafeModelMultipleChoiceField(queryset=District.objects.all(), max_choices=5)
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refusal:
        field.clean([str(n) for n in range(100_000)])
    assert refusal.value.code == "too_many"


# --- formsets ---------------------------------------------------------------------------------------


class _Row(forms.Form):
    name = NormalizedCharField(max_length=20, required=False)


def _post(total: int, **rows) -> dict:
    return {
        "rows-TOTAL_FORMS": str(total),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "5",
        **rows,
    }


def test_a_bounded_formset_states_its_limit_once():
    formset_class = bounded_formset_factory(_Row, max_num=5, extra=2)
    assert (formset_class.max_num, formset_class.absolute_max, formset_class.validate_max) == (
        5,
        5,
        True,
    )
    with pytest.raises(TypeError):
        bounded_formset_factory(_Row, max_num=5, formset=forms.BaseFormSet)


def test_a_forged_row_count_of_a_million_is_refused_and_builds_no_more_than_the_page_offers():
    formset_class = bounded_formset_factory(_Row, max_num=5, extra=2)
    with translation.override("fa"):
        formset = formset_class(_post(1_000_000, **{"rows-0-name": "نوشته"}), prefix="rows")
        assert not formset.is_valid()
        assert "۵" in " ".join(formset.non_form_errors())
    assert len(formset.forms) <= formset.absolute_max
    assert formset.forms[0]["name"].value() == "نوشته"  # what was typed is kept


def test_one_row_too_many_is_refused_too():
    formset = bounded_formset_factory(_Row, max_num=5, extra=2)(
        _post(6, **{f"rows-{i}-name": f"r{i}" for i in range(6)}), prefix="rows"
    )
    assert not formset.is_valid()
    assert formset.non_form_errors()
    assert isinstance(formset, BoundedFormSet)


def test_rows_left_empty_after_the_last_filled_one_are_not_built_again():
    formset = bounded_formset_factory(_Row, max_num=5, extra=1)(
        _post(5, **{"rows-2-name": "سوم", "rows-4-": "", "rows-x-name": "?"}), prefix="rows"
    )
    assert formset.is_valid()
    assert len(formset.forms) == 3
    assert [form.cleaned_data.get("name", "") for form in formset.forms] == ["", "", "سوم"]


@pytest.mark.parametrize("typed", ["14011025", "۱۴۰۱۱۰۲۵", "1401 10 25", "۱۴۰۱ ۱۰ ۲۵"])
def test_a_date_field_takes_what_a_phone_number_pad_can_type(typed):
    assert JalaliDateField().clean(typed) == dt.date(2023, 1, 15)


def test_a_date_field_typed_as_eight_digits_keeps_its_bounds():
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        JalaliDateField().clean("12991229")
    assert refusal.value.code == "too_early"
    with pytest.raises(ValidationError) as refusal:
        JalaliDateField(not_in_future=True).clean(
            jalali.format_date(jalali.today() + dt.timedelta(days=1), "short").replace("/", "")
        )
    assert refusal.value.code == "future"


def test_a_refused_date_says_the_number_pad_form_is_accepted_too():
    with translation.override("fa"), pytest.raises(ValidationError) as refusal:
        JalaliDateField().clean("1401")
    assert "۱۴۰۱۱۰۲۵" in _message(refusal.value)
