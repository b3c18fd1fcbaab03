"""Logging pieces wired into ``LOGGING`` (``shahrvand/settings/base.py``).

- ``IdentifierMaskFilter``: a safety net on every handler. Whatever a log record carries — its
  message, its arguments, a traceback, a request line such as ``GET /staff/?q=0013542419`` — ten-digit
  national IDs and mobile numbers come out as asterisks. The code should not log them in the first
  place (searches are POSTed, refusals log a role); this catches what slips through.
- ``refusal_log`` and ``LoggedRefusalFilter``: a refused request (403, 404, 400) is one structured line
  on the ``shahrvand.security`` logger, written by the error handlers in ``accounts/refusals.py``; the
  filter drops Django's own line (with its traceback) for a request the handler already logged.
- ``request_id``, ``JsonFormatter`` and ``TextFormatter``: every line carries the id of the request
  (or of the request a Celery task was queued under; see ``shahrvand/requestlog.py``), as one JSON
  object per line (``LOG_FORMAT=json``, production's default) or as plain text.

No Django imports at module level: gunicorn's configuration imports this module too.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime

security_logger = logging.getLogger("shahrvand.security")

# One digit as it may appear in a log line: any script's decimal digit (masking, not validation: a
# full-width or Bengali copy of an ID is still that person's ID), a Persian, Arabic-Indic or
# full-width digit percent-encoded in a URL, or escaped the way Django escapes paths in its log.
_DIGIT = (
    r"(?:\d"
    r"|%(?:DB%B|D9%A)[0-9]"  # U+06F0..U+06F9, U+0660..U+0669 in UTF-8, percent-encoded
    r"|%EF%BC%9[0-9]"  # U+FF10..U+FF19 (full-width)
    r"|\\u06f[0-9]|\\u066[0-9]|\\uff1[0-9]"  # unicode_escape (django.request's path argument)
    r")"
)
_DIGIT_RUN = re.compile(rf"(?:{_DIGIT})+", re.IGNORECASE)
_ONE_DIGIT = re.compile(_DIGIT, re.IGNORECASE)
MASK = "*"


def _is_identifier(digits: str) -> bool:
    """A run of digits that is a national ID (ten digits) or a mobile in any usual form:
    09xxxxxxxxx, 98 9xxxxxxxxx (after a "+"), 0098 9xxxxxxxxx. Ten digits also cover 9xxxxxxxxx."""
    return (
        len(digits) == 10
        or (len(digits) == 11 and digits.startswith("09"))
        or (len(digits) == 12 and digits.startswith("989"))
        or (len(digits) == 14 and digits.startswith("00989"))
    )


def _mask_run(match: re.Match) -> str:
    run = match.group(0)
    tokens = _ONE_DIGIT.findall(run)
    # The value of each token does not matter, only how many digits the run holds and how it starts;
    # "0" and "9" are found by their last character (ASCII, escaped or encoded forms alike end so).
    digits = "".join(_token_value(token) for token in tokens)
    return MASK * len(tokens) if _is_identifier(digits) else run


def _token_value(token: str) -> str:
    if len(token) == 1:
        # A decimal digit of any script: its numeric value, so "۰۹" starts like "09".
        return str(unicodedata.decimal(token, 0))
    return token[-1]  # %DB%B0 -> "0", \u06f9 -> "9": the last character is the digit's value


def mask_identifiers(text: str) -> str:
    """``text`` with every national ID and mobile number replaced by asterisks."""
    return _DIGIT_RUN.sub(_mask_run, text)


class IdentifierMaskFilter(logging.Filter):
    """Masks national IDs and mobiles in a record's message, arguments, traceback and stack.

    Never refuses a record and never raises: a logging filter that raised would turn a log call
    into an error in the code that logged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            self._mask(record)
        except Exception:  # a safety net must not become the failure
            try:
                text = mask_identifiers(f"{record.msg!s} (arguments: {record.args!r})")
            except Exception:
                text = "(a log record that could not be formatted)"
            record.msg, record.args = text, ()
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True

    @staticmethod
    def _mask(record: logging.LogRecord) -> None:
        message = record.getMessage()
        masked = mask_identifiers(message)
        if masked != message:
            # The message is stored already formatted: masking the template and each argument
            # apart would miss an ID that only exists once they are joined.
            record.msg, record.args = masked, ()
        elif record.args:
            # Nothing to mask in the text, but an argument may still be read on its own by a
            # handler or formatter (gunicorn's access atoms, for one).
            record.args = _mask_args(record.args)
        if record.exc_info and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_identifiers(text)
        elif record.exc_text:
            record.exc_text = mask_identifiers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_identifiers(record.stack_info)


def _mask_args(args):
    if isinstance(args, Mapping):
        return {key: _mask_value(value) for key, value in args.items()}
    return tuple(_mask_value(value) for value in args)


def _mask_value(value):
    return mask_identifiers(value) if isinstance(value, str) else value


# --- Refusals: one line each ------------------------------------------------------------------------

_LOGGED_STATUS = "_shahrvand_refusal_logged"


def refusal_log(request, *, event: str, status: int, role: str, detail: str = "") -> None:
    """One line for a refused request, e.g.
    ``permission_denied method=GET path=/staff/ user_id=12 user_role=citizen status=403``.

    The person is named by their role and internal id, never by national ID or mobile, and no
    traceback is attached: a refusal is an expected outcome, not a fault.
    """
    user = getattr(request, "user", None)
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    line = "%s method=%s path=%s user_id=%s user_role=%s status=%s"
    args = [event, _safe(request.method), _safe(request.path), user_id or "-", role, status]
    if detail:
        line += " detail=%s"
        args.append(_safe(detail))
    security_logger.warning(line, *args)
    setattr(request, _LOGGED_STATUS, status)


def _safe(value) -> str:
    # As Django escapes paths in its request log: a crafted path cannot forge a second log line.
    return str(value or "").encode("unicode_escape").decode("ascii")


class LoggedRefusalFilter(logging.Filter):
    """Drops Django's own record of a refusal that ``refusal_log`` already wrote for the request.

    Django logs a PermissionDenied with its full traceback on ``django.request`` and a
    SuspiciousOperation on ``django.security.*``; each record carries the request (documented
    ``extra`` context), which the error handler marked with the status it logged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(("django.request", "django.security")):
            return True
        request = getattr(record, "request", None)
        logged = getattr(request, _LOGGED_STATUS, None)
        if logged is None:
            return True
        return getattr(record, "status_code", logged) != logged


# --- Request ids and the line formats ---------------------------------------------------------------

# The id of the request (or of the request a task was queued under) this code is running for.
request_id: ContextVar[str | None] = ContextVar("shahrvand_request_id", default=None)

# The fields of an access line (``shahrvand.requestlog``), given as ``extra`` to the log call.
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "role")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, request_id, the
    access line's fields when the record has them, and the traceback if any.

    Use with ``IdentifierMaskFilter`` on the handler: the message and traceback arrive masked; the
    access fields are masked here as well, since the filter does not read ``extra`` values.
    Persian text stays readable (no ``\\uXXXX`` escapes); JSON escapes line breaks, so a crafted
    path cannot forge a second line.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        for name in ACCESS_FIELDS:
            if name in record.__dict__:
                entry[name] = _mask_value(record.__dict__[name])
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_identifiers(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain format, with the request id at the end of the message when there is one:
    ``2026-12-03 09:30:00,123 INFO shahrvand.access GET /staff/ 200 12.5ms role=reviewer
    request_id=3f2a...`` (a traceback, if any, follows on the next lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        text = super().formatMessage(record)
        rid = request_id.get()
        return f"{text} request_id={rid}" if rid else text
