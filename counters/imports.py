"""Importing the office registry from CSV. Every row is checked first; one bad row and nothing is
imported, and the person gets every problem with its line number."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from districts.models import District
from shahrvand.text import normalize_text

from .models import CounterOffice, OfficeKind

COLUMNS = ["kind", "number", "name", "licence", "district", "address", "phone", "manager"]
# Both the codes and the Persian words are accepted for the kind.
KIND_WORDS = {
    "counter": OfficeKind.COUNTER,
    "pishkhan": OfficeKind.COUNTER,
    "پیشخوان": OfficeKind.COUNTER,
    "notary": OfficeKind.NOTARY,
    "دفترخانه": OfficeKind.NOTARY,
    "اسناد رسمی": OfficeKind.NOTARY,
}
MAX_ROWS = 5000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes) -> str:
    # Excel on Windows saves UTF-8 with a BOM; older files come as Windows-1256 (Arabic script).
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError


def offices_import_csv(data: bytes, *, apply: bool = True) -> ImportResult:
    """Create or update offices (matched by kind and official number) from a CSV file with the
    header ``kind,number,name,licence,district,address,phone,manager``."""
    result = ImportResult()
    try:
        text = _decode(data)
    except ValueError:
        result.errors.append((1, _("The file is not text in UTF-8 or Windows-1256.")))
        return result
    reader = csv.DictReader(io.StringIO(text))
    header = [normalize_text(h).lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append(
            (1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return result
    reader.fieldnames = header
    districts = {d.number: d for d in District.objects.all()}
    seen: dict[tuple[str, int], int] = {}
    rows = []
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            result.errors.append((line, _("Too many rows; split the file.")))
            break
        row = {key: normalize_text(raw.get(key)) for key in COLUMNS}
        if not any(row.values()):
            continue
        problems = []
        kind = KIND_WORDS.get(row["kind"].lower())
        if kind is None:
            problems.append(_("kind must be counter or notary"))
        number = int(row["number"]) if row["number"].isdigit() else None
        if number is None or not 1 <= number <= 999_999:
            problems.append(_("the official number must be a whole number"))
        if not row["name"]:
            problems.append(_("the name is empty"))
        if not row["licence"]:
            problems.append(_("the licence number is empty"))
        district = districts.get(int(row["district"])) if row["district"].isdigit() else None
        if district is None:
            problems.append(_("no such district"))
        if not row["address"]:
            problems.append(_("the address is empty"))
        if kind and number:
            if (kind, number) in seen:
                problems.append(
                    _("the same office is on line %(line)s too") % {"line": seen[(kind, number)]}
                )
            seen[(kind, number)] = line
        if problems:
            result.errors.append((line, "; ".join(str(p) for p in problems)))
            continue
        office = CounterOffice.objects.filter(kind=kind, number=number).first() or CounterOffice(
            kind=kind, number=number
        )
        is_new = office.pk is None
        office.name, office.licence, office.district = row["name"], row["licence"], district
        office.address, office.phone, office.manager_name = (
            row["address"],
            row["phone"],
            row["manager"],
        )
        try:
            office.full_clean(validate_unique=False)
        except ValidationError as error:
            messages = [f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()]
            result.errors.append((line, "; ".join(messages)))
            continue
        rows.append((office, is_new))
    if result.errors or not apply:
        return result
    with transaction.atomic():
        for office, is_new in rows:
            office.save()
            if is_new:
                result.created += 1
            else:
                result.updated += 1
    return result
