"""HTTP helpers: private files served only after a view has checked who asks (never cached, never
sniffed), "next" addresses that stay on this site, and a list's query string for its links."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import FileResponse, HttpRequest, QueryDict
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


NEXT_URL_MAX_LENGTH = 2000


def safe_next_url(request: HttpRequest, url: str | None) -> str | None:
    """A "next" address only if it stays on this site (no open redirect), as a path from the site's
    root ("/staff/?s=…"), else None. A bare word is no address: ``redirect()`` would take it for a
    view name and fail; control characters and over-long values are refused too."""
    if not url or len(url) > NEXT_URL_MAX_LENGTH or not url.isprintable():
        return None
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query_without(request: HttpRequest, *names: str) -> QueryDict:
    """The request's query string without ``names``, as a copy the caller may change: a list's
    filters without "page", for its page links and its sort links."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query
