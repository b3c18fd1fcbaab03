"""Posting hostile inputs through Django's test client and collecting everything that went wrong.

Each input is sent inside a savepoint that is rolled back afterwards, so every input meets the same
inquiry, draft or office (a revoke that was accepted does not change what the next input sees), and
the rate-limit counters are emptied before each one. A view's exception becomes a 500 response
(``raise_request_exception=False``) and is recorded with where it came from; nothing stops at the
first failure: one assertion at the end lists them all.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import re
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock
from urllib.parse import quote, quote_from_bytes

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test import client as test_client

from . import inventory
from .corpus import FORBIDDEN_IN_RESPONSES, Case

# The HTML classes the templates (and crispy's bootstrap5 pack) put on error messages; a formset
# row's errors are a small red div ("text-danger" alone is also a red label or figure).
ERROR_CLASSES = frozenset({"invalid-feedback", "alert-danger", "errorlist"})
_PERSIAN_LETTERS = re.compile(
    r"[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]{2}"
)
# Inputs whose storage is worth a second look: the page that shows them must escape them.
HTML_CASES = frozenset({"script-tag", "img-onerror", "svg-onload", "template-tags"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
MAX_LISTED = 80


def persona_client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# --- Reading responses ----------------------------------------------------------------------------


_ERROR_ELEMENT = re.compile(
    r'<([a-zA-Z]+)\b[^>]*\bclass="([^"]*\b(?:invalid-feedback|alert-danger|errorlist|text-danger)\b[^"]*)"'
)
# An error message is short; reading a little of the page after its start is enough.
_ERROR_WINDOW = 8000


class _ElementText(HTMLParser):
    """The text of the first element fed, up to its end tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.closed = False
        self.text = ""

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID and not self.closed:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag not in _VOID and not self.closed:
            self.depth -= 1
            self.closed = self.depth <= 0

    def handle_data(self, data):
        if not self.closed:
            self.text += data


def error_texts(html: str) -> list[str]:
    """The text of each error message on the page."""
    texts = []
    for match in _ERROR_ELEMENT.finditer(html):
        tag, classes = match.group(1).lower(), set(match.group(2).split())
        if not (classes & ERROR_CLASSES or (tag == "div" and {"text-danger", "small"} <= classes)):
            continue
        parser = _ElementText()
        parser.feed(html[match.start() : match.start() + _ERROR_WINDOW])
        if parser.text.strip():
            texts.append(parser.text.strip())
    return texts


def is_persian(text: str) -> bool:
    return bool(_PERSIAN_LETTERS.search(text))


def refusal_problems(response, *kept: str) -> list[str]:
    """What is wrong with a refusal ([] when nothing): not the form shown again, no error message
    in Persian, or what was typed elsewhere (``kept``) lost."""
    if response.status_code not in (200, 400):
        return [f"status {response.status_code}, not the form shown again"]
    html = response.content.decode()
    errors = error_texts(html)
    problems = []
    if not errors or not all(is_persian(text) for text in errors):
        problems.append(f"no Persian error message: {errors!r}")
    problems += [f"{value!r} typed elsewhere was lost" for value in kept if value not in html]
    return problems


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("text/", "application/json")):
        return ""
    return response.content.decode("utf-8", errors="replace")


def exception_summary(response) -> str:
    """'ValueError: invalid literal ... at accounts/services.py:57 in citizen_signin_start'."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return "(no exception recorded)"
    kind, value, tb = exc_info
    frames = [
        frame
        for frame in traceback.extract_tb(tb)
        if "/site-packages/" not in frame.filename and "/lib/python" not in frame.filename
    ] or traceback.extract_tb(tb)[-1:]
    where = frames[-1] if frames else None
    message = str(value).replace("\n", " ")[:160]
    place = ""
    if where is not None:
        path = Path(where.filename)
        if path.is_relative_to(settings.BASE_DIR):
            path = path.relative_to(settings.BASE_DIR)
        place = f" at {path}:{where.lineno} in {where.name}"
    return f"{kind.__name__}: {message}{place}"


# --- Sending --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file for a multipart POST, made fresh for each request."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


def _multipart(data: dict, files: dict[str, Upload]) -> tuple[bytes, str]:
    """A multipart body by hand, so that a field can carry bytes that are not UTF-8."""
    boundary = uuid.uuid4().hex
    parts = []

    def values(value) -> Iterator:
        yield from value if isinstance(value, (list, tuple)) else [value]

    for name, value in data.items():
        for item in values(value):
            raw = item if isinstance(item, bytes) else str(item).encode()
            parts.append(
                b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                % (boundary.encode(), name.encode(), raw)
            )
    for name, upload in files.items():
        parts.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
            b"Content-Type: %s\r\n\r\n%s\r\n"
            % (
                boundary.encode(),
                name.encode(),
                upload.name.encode(),
                upload.content_type.encode(),
                upload.content,
            )
        )
    parts.append(b"--%s--\r\n" % boundary.encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _query(data: dict) -> str:
    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            encoded = quote_from_bytes(item) if isinstance(item, bytes) else quote(str(item))
            pairs.append(f"{quote(name)}={encoded}")
    return "&".join(pairs)


def send(client: Client, method: str, url: str, data: dict, files: dict[str, Upload] | None = None):
    cache.clear()  # rate limits would otherwise refuse the 31st input, not the input itself
    if method == "get":
        query = _query(data)
        return client.get(f"{url}?{query}" if query else url)
    body, content_type = _multipart(data, files or {})
    return client.generic("POST", url, body, content_type=content_type)


def _keep_no_templates(store, signal=None, sender=None, template=None, context=None, **kwargs):
    pass


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """The 500s and 4xx of a thousand hostile inputs would fill the output; they are summarised.
    The test client's copy of every template context (nothing here reads ``response.context``)
    would take most of the time: it is skipped."""
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with mock.patch.object(test_client, "store_rendered_templates", _keep_no_templates):
            yield
    finally:
        logging.disable(previous)


@contextlib.contextmanager
def rolled_back(client: Client | None = None) -> Iterator[None]:
    """What one input changed is undone: the database (a savepoint rolled back) and the client's
    cookies (a session the input created, or a sign-in, would point at rolled-back rows)."""
    cookies = copy.deepcopy(client.cookies) if client is not None else None
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        if client is not None:
            client.cookies = cookies


# --- Checking -------------------------------------------------------------------------------------


@dataclass
class Failure:
    persona: str
    url: str
    field: str
    case: Case
    status: int
    problem: str

    def line(self) -> str:
        return (
            f"{self.persona} {self.url} field={self.field!r} {self.case!r} -> "
            f"{self.status}: {self.problem}"
        )


@dataclass
class Report:
    """Every input sent in one test, and every failure."""

    sent: int = 0
    failures: list[Failure] = field(default_factory=list)

    def fail(self, *args) -> None:
        self.failures.append(Failure(*args))

    def assert_clean(self) -> None:
        print(f"{self.sent} hostile inputs sent, {len(self.failures)} went wrong")
        if not self.failures:
            return
        lines = [f.line() for f in self.failures[:MAX_LISTED]]
        more = len(self.failures) - MAX_LISTED
        if more > 0:
            lines.append(f"... and {more} more")
        raise AssertionError(
            f"{len(self.failures)} of {self.sent} hostile inputs went wrong:\n" + "\n".join(lines)
        )


@dataclass
class Form:
    """One form as a persona submits it; its fields and their kinds come from ``inventory``.

    ``data``: what a careful person would type (every field, valid; the suite checks first that it
    is accepted). ``keep``: fields whose typed value must still be on the page when another field is
    refused. ``success``: "redirect" when an accepted form redirects (any other answer is a refusal,
    which must say why in Persian); "render" when the same page answers either way (searches,
    look-ups). ``files``: uploads sent with every input. ``then(client, response, case, name)``: a
    follow-up request after an accepted input (in the same savepoint), e.g. signing an answer just
    prepared, or showing what was stored; it returns the response to check, or None.
    """

    key: str
    persona: str
    client: Client
    url: str
    data: dict
    keep: tuple[str, ...] = ()
    success: str = "redirect"
    method: str = "post"
    files: Callable[[], dict[str, Upload]] | None = None
    then: Callable[[Client, object, Case, str], object] | None = None

    @property
    def kinds(self) -> dict[str, str]:
        return inventory.kinds(self.key)

    def cases(self, name: str) -> tuple[Case, ...]:
        return inventory.field_cases(self.key, name)


def check(
    report: Report,
    form: Form,
    name: str,
    case: Case,
    response,
    *,
    refusal_needed: bool,
    follow_up: bool = False,
):
    """No 5xx; nothing hostile unescaped; and on the form's own page: a refusal says why in
    Persian (beside a field people type into: a forged select or hidden value may be refused
    silently) and keeps what was typed in the form's other fields."""
    status = response.status_code
    where = (form.persona, form.url, name, case)
    if status >= 500:
        report.fail(*where, status, exception_summary(response))
        return
    html = body_text(response)
    for forbidden in FORBIDDEN_IN_RESPONSES:
        if forbidden in html:
            report.fail(*where, status, f"unescaped {forbidden!r} in the page")
    if follow_up or status in (301, 302, 303) or not html:
        return
    if status >= 400 and not is_persian(html):
        report.fail(*where, status, "a refusal page without Persian text")
        return
    if status in (403, 404, 405, 429):
        return
    errors = error_texts(html)
    typed_by_people = form.kinds.get(name) not in ("choice", "hidden")
    if errors or (refusal_needed and typed_by_people):
        if not errors:
            report.fail(*where, status, "refused without an error message on the page")
        elif not any(is_persian(text) for text in errors):
            report.fail(*where, status, f"error message not in Persian: {errors[:2]!r}")
        elif not all(is_persian(text) for text in errors):
            english = [text for text in errors if not is_persian(text)]
            report.fail(
                *where, status, f"part of the error message not in Persian: {english[:2]!r}"
            )
    if errors or form.success == "render" or refusal_needed:
        for other in form.keep:
            if other == name:
                continue
            typed = str(form.data[other])
            if typed not in html:
                report.fail(*where, status, f"what was typed in {other!r} ({typed!r}) was lost")
            break


def baseline(report: Report, form: Form) -> None:
    """The benign data must be accepted, or every hostile input would be refused for nothing."""
    with quiet_logs(), rolled_back(form.client):
        response = send(
            form.client, form.method, form.url, form.data, form.files() if form.files else None
        )
    html = body_text(response)
    accepted = (
        response.status_code in (301, 302, 303)
        if form.success == "redirect"
        else response.status_code == 200 and not error_texts(html)
    )
    if not accepted:
        report.fail(
            form.persona,
            form.url,
            "(benign data)",
            Case("benign", ""),
            response.status_code,
            f"the benign data was not accepted: {error_texts(html)[:3]!r}",
        )


def attack(report: Report, form: Form) -> None:
    """The benign data first, then every hostile case of every field; records what went wrong."""
    baseline(report, form)
    for name in form.kinds:
        for case in form.cases(name):
            attack_one(report, form, name, case)


def attack_one(report: Report, form: Form, name: str, case: Case, data: dict | None = None):
    data = dict(form.data if data is None else data)
    data[name] = case.value
    files = form.files() if form.files else None
    with quiet_logs(), rolled_back(form.client):
        response = send(form.client, form.method, form.url, data, files)
        report.sent += 1
        check(report, form, name, case, response, refusal_needed=form.success == "redirect")
        accepted = response.status_code in (301, 302, 303)
        if accepted and form.then is not None:
            follow = form.then(form.client, response, case, name)
            if follow is not None:
                check(
                    report,
                    form,
                    f"{name} (then)",
                    case,
                    follow,
                    refusal_needed=False,
                    follow_up=True,
                )
    return response


def attack_path(report: Report, form: Form, make_url: Callable[[str], str]) -> None:
    """Hostile values where an address carries a code (/verify/<code>/, /inquiries/<code>/)."""
    for name in form.kinds:
        for case in form.cases(name):
            raw = case.value if isinstance(case.value, bytes) else case.value.encode()
            url = make_url(quote(raw, safe=""))
            with quiet_logs(), rolled_back(form.client):
                response = send(form.client, "get", url, {})
                report.sent += 1
                check(
                    report, form, f"{name} (in the address)", case, response, refusal_needed=False
                )


def attack_files(report: Report, form: Form, field_name: str, hostile_files) -> None:
    """Each hostile file in ``field_name`` (the form's other uploads and fields as benign). A file
    marked ``must_refuse`` that the form accepts is a failure."""
    for hostile in hostile_files:
        case = Case(f"file:{hostile.label}", hostile.name)
        files = {**(form.files() if form.files else {}), field_name: hostile.upload()}
        with quiet_logs(), rolled_back(form.client):
            response = send(form.client, "post", form.url, form.data, files)
            report.sent += 1
            needed = form.success == "redirect" and hostile.must_refuse
            check(report, form, field_name, case, response, refusal_needed=needed)
            accepted = response.status_code in (301, 302, 303)
            if accepted and needed:
                report.fail(
                    form.persona,
                    form.url,
                    field_name,
                    case,
                    response.status_code,
                    "accepted a file that must be refused",
                )
            if accepted and form.then is not None:
                follow = form.then(form.client, response, case, field_name)
                if follow is not None:
                    check(
                        report,
                        form,
                        f"{field_name} (then)",
                        case,
                        follow,
                        refusal_needed=False,
                        follow_up=True,
                    )
