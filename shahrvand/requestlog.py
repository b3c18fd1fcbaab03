"""Request ids and the access log.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``, so the duration covers every other layer) gives each
request an id: the caller's ``X-Request-ID`` when it is a short safe token (a proxy's or a load
balancer's), a new one otherwise. The id is sent back as ``X-Request-ID``, is on every log line written
while the request runs (``shahrvand.logging.request_id``), and travels with each Celery task the
request queues, so the worker's lines carry it too (the signal handlers below).

At the end, one line on the ``shahrvand.access`` logger: method, path without its query string (a
query may hold a national ID), status, duration and the person's role (``LOG_ROLE_LABEL`` names the
function that tells it from the request) — never who exactly.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from celery import signals
from django.conf import settings
from django.utils.module_loading import import_string

from .logging import mask_identifiers, request_id

access_logger = logging.getLogger("shahrvand.access")

HEADER = "X-Request-ID"
# A task message header; Celery also sets it as an attribute of the task's request.
TASK_HEADER = "request_id"
_SAFE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def safe_request_id(value) -> str | None:
    """``value`` if it may be used as a request id (8 to 64 letters, digits or hyphens), else None."""
    if isinstance(value, str) and _SAFE_ID.fullmatch(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.role_label = import_string(settings.LOG_ROLE_LABEL)

    def __call__(self, request):
        started = time.perf_counter()
        rid = safe_request_id(request.headers.get(HEADER)) or new_request_id()
        request.request_id = rid
        token = request_id.set(rid)
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[HEADER] = rid
            return response
        finally:
            try:
                self._log(request, status, started)
            finally:
                request_id.reset(token)

    def _log(self, request, status: int, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        try:
            role = self.role_label(request)
        except Exception:  # the access line is written even when the role cannot be told
            role = "unknown"
        # request.path has no query string; escaped as Django escapes paths in its own log, and
        # masked here too because the filter on the handler does not read ``extra`` values.
        path = mask_identifiers(request.path.encode("unicode_escape").decode("ascii"))
        method = request.method.encode("unicode_escape").decode("ascii")
        access_logger.info(
            "%s %s %s %sms role=%s",
            method,
            path,
            status,
            duration_ms,
            role,
            extra={
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "role": role,
            },
        )


# --- Celery: the id travels with the task ---------------------------------------------------------

# task id -> the token that restores the request id the worker had before the task ran.
_task_tokens: dict = {}


@signals.before_task_publish.connect(dispatch_uid="shahrvand.requestlog.publish")
def _add_request_id(headers=None, **_kwargs) -> None:
    """A task queued while a request runs carries that request's id in its message headers."""
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(TASK_HEADER, rid)


@signals.task_prerun.connect(dispatch_uid="shahrvand.requestlog.prerun")
def _enter_task(task_id=None, task=None, **_kwargs) -> None:
    """The worker logs the task under the id it was queued with. A task run eagerly (in the web
    process, the embedded set-up and the tests) already runs inside its request's context."""
    context = getattr(task, "request", None)
    headers = getattr(context, "headers", None) or {}
    rid = safe_request_id(getattr(context, TASK_HEADER, None)) or safe_request_id(
        headers.get(TASK_HEADER)
    )
    if rid is None and getattr(context, "is_eager", False):
        return
    # A task queued by no request (the beat's) has no id: None, not the previous task's.
    _task_tokens[task_id] = request_id.set(rid)


@signals.task_postrun.connect(dispatch_uid="shahrvand.requestlog.postrun")
def _leave_task(task_id=None, **_kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is None:
        return
    try:
        request_id.reset(token)
    except ValueError:  # set in another context: leave none behind for the next task
        request_id.set(None)
