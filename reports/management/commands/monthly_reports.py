"""Prepare a month's reports by hand: ``python manage.py monthly_reports 1405-08``.

The reports of every district online that month and of the whole city are created if missing and
handed to the PDF workers (rendered here and now with ``--here``); a failed one is asked for
again; ``--force`` renders even the ready ones again with today's figures."""

from __future__ import annotations

import re

from django.core.management.base import BaseCommand, CommandError

from reports import services
from reports.models import MonthlyReport, MonthlyReportStatus
from shahrvand.text import normalize_digits

MONTH = re.compile(r"([0-9]{4})\s*[-/]\s*([0-9]{1,2})", re.ASCII)


def month_parse(text: str) -> tuple[int, int]:
    match = MONTH.fullmatch(normalize_digits(text.strip()))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CommandError(f"{text!r} is no Jalali month: write it as YYYY-MM, like 1405-08.")
    return int(match.group(1)), int(match.group(2))


class Command(BaseCommand):
    help = "Prepare the monthly reports of a Jalali month (YYYY-MM, like 1405-08)."

    def add_arguments(self, parser):
        parser.add_argument("month", help="the Jalali month, YYYY-MM")
        parser.add_argument(
            "--force", action="store_true", help="render the ready reports again too"
        )
        parser.add_argument(
            "--here", action="store_true", help="render in this process, not in a worker"
        )

    def handle(self, *args, month: str, force: bool, here: bool, **options):
        year, number = month_parse(month)
        if here:
            reports = self._here(year, number, force=force)
        else:
            reports = services.monthly_reports_request(year, number, force=force)
        for report in reports:
            report.refresh_from_db()
            place = f"district {report.district.number}" if report.district_id else "city"
            self.stdout.write(f"{report.year:04d}-{report.month:02d} {place}: {report.status}")
        failed = sum(report.status == MonthlyReportStatus.FAILED for report in reports)
        if failed:
            raise CommandError(f"{failed} report(s) failed; see their error in the admin.")

    def _here(self, year: int, month: int, *, force: bool) -> list[MonthlyReport]:
        # Created (and marked owed) without a worker being asked, then rendered one by one.
        reports = services.monthly_reports_request(year, month, force=force, enqueue=False)
        for report in reports:
            services.monthly_report_store(report.pk, force=force)
        return reports
