"""A real Celery worker on Redis renders a signed answer's PDF end to end, and sends the SMS owed
while the broker was down once it is back (run by .ci/run, where PostgreSQL and Redis are up). The
worker is a separate process using the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from inquiries import services
from inquiries.models import Answer
from inquiries.tests.factories import InquiryFactory
from shahrvand.celery import app

BROKER = os.environ.get("CELERY_BROKER_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(
        not BROKER.startswith("redis://") or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis (run by .ci/run)",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    # A queue name of this run only, so nothing else on the broker takes our task or we theirs.
    queue = f"pdf-test-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shahrvand.settings.base",
        "DEBUG": "0",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        "VAR_DIR": str(tmp_path),
        "SMS_BACKEND": "shahrvand.sms.backends.ConsoleBackend",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shahrvand",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    saved = dict(app.conf.task_routes or {})
    app.conf.update(
        task_always_eager=False,
        broker_url=BROKER,
        task_routes={
            "inquiries.tasks.render_answer_pdf": {"queue": queue},
            "shahrvand.sms.tasks.send_sms": {"queue": queue},
            "shahrvand.sms.tasks.send_outbox_sms": {"queue": queue},
        },
    )
    try:
        yield process
    finally:
        app.conf.update(task_always_eager=True, task_routes=saved)
        process.terminate()
        try:
            out, _err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            out, _err = process.communicate()
        print(out.decode(errors="replace")[-3000:])


def test_a_real_worker_renders_the_signed_answer(worker, citizen, reviewer_d1, manager_d1):
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    answer = services.answer_prepare(
        actor=reviewer_d1, inquiry=inquiry, data={"decision": "no_objection"}, dues=[]
    )
    services.answer_sign(actor=manager_d1, answer=answer)  # commits; the task goes to Redis
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        answer.refresh_from_db()
        if answer.pdf_rendered_at:
            break
        assert worker.poll() is None, "the worker died"
        time.sleep(0.5)
    assert answer.pdf_rendered_at, "no PDF within 90 seconds"
    with answer.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert len(answer.pdf_sha256) == 64
    assert Answer.objects.filter(pk=answer.pk, pdf_rendered_at__isnull=False).count() == 1


def _producers_for(broker_url: str, monkeypatch) -> None:
    """Publish to ``broker_url`` from here on (fresh producer pools; the old ones come back after
    the test)."""
    monkeypatch.setitem(app.conf, "broker_url", broker_url)
    # Celery reads this variable before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)


def test_sms_owed_while_the_broker_was_down_are_sent_by_a_real_worker_once(
    worker, citizen, monkeypatch
):
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from shahrvand import queueing, sms
    from shahrvand.models import OutgoingSms, SmsStatus
    from shahrvand.sms.tasks import sweep_sms_outbox

    _producers_for("redis://127.0.0.1:1/0", monkeypatch)  # nothing listens there
    with transaction.atomic():
        sms.sms_enqueue(to=citizen.mobile, text="owed while the broker was down")
    row = OutgoingSms.objects.get()
    assert row.status == SmsStatus.OWED

    # The broker is back; a minute later beat's sweeper queues the row for the worker.
    _producers_for(BROKER, monkeypatch)
    queueing.broker_pause_reset()
    OutgoingSms.objects.update(queued_at=timezone.now() - dt.timedelta(minutes=2))
    assert sweep_sms_outbox() == 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.status != SmsStatus.OWED:
            break
        assert worker.poll() is None, "the worker died"
        time.sleep(0.5)
    assert row.status == SmsStatus.SENT and row.text == "" and row.attempts == 1
    assert sweep_sms_outbox() == 0  # nothing left owed: sent once
