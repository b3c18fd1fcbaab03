"""The layout around a kept page, kept in each web process.

A kept list (``shahrvand.kept_lists``) comes from the shared cache in one round trip, but the page
around it (the menu, the footer, the page's title) used to be drawn afresh for every reader: about
a millisecond, most of what such a page costs in Python. What the layout shows depends on little:

- the same for every reader who has it: the page's template, the language, the path (the menu marks
  where the reader is), the menu's entries (from the reader's roles), whether the administration
  link shows, and whatever the page's title names (``depends_on``, e.g. an office's name);
- the reader's own: their name, their CSRF token, the address the language switch returns to, and
  the page's body (``fills``, rendered by the view).

The layout is drawn once with a mark in place of each of the reader's own, kept in this process's
memory under the first list, and the marks are filled when it is served: the text is cut at the
marks once, so nothing of a reader's (a body, a name) is ever searched for marks. A reader with a
message waiting gets the page drawn afresh (the messages are shown once, in the layout). Only the
pages that call ``render`` are kept this way; the templates, translations and static files that
make a layout change only with a deploy, which starts new processes. Off with ``DEBUG`` (templates
reload as they are edited) and with ``KEPT_LAYOUT`` off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as drawn
from django.utils.html import conditional_escape, escape
from django.utils.translation import get_language

from shahrvand.kept_pages import CSRF_MARK, reader_token, rendering_kept

from .navigation import entries_for
from .roles import roles_of

# Each mark is ASCII letters and hyphens: escaping leaves it as it is.
_MARK = "kept-layout-{}-mark"
_MARKS = re.compile(r"kept-layout-([a-z_]+)-mark|" + re.escape(CSRF_MARK.decode()))
_NAME = re.compile(r"[a-z_]+")
# Layouts kept per process: one per page template, path, language and menu (the offices' pages
# have a path each); past this many, all are dropped and drawn again as asked.
MOST = 1000

_kept: dict[tuple, tuple[str, ...]] = {}


@dataclass(frozen=True)
class _Reader:
    """The reader as the layout sees them, their name a mark."""

    is_authenticated: bool
    is_staff: bool
    display_name: str = _MARK.format("name")


class _Address:
    """``request`` as the layout sees it: the address the language switch returns to, a mark."""

    def get_full_path(self) -> str:
        return _MARK.format("path")


def render(
    request: HttpRequest,
    template_name: str,
    context: dict,
    *,
    fills: tuple[str, ...] = ("content",),
    depends_on: tuple = (),
) -> HttpResponse:
    """``django.shortcuts.render(request, template_name, context)``, with the layout kept (see the
    module). ``fills`` name the context's entries that are the reader's own (HTML the view rendered);
    everything else the template shows of ``context`` must be in ``depends_on``."""
    if not (settings.KEPT_LAYOUT and not settings.DEBUG) or len(get_messages(request)):
        return drawn(request, template_name, context)
    user = request.user
    roles = roles_of(user)
    key = (
        template_name,
        get_language(),
        request.path,
        tuple(name for _label, name in entries_for(roles)),
        roles.is_ict_admin,
        user.is_authenticated,
        user.is_staff,
        fills,
        depends_on,
    )
    parts = _kept.get(key)
    if parts is None:
        parts = _cut(_layout(request, template_name, context, fills))
        if len(_kept) >= MOST:
            _kept.clear()
        _kept[key] = parts
    values = {
        None: reader_token(request),
        "name": escape(user.display_name),
        "path": escape(request.get_full_path()),
        **{name: conditional_escape(context[name]) for name in fills},
    }
    return HttpResponse("".join(values[part] if i % 2 else part for i, part in enumerate(parts)))


def _layout(request: HttpRequest, template_name: str, context: dict, fills: tuple[str, ...]) -> str:
    """The page drawn with a mark for each of the reader's own."""
    if not all(_NAME.fullmatch(name) for name in fills):
        raise ValueError(f"a fill is named by lower-case letters and underscores: {fills}")
    user = request.user
    with rendering_kept(request):  # the CSRF token, a mark too
        return drawn(
            request,
            template_name,
            {
                **context,
                **{name: _MARK.format(name) for name in fills},
                "user": _Reader(is_authenticated=user.is_authenticated, is_staff=user.is_staff),
                "request": _Address(),
            },
        ).content.decode()


def _cut(html: str) -> tuple[str, ...]:
    """The layout's text and its marks, alternately: text, mark, text, ... (a mark by its name; the
    CSRF token's as None)."""
    parts: list = []
    at = 0
    for match in _MARKS.finditer(html):
        parts += [html[at : match.start()], match.group(1)]
        at = match.end()
    parts.append(html[at:])
    return tuple(parts)


@receiver(setting_changed)
def _forget_on_setting_changed(**kwargs) -> None:
    forget_all()


def forget_all() -> None:
    """Drop every layout kept in this process (a setting changed; tests)."""
    _kept.clear()
