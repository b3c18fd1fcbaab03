"""``make serve`` starts the real stack on loopback: gunicorn with the production settings on
PostgreSQL and Redis, a Celery worker for the ``pdf`` queue, one for ``default,notifications``, and
beat — and it answers. Needs PostgreSQL and Redis on loopback (``.ci/run`` starts them); skipped
without them. Bounded: at most about four minutes, then every process is stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/12"


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not (_reachable(5432) and _reachable(6379)), reason="needs PostgreSQL and Redis on loopback"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # nosec B310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_make_serve_runs_the_real_stack(tmp_path, monkeypatch):
    port = _free_port()
    database = f"shahrvand_serve_{os.getpid()}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "REDIS_", "CACHE_"))
    }
    process = subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "serve",
            f"PORT={port}",
            f"SERVE_DB={database}",
            f"REDIS_URL={REDIS}",
        ],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        status, body = 0, ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body = _get(base + "/healthz")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(1)
        log = (tmp_path / "serve.log").read_text()
        assert status == 200, f"/healthz: {status} {body}\n{log[-3000:]}"
        assert '"broker": "ok"' in body and '"database": "ok"' in body

        status, home = _get(base + "/")
        assert status == 200
        # WhiteNoise with hashed names: the stylesheet's address carries its content hash.
        assert "/static/css/site." in home and ".css" in home

        from celery import Celery

        # Celery reads CELERY_BROKER_URL before any configuration (.ci/run sets it for the tests).
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        app = Celery(broker=REDIS)
        replies = {}
        # The workers may come up well after the web process on a loaded machine.
        workers_deadline = time.monotonic() + 90
        while time.monotonic() < workers_deadline and len(replies) < 2:
            for reply in app.control.ping(timeout=2):
                replies.update(reply)
        log = (tmp_path / "serve.log").read_text()
        names = {name.split("@")[0] for name in replies}
        assert names == {"pdf", "default"}, f"{names}\n{log[-3000:]}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "beat: Starting" not in log:
            time.sleep(1)
            log = (tmp_path / "serve.log").read_text()
        assert "beat: Starting" in log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", database],
            check=False,
        )
