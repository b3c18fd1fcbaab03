"""Compare the queue counts and the reports' figures with a full recount of the inquiries, and
with ``--repair`` rewrite them from it. Exit status 1 when they differ and were not repaired."""

from django.core.management.base import BaseCommand, CommandError

from inquiries import summaries


class Command(BaseCommand):
    help = (
        "Check the summary counts against a full recount of the inquiries (--repair rewrites them)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="rewrite the summaries from the recount"
        )

    def handle(self, *args, repair: bool = False, **options):
        problems = summaries.check()
        for line in problems[:50]:
            self.stdout.write(line)
        if len(problems) > 50:
            self.stdout.write(f"... and {len(problems) - 50} more")
        if not problems:
            self.stdout.write(self.style.SUCCESS("The summaries match a full recount."))
            return
        if not repair:
            raise CommandError(f"{len(problems)} summary rows differ from a full recount.")
        rows = summaries.repair()
        self.stdout.write(self.style.SUCCESS(f"Rewritten from a full recount: {rows} rows."))
