from inquiries.tracking import (
    ALPHABET,
    tracking_code_display,
    tracking_code_is_valid,
    tracking_code_new,
    tracking_code_normalize,
)


def test_codes_are_valid_unambiguous_and_distinct():
    codes = {tracking_code_new() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert tracking_code_is_valid(code)
        assert not set(code) & set("01OIL")


def test_any_single_typo_or_swap_is_caught():
    code = tracking_code_new()
    for i in range(len(code)):
        for ch in ALPHABET:
            if ch != code[i]:
                assert not tracking_code_is_valid(code[:i] + ch + code[i + 1 :])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert not tracking_code_is_valid(swapped)


def test_typed_forms_normalise():
    code = tracking_code_new()
    shown = tracking_code_display(code)
    assert shown.count("-") == 2
    assert tracking_code_normalize(f" {shown.lower()} ") == code
    assert tracking_code_normalize("۲۳۴-abc") == "234ABC"
