"""``manage.py backup`` and ``manage.py restore``: a backup of the database and the stored files,
restored into an empty database and empty folders, gives back the same rows and the same files;
restore refuses a database that is not empty and a backup whose sums do not match. PostgreSQL
only (``.ci/run``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from inquiries import services
from inquiries.models import Attachment, Inquiry
from inquiries.tests.factories import InquiryFactory, png_upload

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (.ci/run)"),
]


def _psql(database: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_a_backup_restores_into_an_empty_database_with_its_files(citizen, reviewer_d1, tmp_path):
    inquiry = InquiryFactory(applicant=citizen)
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, note="سند؟")
    services.inquiry_resubmit(
        actor=citizen, inquiry=inquiry, note="فرستادم", uploads=[("deed", png_upload())]
    )
    attachment = Attachment.objects.get(inquiry=inquiry)
    stored = Path(settings.PRIVATE_STORAGE_ROOT) / attachment.file.name

    call_command("backup", str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert set(manifest["files"]) == {"private", "media"}

    database = f"shahrvand_restore_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    target = tmp_path / "restored"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "shahrvand.settings.base",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "VAR_DIR": str(target),
        "PRIVATE_STORAGE_ROOT": str(target / "private"),
        "MEDIA_ROOT": str(target / "media"),
    }
    try:
        restore = [sys.executable, "manage.py", "restore", str(backup)]
        subprocess.run(restore, cwd=ROOT, env=env, check=True, capture_output=True)
        assert _psql(database, "SELECT count(*) FROM inquiries_inquiry") == str(
            Inquiry.objects.count()
        )
        assert _psql(database, "SELECT tracking_code FROM inquiries_inquiry") == (
            inquiry.tracking_code
        )
        copy = target / "private" / attachment.file.name
        assert copy.read_bytes() == stored.read_bytes()
        # Once more over what is now there: refused, nothing overwritten.
        again = subprocess.run(restore, cwd=ROOT, env=env, capture_output=True, text=True)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", database],
            check=False,
        )


def test_a_backup_that_does_not_match_its_manifest_is_refused(tmp_path):
    call_command("backup", str(tmp_path))
    (backup,) = tmp_path.iterdir()
    with (backup / "private.tar").open("ab") as tar:
        tar.write(b"tampered")
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(backup))
