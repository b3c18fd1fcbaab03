"""``manage.py backup DIR``: the database (pg_dump, custom format) and the files (private uploads
and answer PDFs, media) into a new folder under DIR, with a manifest of SHA-256 sums.
``manage.py restore DIR/<backup>`` puts them back into an empty database and empty folders.
Private files kept in an object store (FILES_STORAGE=s3) are not copied: the manifest and the
command say where they are, and the store keeps them (docs/deploy.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_environment() -> tuple[list[str], dict[str, str]]:
    """The connection options for pg_dump / pg_restore, the password only in the environment."""
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        raise CommandError("Backups are made of PostgreSQL (set DATABASE_URL).")
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres", "--dbname", db["NAME"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def private_files_in_object_store() -> dict | None:
    """Where the private files are when they are not in a local folder (FILES_STORAGE=s3)."""
    private = settings.STORAGES["private"]
    if private["BACKEND"].endswith("FileSystemStorage"):
        return None
    options = private.get("OPTIONS", {})
    return {
        "storage": private["BACKEND"],
        "bucket": options.get("bucket_name"),
        "prefix": options.get("location", ""),
        "endpoint": options.get("endpoint_url"),
    }


def file_roots() -> dict[str, Path]:
    """The local folders a backup archives: the private files only when they are kept locally."""
    roots = {"media": Path(settings.MEDIA_ROOT)}
    if private_files_in_object_store() is None:
        roots = {"private": Path(settings.PRIVATE_STORAGE_ROOT), **roots}
    return roots


OBJECT_STORE_NOTE = (
    "The private files (uploads, answer PDFs, monthly reports) are in the object store, bucket "
    "{bucket!r}, prefix {prefix!r}: they are NOT in this backup. Keep them with the store's own "
    "versioning or replication, or copy the bucket (e.g. with rclone or 'aws s3 sync')."
)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the stored files into a new folder under DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where the backup folder is made")

    def handle(self, directory: str, **options):
        args, env = pg_environment()
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(directory) / f"shahrvand-{stamp}"
        target.mkdir(parents=True, exist_ok=False)
        dump = target / "database.dump"
        subprocess.run(  # pg_dump with our own arguments, no shell
            ["pg_dump", "--format", "custom", "--no-owner", "--file", str(dump), *args],
            env=env,
            check=True,
        )
        manifest = {"made_at": stamp, "database": sha256(dump), "files": {}}
        object_store = private_files_in_object_store()
        if object_store:
            manifest["private_files_in_object_store"] = object_store
            self.stderr.write(OBJECT_STORE_NOTE.format(**object_store))
        for name, root in file_roots().items():
            archive = target / f"{name}.tar"
            with tarfile.open(archive, "w") as tar:
                if root.exists():
                    tar.add(root, arcname=name)
            manifest["files"][name] = sha256(archive)
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
        connection.close()
        self.stdout.write(str(target))
