"""A stand-in for Kavenegar's REST API on the loopback interface, for the KavenegarBackend tests.

Every POST is recorded and answered according to ``mode``; see ``MODES``.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    content_type: str
    form: dict[str, str]


def _answer(status: int, message: str) -> dict[str, Any]:
    return {"return": {"status": status, "message": message}, "entries": None}


# mode -> (HTTP status, body). Kavenegar repeats its own code as the HTTP status on errors.
MODES: dict[str, tuple[int, dict[str, Any] | str]] = {
    "ok": (200, _answer(200, "تایید شد")),
    "server-error": (500, "<html><body>Internal Server Error</body></html>"),
    "busy": (409, _answer(409, "سرور قادر به پاسخگوئی نیست بعدا تلاش کنید")),
    "invalid-receptor": (411, _answer(411, "دریافت کننده نامعتبر است")),
    "invalid-receptor-in-body": (200, _answer(411, "دریافت کننده نامعتبر است")),
    "bad-key": (403, _answer(403, "کد شناسائی API-Key معتبر نمی‌باشد: {path}")),
    "not-json": (200, "OK"),
    "slow": (200, _answer(200, "تایید شد")),
}


class FakeSmsProvider:
    """``with FakeSmsProvider() as provider:`` serves on ``provider.base_url`` until the block ends."""

    def __init__(self, *, slow_seconds: float = 2.0) -> None:
        self.mode = "ok"
        self.slow_seconds = slow_seconds
        self.requests: list[ReceivedRequest] = []
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        # A short poll interval keeps shutdown(), and so each test's teardown, quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeSmsProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()  # wakes a handler sleeping in "slow" mode
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _entries(self, form: dict[str, str]) -> list[dict[str, Any]]:
        return [
            {
                "messageid": 8792343 + len(self.requests),
                "message": form.get("message", ""),
                "status": 1,
                "statustext": "در صف ارسال",
                "sender": form.get("sender", "10004346"),
                "receptor": form.get("receptor", ""),
                "date": 1356619709,
                "cost": 120,
            }
        ]


def _handler_for(provider: FakeSmsProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
            provider.requests.append(
                ReceivedRequest("POST", self.path, self.headers.get("Content-Type", ""), form)
            )
            status, body = MODES[provider.mode]
            if provider.mode == "slow" and provider._stopping.wait(provider.slow_seconds):
                return
            if isinstance(body, dict):
                body = json.loads(json.dumps(body).replace("{path}", self.path))
                if status == 200 and body["return"]["status"] == 200:
                    body["entries"] = provider._entries(form)
                payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
                content_type = "application/json; charset=utf-8"
            else:
                payload, content_type = body.encode("utf-8"), "text/html; charset=utf-8"
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting, which is what "slow" is for

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


def closed_port() -> int:
    """A loopback port nobody listens on, so that connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
