"""Every user-facing string is in the Persian catalogue, translated, and compiled.

Runs makemessages on a copy of the catalogue (needs gettext), then compares: a string in the code with
no Persian translation, or a .mo that is older than its .po, fails CI.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/fa/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def po_entries(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) for each entry (plural forms: the first msgstr)."""
    entries: dict[str, tuple[str, bool]] = {}
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text):
        if "#~" in block.split("msgid", 1)[0]:
            continue
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        msgid = _field(block, "msgid")
        msgstr = _field(block, "msgstr") or _field(block, r"msgstr\[0\]")
        context = _field(block, "msgctxt")
        if msgid:
            key = f"{context}\x04{msgid}" if context else msgid
            entries[key] = (msgstr, fuzzy)
    return entries


def _field(block: str, name: str) -> str:
    match = re.search(rf"^{name} ((?:\".*\"\n?)+)", block, re.MULTILINE)
    if not match:
        return ""
    parts = re.findall(r"\"(.*)\"", match.group(1))
    return "".join(parts).encode("raw_unicode_escape").decode("unicode_escape")


def main() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "django.po"
        shutil.copy2(PO, backup)
        try:
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "-l",
                    "fa",
                    "--no-obsolete",
                    "--ignore=.venv",
                    "--ignore=var",
                    "--ignore=static/vendor",
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            fresh = po_entries(PO)
        finally:
            shutil.copy2(backup, PO)
    committed = po_entries(PO)
    for msgid in fresh:
        msgstr, fuzzy = committed.get(msgid, ("", False))
        if msgid not in committed:
            problems.append(f"not in the catalogue: {msgid!r}")
        elif not msgstr or fuzzy:
            problems.append(f"not translated (or fuzzy): {msgid!r}")
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    for msgid, (msgstr, fuzzy) in committed.items():
        if msgstr and not fuzzy and msgid in fresh:
            plural_key = (msgid, 0)
            if compiled.get(msgid, compiled.get(plural_key)) is None:
                problems.append(f"not compiled (run make messages): {msgid!r}")
    for line in problems:
        print(line)
    print(f"{len(fresh)} strings in the code, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
