"""Public pages kept rendered, for visitors who are not signed in.

The home page and the verification form look the same to every visitor without a session: the
rendering is kept in this process's memory and served again, with two things that are not the
same for everyone put in at serving time — the visitor's CSRF token (rendered as a mark, replaced
by ``get_token(request)``, which also sets the visitor's CSRF cookie) and nothing else: a page that
shows anything about its reader must not use this.

A kept page is served only to a GET without a query string, from someone with no session
cookie and no messages waiting (so anonymous, with no flash message to show), and only while the
shared version ``PUBLIC_PAGES`` (``shahrvand.versions``, bumped when a district or a kiosk
changes) and the date are the ones it was rendered under; at most ``PUBLIC_PAGE_SECONDS`` old.
Without a shared cache (the embedded default, the tests' default) there is no shared version, and
pages are rendered every time. The keys are bounded: one per decorated path and language.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from . import versions

# Rendered in place of the CSRF token; ASCII letters and hyphens, so escaping leaves it as it is.
CSRF_MARK = b"kept-page-csrf-token-mark"
_RENDERING = "_kept_page_rendering"
_TOKEN = "_kept_page_csrf_token"


@dataclass(frozen=True)
class _Kept:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    rendered_at: float


_pages: dict[tuple, _Kept] = {}


def with_csrf_token(request: HttpRequest, content):
    """``content`` (text or bytes) rendered with the mark, with the reader's own CSRF token in its
    place (``get_token`` also sets the reader's CSRF cookie on the response)."""
    if isinstance(content, bytes):
        return content.replace(CSRF_MARK, reader_token(request).encode())
    return content.replace(CSRF_MARK.decode(), reader_token(request))


def reader_token(request: HttpRequest) -> str:
    """``get_token(request)``, masked once a request: the kept list and the layout around it show
    the same token, as every form of a page Django draws does (its ``csrf_token`` is read once a
    page). A secret changed since (``rotate_token``) gets a token of its own."""
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, _TOKEN, None)
    if kept is not None and secret is not None and kept[0] == secret:
        return kept[1]
    token = get_token(request)
    setattr(request, _TOKEN, (request.META.get("CSRF_COOKIE"), token))
    return token


def csrf_mark(request: HttpRequest) -> dict:
    """Context processor (after Django's own ``csrf``): while a page is rendered to be kept, its
    CSRF token is the mark."""
    if getattr(request, _RENDERING, False):
        return {"csrf_token": CSRF_MARK.decode()}
    return {}


@contextmanager
def rendering_kept(request: HttpRequest) -> Iterator[None]:
    """While a page is rendered to be kept: its CSRF token rendered as the mark (``csrf_mark``)."""
    setattr(request, _RENDERING, True)
    try:
        yield
    finally:
        setattr(request, _RENDERING, False)


def _keepable(request: HttpRequest) -> bool:
    return (
        # GET only: any other method is the view's to answer (a HEAD or a POST to the home page
        # is refused by the view whether or not a copy is kept).
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _key(request: HttpRequest, version: int) -> tuple:
    return (request.path, get_language(), version, timezone.localdate().isoformat())


def _served(request: HttpRequest, kept: _Kept) -> HttpResponse:
    response = HttpResponse(with_csrf_token(request, kept.content), status=kept.status)
    for name, value in kept.headers:
        response[name] = value
    return response


def kept_for_visitors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s page from memory to visitors who are not signed in (see the module)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _keepable(request):
            return view(request, *args, **kwargs)
        version = versions.current(versions.PUBLIC_PAGES)
        if version is None:
            return view(request, *args, **kwargs)
        key = _key(request, version)
        kept = _pages.get(key)
        if kept is not None and time.monotonic() - kept.rendered_at < settings.PUBLIC_PAGE_SECONDS:
            return _served(request, kept)
        with rendering_kept(request):
            response = view(request, *args, **kwargs)
        if response.streaming:
            return response
        if response.status_code != 200 or response.cookies:
            # Only a plain page is kept (nothing set for this one visitor); this one is sent.
            response.content = with_csrf_token(request, response.content)
            return response
        kept = _Kept(
            status=response.status_code,
            headers=tuple(response.items()),
            content=response.content,
            rendered_at=time.monotonic(),
        )
        # The same page under an older version or date goes (a snapshot of the keys: another
        # thread of a threaded server may be adding one meanwhile).
        for old in [k for k in list(_pages) if k[:2] == key[:2]]:
            _pages.pop(old, None)
        _pages[key] = kept
        return _served(request, kept)

    return wrapper


def forget_all() -> None:
    """Drop every kept page of this process (tests)."""
    _pages.clear()
