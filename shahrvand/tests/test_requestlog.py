"""Request ids and the access log: the id comes back as X-Request-ID, is on every line written for
the request and on the lines of the tasks it queued; one JSON access line per request, naming the
person by role only, never by the query string or an identifier in the path."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest
from celery import Celery, shared_task
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from shahrvand.logging import IdentifierMaskFilter, JsonFormatter, TextFormatter, request_id
from shahrvand.requestlog import RequestIdMiddleware
from shahrvand.settings.env import env_choice

NID, MOBILE = "0013542419", "09121234567"
task_logger = logging.getLogger("shahrvand.tests.requestlog")


@shared_task(name="shahrvand.tests.requestlog.say")
def say(text: str) -> str:
    task_logger.warning("task says %s", text)
    return request_id.get() or ""


@contextmanager
def _json_log():
    """The lines the root logger writes, through the mask filter and the JSON formatter (as
    production's console handler), at INFO; parsed, one object per line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(IdentifierMaskFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    entries: list[dict] = []
    try:
        yield entries
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        entries.extend(json.loads(line) for line in stream.getvalue().splitlines())


def _access(entries: list[dict]) -> list[dict]:
    return [entry for entry in entries if entry["logger"] == "shahrvand.access"]


def test_the_request_id_is_sent_back(client, db):
    response = client.get("/")
    rid = response["X-Request-ID"]
    assert len(rid) == 32 and int(rid, 16) >= 0
    assert client.get("/")["X-Request-ID"] != rid


@pytest.mark.parametrize("incoming", ["3f2a9c1e-77b0-4d0e-9f5a-0c1b2d3e4f50", "lb-12345678"])
def test_a_safe_incoming_id_is_kept(client, db, incoming):
    assert client.get("/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["short", "a" * 65, "has space in it", "abc\r\nX-Evil: 1", f"id-<script>{NID}", "شناسه‌درخواست"],
)
def test_an_unsafe_incoming_id_is_replaced(client, db, incoming):
    rid = client.get("/", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert rid != incoming and len(rid) == 32


def test_the_access_line_is_json_with_the_fields_and_no_query(client, db):
    with _json_log() as entries:
        response = client.get(f"/track/?code=ABC&mobile={MOBILE}", HTTP_X_REQUEST_ID="req-00000001")
    (line,) = _access(entries)
    assert line["request_id"] == "req-00000001" == response["X-Request-ID"]
    assert line["method"] == "GET" and line["path"] == "/track/"
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["role"] == "anonymous" and line["level"] == "INFO"
    assert line["time"].endswith("+00:00")
    assert "code=" not in json.dumps(entries) and MOBILE not in json.dumps(entries)


def test_every_line_of_the_request_carries_its_id(client_for, citizen):
    with _json_log() as entries:
        client_for(citizen).get("/staff/", HTTP_X_REQUEST_ID="req-00000002")
    loggers = {entry["logger"] for entry in entries if entry["request_id"] == "req-00000002"}
    assert {"shahrvand.security", "shahrvand.access"} <= loggers


def test_an_id_in_the_path_is_masked_on_the_access_line(client, db):
    with _json_log() as entries:
        assert client.get(f"/inquiries/{NID}/x/").status_code == 404
    (line,) = _access(entries)
    assert line["path"] == "/inquiries/**********/x/"
    assert NID not in line["message"] and NID not in json.dumps(entries)


def test_a_crafted_path_stays_one_access_line(client, db):
    with _json_log() as entries:
        client.get("/nothing%0A2024-01-01 WARNING forged/")
    (line,) = _access(entries)
    assert "\n" not in line["path"] and "forged" in line["path"]


@pytest.mark.parametrize(
    "person, role",
    [
        (None, "anonymous"),
        ("citizen", "citizen"),
        ("reviewer_d1", "reviewer"),
        ("kiosk_clerk", "kiosk"),
    ],
)
def test_the_access_line_names_the_role_only(request, client, client_for, db, person, role):
    user = request.getfixturevalue(person) if person else None
    browser = client_for(user) if user else client
    with _json_log() as entries:
        browser.get("/")
    (line,) = _access(entries)
    assert line["role"] == role
    if user is not None:
        text = json.dumps(entries, ensure_ascii=False)
        for identifier in (user.national_id, user.mobile, user.username):
            assert not identifier or identifier not in text
        assert str(user.pk) not in line["message"].split("role=")[1]


def test_a_task_run_eagerly_logs_the_request_id():
    def view(request):
        return HttpResponse(say.delay("سلام").get())

    middleware = RequestIdMiddleware(view)
    http_request = RequestFactory().get("/x/", HTTP_X_REQUEST_ID="req-00000003")
    http_request.user = None
    with _json_log() as entries:
        response = middleware(http_request)
    assert response.content.decode() == "req-00000003"
    (task_line,) = [entry for entry in entries if entry["logger"] == task_logger.name]
    assert task_line["request_id"] == "req-00000003" and task_line["message"] == "task says سلام"
    assert request_id.get() is None  # not left behind for the next request on this thread


def test_a_task_run_by_a_worker_logs_the_id_it_was_queued_under():
    # A worker of its own over an in-memory broker; its thread starts with no request id at all,
    # so the id can only come through the message.
    app = Celery(
        "requestlog-test", broker="memory://", backend="cache+memory://", set_as_current=False
    )
    app.conf.task_always_eager = False
    worker_say = app.task(name="shahrvand.tests.requestlog.worker_say")(say.run)

    queued = []

    def view(request):
        queued.append(worker_say.delay("from the worker"))
        return HttpResponse()

    worker = start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING")
    try:
        with worker, _json_log() as entries:
            http_request = RequestFactory().get("/x/", HTTP_X_REQUEST_ID="req-00000004")
            http_request.user = None
            RequestIdMiddleware(view)(http_request)
            assert queued[0].get(timeout=10) == "req-00000004"
    finally:
        # The test worker made its app the current one; the project's tasks (shared_task
        # proxies) must find the project's app again in the tests that follow.
        from shahrvand.celery import app as project_app

        project_app.set_current()
        project_app.set_default()
    task_lines = [entry for entry in entries if entry["logger"] == task_logger.name]
    assert [line["request_id"] for line in task_lines] == ["req-00000004"]


def test_the_json_formatter_writes_one_readable_object_per_line():
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "پاسخ استعلام\nخط دوم %s", ("۱۲",), None
    )
    token = request_id.set("req-00000005")
    try:
        text = JsonFormatter().format(record)
    finally:
        request_id.reset(token)
    assert "\n" not in text and "پاسخ استعلام" in text
    entry = json.loads(text)
    assert entry["message"] == "پاسخ استعلام\nخط دوم ۱۲"
    assert entry["request_id"] == "req-00000005" and entry["level"] == "WARNING"


def test_the_json_formatter_keeps_a_masked_traceback():
    try:
        raise ValueError(f"no inquiry for {NID}")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    IdentifierMaskFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError" in entry["exception"] and NID not in entry["exception"]


def test_the_text_format_ends_with_the_request_id():
    formatter = TextFormatter("%(levelname)s %(name)s %(message)s")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert formatter.format(record) == "INFO x hello"
    token = request_id.set("req-00000006")
    try:
        assert formatter.format(record) == "INFO x hello request_id=req-00000006"
    finally:
        request_id.reset(token)


def _settings_logging(module: str, **env) -> str:
    script = (
        f"import {module} as s; h = s.LOGGING['handlers']['console'];"
        "print(s.LOG_FORMAT, h['formatter'], h['stream'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOG_FORMAT")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_logs_json_lines_to_stdout_and_the_embedded_set_up_text():
    production = {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://h/db",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    assert _settings_logging("shahrvand.settings.production", **production) == (
        "json json ext://sys.stdout"
    )
    assert _settings_logging(
        "shahrvand.settings.production", LOG_FORMAT="text", **production
    ).startswith("text text")
    assert _settings_logging("shahrvand.settings.base").startswith("text text")


def test_log_format_is_checked(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert env_choice("LOG_FORMAT", "text", ("json", "text")) == "json"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        env_choice("LOG_FORMAT", "text", ("json", "text"))
