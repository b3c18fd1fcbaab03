"""Serving private files: only after a view has checked who asks, never cached, never sniffed."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def attachment_response(file, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF or image opened from here runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def safe_next_url(request: HttpRequest, url: str | None) -> str | None:
    """A "next" address only if it stays on this site (no open redirect), else None."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None
