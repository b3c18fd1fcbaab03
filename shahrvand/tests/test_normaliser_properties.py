"""Property tests for the one normaliser at the edge: whatever Unicode arrives, the result is a
canonical ASCII value or a ValidationError, never another exception."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shahrvand.identifiers import (
    mobile_normalize,
    national_id_is_valid,
    national_id_normalize,
    validate_mobile,
    validate_national_id,
)
from shahrvand.text import (
    clean_free_text,
    has_visible_text,
    is_ascii_number,
    numeric_identifier,
    search_number,
)

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Digits Python's isdigit()/int() accept (some of them) and this portal never does.
FOREIGN_DIGITS = ["০১২৩৪৫৬৭৮৯", "०१२३४५६७८९", "０１２３４５６７８９", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "⁰¹²³⁴⁵⁶⁷⁸⁹"]


hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60
) | st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩¹²³①০०０𝟎 -+/.\u200c\u200f\u2066", max_size=30)


def _canonical_or_refused(function, value):
    try:
        result = function(value)
    except ValidationError as error:
        assert error.messages and all(message.strip() for message in error.messages)
        return None
    return result


@settings(max_examples=400, deadline=None)
@given(hostile_text)
@example("²⁷¹⁸²⁸¹⁸²⁸")
@example("００１３５４２４１９")
@example("①" * 10)
@example("9" * 5000)
def test_numeric_identifier_is_ascii_or_refused(value):
    result = _canonical_or_refused(numeric_identifier, value)
    if result is not None:
        assert result == "" or is_ascii_number(result)
        assert len(result) <= 32


@settings(max_examples=400, deadline=None)
@given(hostile_text)
@example("００１３５４２４１９")
@example("০০১৩৫৪২৪১৯")
def test_national_id_validator_accepts_only_canonical_ascii(value):
    if _raised(validate_national_id, value):
        return
    normalized = national_id_normalize(value)
    assert is_ascii_number(normalized) and len(normalized) == 10
    assert national_id_is_valid(normalized)


@settings(max_examples=400, deadline=None)
@given(hostile_text)
@example("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹")
@example("０９１２３４５６７８９")
def test_mobile_validator_accepts_only_canonical_ascii(value):
    if _raised(validate_mobile, value):
        return
    normalized = mobile_normalize(value)
    assert is_ascii_number(normalized) and len(normalized) == 11 and normalized.startswith("09")


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_search_number_never_raises_and_fits_a_bigint(value):
    number = search_number(value)
    assert number is None or 0 <= number < 2**63


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_free_text_keeps_no_control_or_format_character_but_zwnj(value):
    import unicodedata

    cleaned = clean_free_text(value, multiline=True)
    for ch in cleaned:
        assert ch in "\u200c\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    if not has_visible_text(cleaned):
        assert not any(unicodedata.category(ch)[0] in "LN" for ch in cleaned)


def _raised(function, value) -> bool:
    try:
        function(value)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("national_id", ["0013542419", "0084575948"])
@given(
    script=st.sampled_from([None, PERSIAN, ARABIC_INDIC]),
    separator=st.sampled_from(["", " ", "-", "\u200f"]),
)
def test_a_valid_id_in_any_accepted_digits_normalises_to_the_same_value(
    national_id, script, separator
):
    typed = national_id.translate(script) if script else national_id
    typed = separator.join([typed[:3], typed[3:9], typed[9:]])
    validate_national_id(typed)
    assert national_id_normalize(typed) == national_id


@pytest.mark.parametrize("digits", FOREIGN_DIGITS)
def test_ids_and_mobiles_in_other_scripts_are_refused_with_a_message(digits):
    foreign = str.maketrans("0123456789", digits)
    for validator, value in [
        (validate_national_id, "0013542419"),
        (validate_mobile, "09123456789"),
    ]:
        with pytest.raises(ValidationError) as refused:
            validator(value.translate(foreign))
        assert refused.value.messages


def test_free_text_keeps_zwnj_and_drops_invisible_reasons():
    assert clean_free_text("می\u200cخواهم\u200b\u0000 \u202e") == "می\u200cخواهم"
    assert not has_visible_text(clean_free_text("\u200b\u200c\u2060\u00a0"))
    assert clean_free_text("سطر ۱\r\nسطر ۲", multiline=True) == "سطر ۱\nسطر ۲"
