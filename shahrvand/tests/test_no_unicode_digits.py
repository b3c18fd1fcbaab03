"""A guard over the project's own source: nothing reads digits the way Python does by default.

``str.isdigit()``, ``isdecimal()``, ``isnumeric()`` and a regex ``\\d`` accept the digits of every
script (and ``isdigit()`` accepts superscripts that ``int()`` then refuses): that is how a full-width
national ID became a second account and a superscript in a search box a server error. Digits are
read through ``shahrvand.text`` (``is_ascii_number``, ``numeric_identifier``, ``search_number``) and
regexes use ``[0-9]`` or ``re.ASCII``. This test fails on any new use, so the class cannot return.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "venv", "node_modules", "migrations", "tests", "static", "var", ".git"}
UNICODE_DIGIT_METHODS = {"isdigit", "isdecimal", "isnumeric"}
# Files where matching every script's digits is the point, not a validation: each says why.
MATCHES_EVERY_SCRIPT_ON_PURPOSE = {
    # The log filter masks national IDs and mobiles typed in any script (a full-width copy of an ID
    # is still that person's ID); it validates nothing.
    "shahrvand/logging.py",
}
ASCII_FLAGS = {"ASCII", "A"}


def _project_sources() -> list[Path]:
    sources = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if parts & SKIPPED_DIRS or path.name == "conftest.py" or path.name.startswith("test_"):
            continue
        sources.append(path)
    return sorted(sources)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _has_ascii_flag(call: ast.Call) -> bool:
    rest = [*call.args[1:], *(keyword.value for keyword in call.keywords)]
    return any(
        isinstance(node, ast.Attribute) and node.attr in ASCII_FLAGS
        for argument in rest
        for node in ast.walk(argument)
    )


def problems_in(source: str, name: str = "<source>") -> list[str]:
    """Every use of a Unicode-digit method, and every ``\\d`` in a str literal that is not the
    pattern of a call with ``re.ASCII`` (or an inline ``(?a)``). Bytes patterns are ASCII anyway."""
    tree = ast.parse(source, filename=name)
    docstrings = _docstrings(tree)
    ascii_patterns: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and _has_ascii_flag(node):
            ascii_patterns.update(id(inner) for inner in ast.walk(node.args[0]))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in UNICODE_DIGIT_METHODS:
            found.append(f"{name}:{node.lineno}: .{node.attr}() accepts every script's digits")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "\\d" in node.value
            and id(node) not in docstrings
            and id(node) not in ascii_patterns
            and not node.value.startswith("(?a")
        ):
            found.append(
                f"{name}:{node.lineno}: \\d without re.ASCII matches every script's digits"
            )
    return found


def test_the_project_source_reads_only_ascii_digits():
    sources = _project_sources()
    assert len(sources) > 50, "the scan found too few files: has the layout changed?"
    found = []
    for path in sources:
        name = path.relative_to(ROOT).as_posix()
        problems = problems_in(path.read_text(encoding="utf-8"), name)
        if name in MATCHES_EVERY_SCRIPT_ON_PURPOSE:
            problems = [problem for problem in problems if "\\d" not in problem]
        found += problems
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "ok = value.isdigit()",
        "ok = text.strip().isdecimal()",
        "ok = all(map(str.isnumeric, parts))",
        'import re\nNUMBER = re.compile(r"\\d+")',
        'import re\nmatch = re.fullmatch(r"09\\d{9}", value)',
        'import re\nmatch = re.fullmatch(r"09\\d{9}", value, re.IGNORECASE)',
        'from django.core.validators import RegexValidator\nV = RegexValidator(r"^\\d+$")',
    ],
)
def test_the_guard_catches_each_form_of_the_mistake(source):
    assert problems_in(source)


@pytest.mark.parametrize(
    "source",
    [
        'import re\nNUMBER = re.compile(r"[0-9]+")',
        'import re\nNUMBER = re.compile(r"\\d+", re.ASCII)',
        'import re\nmatch = re.fullmatch(r"09\\d{9}", value, flags=re.I | re.A)',
        'import re\nNUMBER = re.compile(r"(?a)\\d+")',
        'import re\nOBJECT = re.compile(rb"\\d+ \\d+ obj")',
        'def f():\n    """Never use ``\\\\d`` or ``str.isdigit()`` here."""',
        "# value.isdigit() in a comment says why not",
    ],
)
def test_the_guard_lets_ascii_only_code_through(source):
    assert problems_in(source) == []
