"""Load the source article's history (``reports.history``) into a database without inquiries."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inquiries.models import Inquiry
from reports import history, published


class Command(BaseCommand):
    help = (
        "Fill an empty database with the article's history: 16,244 inquiries from each district's "
        "launch to 1401/10/25, with events, answers, offices' trainings and visits, kiosk records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete every inquiry and what hangs on it (events, answers, ...).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=history.DEFAULT_SEED,
            help=f"Random seed (default {history.DEFAULT_SEED}): the same seed, the same history.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a real deployment).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Refusing to load the history with DEBUG off (use --force).")
        started = time.monotonic()
        if options["reset"]:
            deleted = history.reset()
            done = ", ".join(f"{count} {what}" for what, count in deleted.items() if count)
            self.stdout.write(f"Deleted: {done or 'nothing'}.")
        elif count := Inquiry.objects.count():
            raise CommandError(
                f"The database already holds {count} inquiries; the history is loaded only into "
                "a database without any. Run with --reset to delete them (and their events, "
                "answers, attachments' rows and drafts) first."
            )
        try:
            result = history.build(seed=options["seed"])
        except history.HistoryRefused as error:
            raise CommandError(f"Cannot load the history: {error}.") from error
        elapsed = time.monotonic() - started
        for number, count in result.by_district.items():
            check = "" if count == published.INQUIRIES_BY_DISTRICT[number] else "  (differs!)"
            self.stdout.write(f"  district {number}: {count:>6,} inquiries{check}")
        total = sum(result.by_district.values())
        self.stdout.write(f"  total:      {total:>6,} inquiries (published: 16,244)")
        made = ", ".join(f"{count:,} {what}" for what, count in result.rows.items())
        self.stdout.write(f"Also made: {made}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"History loaded with seed {options['seed']} in {elapsed:.1f} s. "
                "Check it with: manage.py district_stats --to 1401-10-25"
            )
        )
