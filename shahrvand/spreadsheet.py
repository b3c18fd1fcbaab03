"""What a spreadsheet does with a cell's text. Excel and LibreOffice run a cell that starts with one
of these characters as a formula (a tab or carriage return first hides it from view)."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    """Would a spreadsheet run this cell instead of showing it?"""
    return value[:1] in FORMULA_START
