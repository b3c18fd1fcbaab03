"""Tracking codes: short, unambiguous when read aloud or typed from a phone, and not guessable from
another code (random, not sequential). The last character is a check character, so a mistyped code
is caught before anything is looked up."""

from __future__ import annotations

import secrets

from shahrvand.text import normalize_text

# No 0/O, 1/I/L: letters and digits people confuse.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RANDOM_LENGTH = 8
LENGTH = RANDOM_LENGTH + 1


def _check_char(body: str) -> str:
    # Weighted sum mod 31 (a prime): catches any single wrong character and swapped neighbours.
    total = sum((i + 1) * ALPHABET.index(ch) for i, ch in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def tracking_code_new() -> str:
    return tracking_code_from("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def tracking_code_from(body: str) -> str:
    """The tracking code of a body of ``RANDOM_LENGTH`` characters of ``ALPHABET`` drawn elsewhere
    (the article's history draws them from its seeded generator): the body and its check
    character."""
    return body + _check_char(body)


# What a typed code keeps: ASCII letters and digits. Separators people type go; a letter or digit
# of another script stays out of the alphabet, so the code is simply not valid (never "ß" -> "SS").
_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_SEPARATORS = frozenset(" -_./\u2010\u2011\u2012\u2013\u2014\u2212")
# No typed code is longer than this; a longer input is no code and is not looked at further.
MAX_TYPED_LENGTH = 40


def typed_code_normalize(value: str | None) -> str:
    """A code typed from an SMS or a letter (tracking code, verification code): 'abc-def-ghj ' ->
    'ABCDEFGHJ'; Persian digits become Latin ones. What is not an ASCII letter, digit or separator
    is kept (made '?') so that no code matches it."""
    text = normalize_text(value)
    if len(text) > MAX_TYPED_LENGTH:
        return "?"
    kept = (ch if ch in _ASCII_ALNUM else "?" for ch in text if ch not in _SEPARATORS)
    return "".join(kept).upper()


tracking_code_normalize = typed_code_normalize


def tracking_code_is_valid(code: str) -> bool:
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return False
    return _check_char(code[:-1]) == code[-1]


def tracking_code_display(code: str) -> str:
    """Three groups of three, read left to right: 'K7M-4QX-9PR'."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))
