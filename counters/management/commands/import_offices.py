"""python manage.py import_offices offices.csv [--check]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from counters.imports import MAX_BYTES, offices_import_csv


class Command(BaseCommand):
    help = "Import counter and notary offices from a CSV file; nothing is imported if a row is bad."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--check", action="store_true", help="Only check the file.")

    def handle(self, *args, path: Path, check: bool, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with path.open("rb") as file:
            # One byte over the bound is enough for the import to refuse the file.
            data = file.read(MAX_BYTES + 1)
        result = offices_import_csv(data, apply=not check)
        if not result.ok:
            for line, message in result.errors:
                self.stderr.write(f"line {line}: {message}" if line else message)
            raise CommandError(f"{len(result.errors)} bad lines; nothing was imported.")
        if check:
            self.stdout.write("The file is fine.")
        else:
            self.stdout.write(f"Imported: {result.created} created, {result.updated} updated.")
