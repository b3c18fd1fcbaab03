"""Where an SMS goes, chosen by ``settings.SMS_BACKEND`` the way ``EMAIL_BACKEND`` chooses e-mail's:
the console and files under ``var/sms/`` in the embedded default, a list in tests, Kavenegar in
production.

A backend raises on failure: ``SmsTransientError`` when trying again later may work,
``SmsPermanentError`` when it cannot. The Celery task retries only the first.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class SmsMessage:
    to: str  # normalised mobile, "09xxxxxxxxx"
    text: str


class SmsError(Exception):
    """The message was not handed over to the provider."""


class SmsTransientError(SmsError):
    """The provider or the network is having a bad moment; the same message may go through later."""


class SmsPermanentError(SmsError):
    """Sending the same message again cannot work: wrong number, wrong key, rejected text."""


def mask_mobile(mobile: str) -> str:
    """Enough of a number to match a log line with a complaint, without the number itself."""
    visible = mobile[-4:] if len(mobile) > 4 else ""
    return "*" * (len(mobile) - len(visible)) + visible


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        # The console is the server's log under `make run`: no whole mobile number there, only its
        # last four digits (the files backend, under var/sms/, keeps the whole message for testers).
        # sys.stdout is looked up on every call so that a redirected or captured stdout is honoured.
        to = f"…{message.to[-4:]}"
        sys.stdout.write(f"----- SMS -----\nTo: {to}\n\n{message.text}\n---------------\n")
        sys.stdout.flush()


class FileBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        directory = Path(settings.SMS_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        # Never named after the number or the text: file names end up in listings and backups.
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = directory / f"{stamp}-{secrets.token_hex(4)}.txt"
        # A reader (or a crash) never sees half a message: write aside, then rename into place.
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=".sms-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(f"To: {message.to}\n\n{message.text}\n")
            os.replace(temp_name, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise


class InMemoryBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        # Looked up on the package at call time, as django.core.mail.outbox is, so that a test
        # that rebinds ``sms.outbox`` still sees its messages.
        from shahrvand import sms

        sms.outbox.append(message)


class ConsoleAndFileBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> None:
        FileBackend().send(message)
        ConsoleBackend().send(message)


# Kavenegar codes that mean "not now" rather than "not ever": 409 "server cannot answer, try
# later"; 408/429/451 too many or too slow requests.
_RETRYABLE_STATUSES = frozenset({408, 409, 429, 451})
_MAX_ANSWER_BYTES = 64 * 1024


class KavenegarBackend(BaseSmsBackend):
    """Kavenegar's REST API: ``POST {SMS_API_URL}/v1/{SMS_API_KEY}/sms/send.json``.

    The API key travels in the URL path, so every error message built here is scrubbed of it and
    the underlying exceptions (whose text or attributes may hold the URL) are not chained.
    """

    def send(self, message: SmsMessage) -> None:
        key = settings.SMS_API_KEY
        base_url = settings.SMS_API_URL.rstrip("/")
        if not key or not base_url:
            raise SmsPermanentError("KavenegarBackend needs SMS_API_URL and SMS_API_KEY.")
        url = f"{base_url}/v1/{urllib.parse.quote(key, safe='')}/sms/send.json"
        fields = {"receptor": message.to, "message": message.text}
        if settings.SMS_SENDER:
            fields["sender"] = settings.SMS_SENDER
        body = urllib.parse.urlencode(fields).encode("ascii")
        try:
            http_status, payload = _post(url, body, timeout=settings.SMS_TIMEOUT_SECONDS)
        except (ValueError, http.client.InvalidURL) as exc:  # a malformed SMS_API_URL
            raise SmsPermanentError(f"Kavenegar URL rejected: {_scrub(exc, key)}") from None
        except (OSError, http.client.HTTPException) as exc:
            # Timeouts, refused connections, resets. A timeout may hit after the provider took the
            # message, so a retry can duplicate it; a duplicate beats a lost sign-in code.
            raise SmsTransientError(f"Kavenegar unreachable: {_scrub(exc, key)}") from None
        _check_answer(http_status, payload, key)


def _post(url: str, body: bytes, *, timeout: float) -> tuple[int, bytes]:
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise ValueError("SMS_API_URL must be an http(s) address")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Accept": "application/json",
        },
    )
    try:
        # An http(s) address only (checked above), from the settings.
        with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
            return response.status, response.read(_MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as exc:
        # Kavenegar answers errors with a matching HTTP status and the same JSON body.
        with exc:
            return exc.code, exc.read(_MAX_ANSWER_BYTES)


def _check_answer(http_status: int, payload: bytes, key: str) -> None:
    answer = _parse(payload)
    if answer is None or http_status >= 500:
        code, text = http_status, "no JSON answer" if answer is None else answer[1]
    else:
        code, text = answer
    detail = _scrub(f"{code} {text}", key)
    if code == 200 and 200 <= http_status < 300:
        if answer is None:
            # It may well have been sent; a retry could send it twice.
            raise SmsPermanentError(f"Kavenegar answered HTTP {http_status} without a status.")
        return
    if code >= 500 or code in _RETRYABLE_STATUSES:
        raise SmsTransientError(f"Kavenegar is unavailable: {detail}")
    raise SmsPermanentError(f"Kavenegar refused the message: {detail}")


def _parse(payload: bytes) -> tuple[int, str] | None:
    """``{"return": {"status": 200, "message": "..."}}`` -> (200, "..."); None for anything else."""
    try:
        answer = json.loads(payload.decode("utf-8"))
        status = int(answer["return"]["status"])
        text = str(answer["return"].get("message", ""))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return status, text[:200]


def _scrub(value: object, key: str) -> str:
    text = str(value) or type(value).__name__
    for secret in {key, urllib.parse.quote(key, safe="")} - {""}:
        text = text.replace(secret, "***")
    return text
