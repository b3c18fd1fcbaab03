"""The apps are layers, each importing only the ones below it:

    shahrvand (shared library) <- accounts <- districts <- inquiries <- counters <- reports <- api

The shared package is a leaf: apart from the project configuration (urls, settings, celery, wsgi),
it imports no feature app. An app imports only apps below it at module level, so there is no import
cycle between apps. An import inside a function reaching an app above is a cycle in disguise; the
few that remain are listed in ``UPWARD_CALLS`` with the reason each is there.

Tests and migrations are left out: a test may import anything, and a migration names its
dependencies itself.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["shahrvand", "accounts", "districts", "inquiries", "counters", "reports", "api"]
FEATURE_APPS = set(LAYERS) - {"shahrvand"}

# Project configuration: it wires the apps together, so it may import any of them.
PROJECT_CONFIGURATION = (
    "shahrvand/urls.py",
    "shahrvand/settings/",
    "shahrvand/celery.py",
    "shahrvand/wsgi.py",
    "shahrvand/asgi.py",
)

# (module, imported app) -> why the import inside a function reaches an app above.
UPWARD_CALLS: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    path: str  # relative to the project root, e.g. "accounts/admin.py"
    line: int
    module: str  # the absolute module imported, e.g. "districts.models"
    in_function: bool

    @property
    def app(self) -> str:
        return self.path.split("/")[0]

    @property
    def target(self) -> str:
        return self.module.split(".")[0]

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def _is_project_configuration(path: str) -> bool:
    return path.startswith(PROJECT_CONFIGURATION)


def _imports_of(path: Path) -> list[Import]:
    relative = path.relative_to(ROOT).as_posix()
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                modules = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                modules = [child.module]
            else:
                modules = []
            found.extend(Import(relative, child.lineno, module, in_function) for module in modules)
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=relative), in_function=False)
    return found


def _cross_app_imports() -> list[Import]:
    imports = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            imports += [
                found
                for found in _imports_of(path)
                if found.target in LAYERS and found.target != found.app
            ]
    return imports


def _upward(found: Import) -> bool:
    return LAYERS.index(found.target) > LAYERS.index(found.app)


def test_the_scan_sees_the_imports_it_judges():
    """A guard for the guard: the scan finds what it must, or the tests below prove nothing."""
    imports = _cross_app_imports()
    assert any(
        i.app == "reports" and i.target == "inquiries" and not i.in_function for i in imports
    )
    assert any(i.app == "counters" and i.target == "shahrvand" and i.in_function for i in imports)


def test_the_shared_library_imports_no_feature_app():
    offending = [
        str(found)
        for found in _cross_app_imports()
        if found.app == "shahrvand"
        and found.target in FEATURE_APPS
        and not _is_project_configuration(found.path)
    ]
    assert offending == []


def test_apps_import_only_apps_below_them_so_there_is_no_cycle():
    offending = [
        str(found)
        for found in _cross_app_imports()
        if not found.in_function and _upward(found) and not _is_project_configuration(found.path)
    ]
    assert offending == []


def test_each_import_of_an_app_above_inside_a_function_is_listed_with_its_reason():
    found_upward = {
        (found.path, found.target): str(found)
        for found in _cross_app_imports()
        if found.in_function and _upward(found) and found.app != "shahrvand"
    }
    unlisted = sorted(line for key, line in found_upward.items() if key not in UPWARD_CALLS)
    assert unlisted == []
    stale = sorted(set(UPWARD_CALLS) - set(found_upward))
    assert stale == [], "listed but no longer there: take them off UPWARD_CALLS"
