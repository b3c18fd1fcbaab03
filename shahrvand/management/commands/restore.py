"""``manage.py restore DIR``: a backup made by ``manage.py backup`` into an empty database and
empty file folders, after checking the manifest's SHA-256 sums. Refuses a database that has
tables or a folder that has files, so that nothing is overwritten."""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import OBJECT_STORE_NOTE, file_roots, pg_environment, sha256


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and empty file folders."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the backup folder (shahrvand-...)")

    def handle(self, directory: str, **options):
        source = Path(directory)
        try:
            manifest = json.loads((source / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"No backup manifest in {source}: {exc}") from exc
        dump = source / "database.dump"
        if sha256(dump) != manifest["database"]:
            raise CommandError("The database dump does not match its manifest.")
        roots = {name: root for name, root in file_roots().items() if name in manifest["files"]}
        for name in roots:
            if sha256(source / f"{name}.tar") != manifest["files"][name]:
                raise CommandError(f"The {name} files do not match their manifest.")
        if "private" in manifest["files"] and "private" not in roots:
            raise CommandError(
                "This backup holds the private files in a folder, but they are now kept in an "
                "object store: restore with FILES_STORAGE=local, then copy the folder into the "
                "bucket."
            )
        if "private_files_in_object_store" in manifest:
            self.stderr.write(
                OBJECT_STORE_NOTE.format(**manifest["private_files_in_object_store"]).replace(
                    "NOT in this backup", "not restored by this command"
                )
            )
        if connection.introspection.table_names():
            raise CommandError("The database is not empty: restore into a new, empty one.")
        for root in roots.values():
            if root.exists() and any(root.rglob("*")):
                raise CommandError(f"{root} is not empty: restore into empty folders.")
        connection.close()
        args, env = pg_environment()
        subprocess.run(  # pg_restore with our own arguments, no shell
            ["pg_restore", "--no-owner", "--exit-on-error", *args, str(dump)],
            env=env,
            check=True,
        )
        for name, root in roots.items():
            root.mkdir(parents=True, exist_ok=True)
            # Unpacked beside the folder, then moved in: the archive holds "<name>/...".
            with tempfile.TemporaryDirectory(dir=root.parent) as staging:
                with tarfile.open(source / f"{name}.tar") as tar:
                    tar.extractall(staging, filter="data")
                unpacked = Path(staging) / name
                if unpacked.exists():
                    for item in unpacked.iterdir():
                        item.rename(root / item.name)
        self.stdout.write(f"Restored {source}")
