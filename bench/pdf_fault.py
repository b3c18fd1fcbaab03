"""Fault test: PDFs are never lost. Queues N signed answers on Redis, starts a worker, kills it with
SIGKILL in the middle, empties Redis (every queued task is gone), starts a worker and the beat
scheduler again, and waits until the sweeper has made every PDF owed — then checks that each of the
N answers has exactly one PDF file.

    .venv/bin/python bench/pdf_fault.py [--answers 200] [--sweep-after 20]

Needs PostgreSQL and Redis on loopback (as .ci/run starts them). Uses its own database
(shahrvand_fault, recreated) and Redis database 14 (flushed). Bounded: gives up after 10 minutes.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
DB = "shahrvand_fault"
BROKER = "redis://127.0.0.1:6379/14"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--sweep-after", type=int, default=20, help="PDF_SWEEP_AFTER_SECONDS")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="shahrvand-fault-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shahrvand.settings.base",
        "DEBUG": "0",
        "DATABASE_URL": f"{PG}/{DB}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "VAR_DIR": str(var),
        "SMS_BACKEND": "shahrvand.sms.backends.InMemoryBackend",
        "PDF_SWEEP_AFTER_SECONDS": str(args.sweep_after),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run(["redis-cli", "-n", "14", "FLUSHDB"], check=True, capture_output=True)

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from _setup import signed_answer

    from inquiries.models import Answer
    from inquiries.tasks import render_answer_pdf

    log(f"signing {args.answers} answers and queueing their PDFs on Redis")
    ids = []
    for _ in range(args.answers):
        ids.append(signed_answer(dues=()).pk)
    for answer_id in ids:
        render_answer_pdf.delay(answer_id)

    def worker() -> subprocess.Popen:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "shahrvand",
                "worker",
                "-Q",
                "default,pdf,notifications",
                "--concurrency=2",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )

    def done() -> int:
        return Answer.objects.filter(pk__in=ids, pdf_rendered_at__isnull=False).count()

    first = worker()
    while done() < args.answers // 4:
        time.sleep(0.2)
    log(f"{done()} PDFs made; killing the worker with SIGKILL")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    subprocess.run(["redis-cli", "-n", "14", "FLUSHDB"], check=True, capture_output=True)
    log(
        f"Redis emptied; {done()} PDFs exist, {args.answers - done()} are owed and lost from the queue"
    )

    second = worker()
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shahrvand",
            "beat",
            "--loglevel=WARNING",
            "-s",
            str(var / "beat-schedule"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    started = time.monotonic()
    try:
        while done() < args.answers:
            if time.monotonic() - started > 600:
                raise SystemExit(f"gave up: only {done()} of {args.answers} PDFs after 10 minutes")
            time.sleep(1)
        log(f"all {args.answers} PDFs exist, {time.monotonic() - started:.0f} s after the restart")
    finally:
        for process in (second, beat):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    files = list((var / "private" / "answers").rglob("*.pdf"))
    answers = Answer.objects.filter(pk__in=ids)
    names = {a.pdf.name.rsplit("/", 1)[1] for a in answers}
    print(f"answers with a PDF: {answers.exclude(pdf='').count()} of {args.answers}")
    print(
        f"PDF files on disk:  {len(files)} (one per answer: {len(files) == len(names) == args.answers})"
    )
    print(f"distinct SHA-256:   {len(set(answers.values_list('pdf_sha256', flat=True)))}")
    assert len(files) == len(names) == args.answers, "a PDF is missing or doubled"


if __name__ == "__main__":
    main()
