"""The record of signing in: every sign-in, failure, lockout, second-factor event, session time-out
and refused page is one ``SignInEvent`` row (read-only in the admin) and one line on the
``shahrvand.security`` log, e.g.
``signin_event kind=failed user_id=12 user_role=reviewer request_id=3f2a...``.

The person is named by their internal id and roles, never by a typed username, national ID or
mobile; a username that matches no account is not recorded at all.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.http import HttpRequest

from shahrvand.logging import request_id, security_logger
from shahrvand.ratelimit import client_ip

from .models import SignInEvent, SignInEventKind
from .refusals import user_role_label

Kind = SignInEventKind
# Refusals and failures are warnings; the rest of the record is information.
_WARNINGS = {
    Kind.FAILED,
    Kind.LOCKED,
    Kind.REFUSED_LOCKED,
    Kind.CODE_FAILED,
    Kind.PERMISSION_DENIED,
}


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    ip = client_ip(request)
    return None if ip == "unknown" else ip


def signin_event(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    log_line: bool = True,
    **detail: str | int,
) -> SignInEvent | None:
    """Write the row and the line. The row is written in its own savepoint and a failing database
    never stops the line. ``log_line=False`` for a refused page: its one line is
    ``shahrvand.logging.refusal_log``'s."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    rid = request_id.get() or ""
    parts = [f"kind={kind}", f"user_id={user.pk if user else '-'}"]
    parts.append(f"user_role={user_role_label(user) if user else 'anonymous'}")
    parts += [f"{key}={_safe(value)}" for key, value in sorted(detail.items())]
    if log_line:
        level = logging.WARNING if kind in _WARNINGS else logging.INFO
        security_logger.log(level, "signin_event %s", " ".join(parts))
    try:
        with transaction.atomic():
            return SignInEvent.objects.create(
                kind=kind,
                user=user,
                ip=_ip(request),
                request_id=rid[:64],
                detail={key: str(value) for key, value in detail.items()},
            )
    except DatabaseError:
        security_logger.exception("signin_event_not_stored kind=%s", kind)
        return None


def _safe(value) -> str:
    # As refusal lines: a crafted value cannot forge a second log line.
    return str(value).encode("unicode_escape").decode("ascii").replace(" ", "_")
