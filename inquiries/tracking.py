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
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _check_char(body)


def tracking_code_normalize(value: str | None) -> str:
    """'abc-def-ghj ' -> 'ABCDEFGHJ'; Persian digits become Latin ones."""
    text = normalize_text(value).upper()
    return "".join(ch for ch in text if ch.isalnum())


def tracking_code_is_valid(code: str) -> bool:
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return False
    return _check_char(code[:-1]) == code[-1]


def tracking_code_display(code: str) -> str:
    """Three groups of three, read left to right: 'K7M-4QX-9PR'."""
    return "-".join(code[i : i + 3] for i in range(0, len(code), 3))
