"""The hostile inputs: named classes of what people and attackers type, made per field kind.

Everything here is deterministic. The few random values come from ``random.Random`` seeded with the
field's key (string seeds are hashed with SHA-512, so they do not depend on PYTHONHASHSEED): a failure
names its field and class, and the same input comes back on the next run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SEED = "shahrvand-hostile-1"

# --- Digits of other scripts ------------------------------------------------------------------------
# Python's ``str.isdigit()``, ``\d`` and (but for the superscripts and circled ones) ``int()`` take all
# of these. The portal takes only ASCII, Persian and Arabic-Indic digits.
SCRIPTS: dict[str, str] = {
    "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹",
    "subscript": "₀₁₂₃₄₅₆₇₈₉",
    "circled": "⓪①②③④⑤⑥⑦⑧⑨",
    "bengali": "০১২৩৪৫৬৭৮৯",
    "devanagari": "०१२३४५६७८९",
    "fullwidth": "０１２３４５６７８９",
    "math-bold": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    "math-double-struck": "𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡",
    "thai": "๐๑๒๓๔๕๖๗๘๙",
    "nko": "߀߁߂߃߄߅߆߇߈߉",
}
# Accepted: these must be read as the ASCII digits they stand for.
ACCEPTED_SCRIPTS: dict[str, str] = {
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
}


def in_script(value: str, digits: str) -> str:
    """'0912' in Bengali digits -> '০৯১২' (other characters unchanged)."""
    return value.translate(str.maketrans("0123456789", digits))


# --- What must never come back unescaped -----------------------------------------------------------
SCRIPT_TAG = "<script>alert(1)</script>"
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
SVG_ONLOAD = "'><svg onload=alert(1)>"
# Verbatim in a response body, each of these would run in the reader's browser.
FORBIDDEN_IN_RESPONSES = ("<script>alert(1)</script>", "onerror=alert(1)>", "<svg onload=alert(1)>")

HUNDRED_KB = "آزمون ورودی بلند " * 3400 + "پایان"  # 105 KB in UTF-8
FIVE_THOUSAND_DIGITS = "9" * 5000
THIRTY_DIGITS = "123456789012345678901234567890"


@dataclass(frozen=True)
class Case:
    """One hostile value for one field. ``value`` is bytes when it must travel as raw bytes in a
    multipart body (invalid UTF-8 cannot be a str)."""

    label: str
    value: str | bytes

    def __repr__(self) -> str:  # short enough for an assertion message
        shown = self.value if len(self.value) <= 60 else self.value[:40]
        suffix = "" if len(self.value) <= 60 else f"...<{len(self.value)} in all>"
        return f"{self.label}={shown!r}{suffix}"


# Every field of every form gets these.
CORE: tuple[Case, ...] = (
    Case("empty", ""),
    Case("whitespace", " \t \u00a0\u3000 "),
    Case("zero-width-only", "\u200b\u200c\u200d\u200e\u200f"),
    Case("control-only", "\x00\x01\x02\x1f\x7f"),
    Case("long-100kb", HUNDRED_KB),
    Case("script-tag", SCRIPT_TAG),
    Case("img-onerror", IMG_ONERROR),
    Case("sql-quote", "' OR '1'='1' --"),
    Case("superscript-digits", "¹²³"),
    Case("circled-digit", "①"),
    Case("thirty-digit-id", THIRTY_DIGITS),
    Case("invalid-utf8", b"\xff\xfe\xc3\x28\xa0\xa1 abc"),
)

# Free text (names, addresses, notes, reasons, search boxes, usernames).
TEXT: tuple[Case, ...] = (
    Case("nul-inside", "خیابان\x00امام"),
    Case("rlo-override", "\u202etxt.exe"),
    Case("isolates-only", "\u2066\u2067\u2068\u2069"),
    Case("bom-only", "\ufeff"),
    Case("invisible-mix", "\u200b\ufeff\u2066\u202e\u200f\u061c\u00ad"),
    Case("control-and-zw", "\x01\u200b\x02\u200c\x03"),
    Case("svg-onload", SVG_ONLOAD),
    Case("template-tags", "{{ request.user.password }}{% debug %}"),
    Case("sql-drop", "1; DROP TABLE inquiries_inquiry; --"),
    Case("sql-union", "0 UNION SELECT username, password FROM accounts_user"),
    Case("emoji", "🏠🔥👩🏽‍💻"),
    Case("combining-pile", "a" + "\u0301" * 300),
    Case("crlf-header", "x\r\nSet-Cookie: sessionid=stolen"),
    Case("one-long-word", "ب" * 5000),
    Case("persian-zwnj", "می\u200cخواهم"),  # benign: must be kept as typed
    Case("arabic-letters", "علي كريمي"),  # benign: Arabic yeh and kaf
)


# National IDs, mobiles, codes, plates: the benign value in every other script, and the numbers
# that break ``int()`` or the database.
def identifier_cases(benign: str) -> tuple[Case, ...]:
    cases = [Case(f"{name}-digits", in_script(benign, digits)) for name, digits in SCRIPTS.items()]
    cases += [
        Case(f"{name}-digits-accepted", in_script(benign, digits))
        for name, digits in ACCEPTED_SCRIPTS.items()
    ]
    half = len(benign) // 2
    cases += [
        Case("mixed-ascii-bengali", benign[:half] + in_script(benign[half:], SCRIPTS["bengali"])),
        Case("superscript-e", "²⁷¹⁸²⁸¹⁸²⁸"),
        Case("zero-width-inside", benign[:half] + "\u200b\u200d" + benign[half:]),
        Case("bidi-around", "\u202e" + benign + "\u202c\u2066"),
        Case("five-thousand-digits", FIVE_THOUSAND_DIGITS),
        Case("negative", "-" + benign),
        Case("plus-sign", "+" + benign),
        Case("letters-inside", benign[:half] + "O" + benign[half + 1 :]),
        Case("sql-in-id", benign + "' OR 1=1 --"),
    ]
    return tuple(cases)


NUMBER: tuple[Case, ...] = (
    Case("five-thousand-digits", FIVE_THOUSAND_DIGITS),
    Case("negative", "-5"),
    Case("negative-huge", "-" + "9" * 40),
    Case("minus-zero", "-0"),
    Case("zero", "0"),
    Case("huge-10e20", "100000000000000000000"),
    Case("hundred-billion", "100000000000"),
    Case("float", "1.5"),
    Case("exponent", "1e10"),
    Case("nan", "NaN"),
    Case("infinity", "Infinity"),
    Case("hex", "0x1F"),
    Case("grouped", "1,000,000"),
    Case("persian-grouped-accepted", "۱٬۰۰۰"),
    Case("fullwidth-number", "１２３"),
    Case("bengali-number", "১২৩"),
    Case("devanagari-number", "१२३"),
    Case("math-number", "𝟏𝟐𝟑"),
    Case("superscript-e", "²⁷¹⁸²⁸¹⁸²⁸"),
)

# Money: the dues lines of an answer (the payment ID carries at most 99,999,999,999 rials).
MONEY: tuple[Case, ...] = (
    *NUMBER,
    Case("payment-id-limit", "99999999999"),
    Case("payment-id-limit-plus-one", "100000000000"),
    Case("trillion", "1000000000000"),
    Case("persian-hundred-billion", "۱۰۰۰۰۰۰۰۰۰۰۰"),
)

DATE: tuple[Case, ...] = (
    Case("date-0001-01-01", "0001/01/01"),
    Case("date-9999-12-31", "9999/12/31"),
    Case("date-1401-13-40", "1401/13/40"),
    Case("date-0000-00-00", "0000/00/00"),
    Case("date-1400-02-31", "1400/02/31"),
    Case("date-1403-12-31", "1403/12/31"),
    Case("date-1399-12-30", "1399/12/30"),
    Case("date-five-digit-year", "14011/01/01"),
    Case("date-negative-year", "-1401/01/01"),
    Case("date-gregorian", "2022-06-01"),
    Case("date-four-parts", "1401/01/01/01"),
    Case("date-superscript", "¹⁴⁰¹/⁰¹/⁰¹"),
    Case("date-fullwidth", "１４０１/０１/０１"),
    Case("date-bengali", "১৪০১/০১/০১"),
    Case("date-huge-year", "99999999999999999999/01/01"),
    Case("date-persian-accepted", "۱۴۰۱/۰۱/۱۵"),
    Case("date-far-future", "1500/01/01"),
    Case("date-1300", "1299/12/29"),
)

# Choices, ids and flags: what a forged select, radio or checkbox can carry.
CHOICE: tuple[Case, ...] = (
    Case("five-thousand-digits", FIVE_THOUSAND_DIGITS),
    Case("negative-id", "-1"),
    Case("zero-id", "0"),
    Case("huge-id", "9223372036854775808"),
    Case("float-id", "1.5"),
    Case("bengali-id", "১"),
    Case("unknown-token", "zzz"),
)

# The tail of every field: random strings from a grab bag of hard characters, the same each run.
_GRAB_BAG = (
    "abcXYZ019 -_/.,;:'\"<>&%#{}[]()\\|`~!@$^*=+?"
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئءآأؤيكةۀ"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩¹²³⁴①②০১२३４５𝟏𝟐"
    "\x00\x01\x1b\x7f\u0085\u00a0\u00ad\u061c\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff\ufffd"
    "\u0301\u064b\u0670🏠😀\U0010fffd"
)
RANDOM_PER_FIELD = 1


def random_cases(field_key: str, count: int = RANDOM_PER_FIELD) -> tuple[Case, ...]:
    rng = random.Random(f"{SEED}:{field_key}")
    cases = []
    for n in range(count):
        length = rng.choice([1, 3, 8, 20, 60, 400])
        cases.append(Case(f"random-{n}", "".join(rng.choice(_GRAB_BAG) for _ in range(length))))
    return tuple(cases)


# What each kind of field gets besides CORE and the random tail.
def kind_cases(kind: str, benign: str) -> tuple[Case, ...]:
    if kind in ("text", "search"):
        return TEXT
    if kind == "identifier":
        return identifier_cases(benign or "0013542419")
    if kind in ("number", "hidden"):
        return NUMBER
    if kind == "money":
        return MONEY
    if kind == "date":
        return DATE
    if kind == "choice":
        return CHOICE
    if kind == "file":
        return ()
    raise ValueError(f"unknown field kind {kind!r}")


def cases_for(field_key: str, kind: str, benign: str = "") -> tuple[Case, ...]:
    """Every hostile value posted to one field, deduplicated, in a fixed order."""
    seen: set[str | bytes] = set()
    out = []
    for case in (*CORE, *kind_cases(kind, benign), *random_cases(field_key)):
        if case.value not in seen and case.value != benign:
            seen.add(case.value)
            out.append(case)
    return tuple(out)
