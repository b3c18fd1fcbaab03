"""Private files on an S3-compatible object store (FILES_STORAGE=s3), against a local S3 server
(moto in server mode on loopback): uploads and answer PDFs go to a private bucket, nothing to the
local folder, and people reach them only through the views that check who is asking."""

import os
import socket
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from inquiries import services
from inquiries.models import Answer, Inquiry, InquiryDraft
from inquiries.tests.factories import complete_draft, png_bytes
from shahrvand.management.commands.backup import file_roots, private_files_in_object_store
from shahrvand.settings.files import s3_private_storage

pytestmark = pytest.mark.django_db

BUCKET = "shahrvand-private-test"
KEY_ID, SECRET = "test-key-id", "test-secret-key"
ANSWER = {
    "decision": "no_objection",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    # A proxy from the environment must not capture loopback traffic.
    saved = {name: os.environ.get(name) for name in ("no_proxy", "NO_PROXY")}
    os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh private bucket, and the private storage pointed at it as production's settings do."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": s3_private_storage(
            bucket=BUCKET,
            endpoint_url=s3_server,
            access_key=KEY_ID,
            secret_key=SECRET,
            region="us-east-1",
            location="private",
        ),
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def local_files(settings):
    """The local private and media folders' files before the test, to compare after it."""

    def files() -> set[Path]:
        roots = (Path(settings.PRIVATE_STORAGE_ROOT), Path(settings.MEDIA_ROOT))
        return {path for root in roots if root.exists() for path in root.rglob("*")}

    before = files()
    return lambda: files() - before


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_uploads_and_answer_pdfs_live_in_the_bucket_and_are_served_only_after_the_check(
    bucket,
    local_files,
    client_for,
    citizen,
    other_citizen,
    reviewer_d1,
    manager_d1,
    django_capture_on_commit_callbacks,
):
    # The citizen uploads a document through the filing step, then files.
    client = client_for(citizen)
    draft = complete_draft(citizen)
    upload = SimpleUploadedFile("نقشه.png", png_bytes(), content_type="image/png")
    response = client.post(
        f"/inquiries/drafts/{draft.pk}/documents/", {"kind": "other", "file": upload}
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/inquiries/drafts/{draft.pk}/submit/")
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert InquiryDraft.objects.get(pk=draft.pk)
    attachments = list(inquiry.attachments.all())
    assert len(attachments) >= 2

    # Staff answer; the (eager) worker renders the PDF and stores it in the bucket.
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    answer = services.answer_prepare(actor=reviewer_d1, inquiry=inquiry, data=ANSWER, dues=[])
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_sign(actor=manager_d1, answer=answer)
    answer = Answer.objects.get(pk=answer.pk)
    assert answer.pdf_rendered_at and answer.pdf

    keys = _keys(bucket)
    assert f"private/{answer.pdf.name}" in keys
    for attachment in attachments:
        assert f"private/{attachment.file.name}" in keys
    assert local_files() == set()  # nothing written to the local folders

    # No object is readable by the public.
    for key in keys:
        grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]

    # The citizen downloads both through the views; someone else gets "not found".
    document = client.get(f"/inquiries/documents/{attachments[0].pk}/")
    assert document.status_code == 200
    assert b"".join(document.streaming_content).startswith(b"\x89PNG")
    pdf = client.get(f"/inquiries/answers/{answer.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(body).hexdigest() == answer.pdf_sha256
    stranger = client_for(other_citizen)
    assert stranger.get(f"/inquiries/documents/{attachments[0].pk}/").status_code == 404
    assert stranger.get(f"/inquiries/answers/{answer.pk}/pdf/").status_code == 404

    # No page links to the store: files are reached only through the site's own views.
    page = client.get(f"/inquiries/{inquiry.tracking_code}/").content.decode()
    endpoint = bucket.meta.endpoint_url.split("//", 1)[1]
    assert endpoint not in page and BUCKET not in page and "X-Amz-" not in page


def test_a_deleted_document_is_deleted_from_the_bucket(
    bucket, client_for, citizen, django_capture_on_commit_callbacks
):
    client = client_for(citizen)
    draft = complete_draft(citizen)
    upload = SimpleUploadedFile("نقشه.png", png_bytes(), content_type="image/png")
    client.post(f"/inquiries/drafts/{draft.pk}/documents/", {"kind": "other", "file": upload})
    attachment = draft.attachments.latest("pk")
    key = f"private/{attachment.file.name}"
    assert key in _keys(bucket)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/inquiries/drafts/{draft.pk}/documents/{attachment.pk}/delete/")
    assert response.status_code == 302
    assert key not in _keys(bucket)


def test_the_s3_settings_are_private(s3_server):
    options = s3_private_storage(
        bucket=BUCKET, endpoint_url=s3_server, access_key="k", secret_key="s", region=None
    )["OPTIONS"]
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_a_backup_says_the_private_files_are_in_the_bucket(bucket, settings):
    store = private_files_in_object_store()
    assert store["bucket"] == BUCKET and store["prefix"] == "private"
    # Only the media folder is archived; the private folder is not pretended to hold the files.
    assert set(file_roots()) == {"media"}


def test_backup_with_files_in_the_bucket_writes_a_manifest_that_names_it(bucket, tmp_path, capsys):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("backups are made of PostgreSQL (.ci/run)")
    import json

    call_command("backup", str(tmp_path))
    (folder,) = tmp_path.iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["private_files_in_object_store"]["bucket"] == BUCKET
    assert set(manifest["files"]) == {"media"}
    assert not (folder / "private.tar").exists()
    assert "NOT in this backup" in capsys.readouterr().err
