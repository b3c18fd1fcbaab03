"""Inquiries per district for a period, read from the summaries (``reports.selectors``)."""

from __future__ import annotations

import csv
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from districts.models import District
from reports.selectors import district_report
from shahrvand import jalali


def _jalali_date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return jalali.parse_date(value)
    except ValueError:
        raise CommandError(
            f"{option} {value!r} is not a Jalali date: write it as YYYY-MM-DD or YYYY/MM/DD, "
            "for example 1401-10-25."
        ) from None


class Command(BaseCommand):
    help = (
        "Inquiries filed per district and in total between two Jalali dates (both included; "
        "either may be left out), from the summaries."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", help="First day, Jalali: 1399-07-20")
        parser.add_argument("--to", dest="date_to", help="Last day, Jalali: 1401-10-25")
        parser.add_argument("--format", choices=("table", "csv"), default="table")

    def handle(self, *args, **options):
        date_from = _jalali_date("--from", options["date_from"])
        date_to = _jalali_date("--to", options["date_to"])
        if date_from and date_to and date_from > date_to:
            raise CommandError(
                f"--from {options['date_from']} comes after --to {options['date_to']}."
            )
        report = district_report(
            District.objects.order_by("number"), date_from=date_from, date_to=date_to
        )
        rows = [(r.district.number, str(r.district.name), r.figures.total) for r in report.rows]
        total = report.totals.total
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["district", "inquiries"])
            writer.writerows((number, count) for number, _name, count in rows)
            writer.writerow(["total", total])
            return
        period = " to ".join(
            (
                jalali.to_jalali(date_from).strftime("%Y/%m/%d") if date_from else "the start",
                jalali.to_jalali(date_to).strftime("%Y/%m/%d") if date_to else "today",
            )
        )
        self.stdout.write(f"Inquiries filed from {period} (Jalali, both days included)")
        name_width = max([len(name) for _n, name, _c in rows] + [len("name")])
        count_width = max(len(f"{total:,}"), len("inquiries"))
        line = f"{'district':>8}  {'name':<{name_width}}  {'inquiries':>{count_width}}"
        self.stdout.write(line)
        self.stdout.write("-" * len(line))
        for number, name, count in rows:
            self.stdout.write(f"{number:>8}  {name:<{name_width}}  {count:>{count_width},}")
        self.stdout.write("-" * len(line))
        self.stdout.write(f"{'total':>8}  {'':<{name_width}}  {total:>{count_width},}")
