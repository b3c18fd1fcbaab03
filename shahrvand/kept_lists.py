"""Lists kept rendered in the shared cache, for everyone who may see the same list.

A district's queue looks the same to each of its reviewers who asks for the same filters and page
on the same day: the counts, the filter form and the 25 rows. The part of the page below the
layout is rendered once and kept in the shared cache (Redis), under a key made of what the list
shows, together with the versions it was rendered under; it is served again only while those are
the versions now:

- what the list shows: the view's name, the path, the language, the day (overdue and due-soon marks
  change with it), the filters as the form accepted them and the page number, and whatever else the
  view says the list depends on (the districts the reader may see; the reader's own id where a
  filter names them, "held by me"; a citizen's id and national ID for their own list);
- the versions of everything it shows (``shahrvand.versions``, read with the kept copy in one
  round trip): a district's, an office's, a filer's and an applicant's lists, which every save of
  an inquiry bumps after commit (``inquiries.apps``); the offices' pages, which every change to an
  office or what is recorded about it bumps (``counters.apps``); the figures, for pages that show
  counts of inquiries. So a list is never served once something it shows has changed, and each
  list has one entry, replaced when it is rendered again.

The office registry, an office's page and the scorecards are kept the same way.

So nothing of one reader is kept for another: the key holds every input the fragment is made from,
and the reader's own id wherever the list depends on who asks. The CSRF token of the filter form is
rendered as a mark and replaced by the reader's token when served (``kept_pages.CSRF_MARK``).

Only with a shared cache (``versions.shared()``); a search of the inquiries (whose term is a
national ID or a tracking code, which must not sit in a cache) or a form with errors is never
kept. A person renamed gives new versions to the lists that name them (``accounts.signals.
person_renamed``), and a deploy's ``migrate`` to every name a kept copy is read under
(``versions.kept_copies_renew``): nothing the code before it drew is served after it. Entries
expire after ``KEPT_LIST_SECONDS`` (15 minutes), which bounds only what no version follows: a
setting changed without a deploy (``EXTRA_HOLIDAYS`` moves the due-soon marks). If the cache
cannot be reached the list is rendered as if nothing were kept.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import versions
from .kept_pages import CSRF_MARK, with_csrf_token

log = logging.getLogger(__name__)
T = TypeVar("T")
# A page number worth keeping: the lists stop offering pages long before 10,000.
_PAGE = re.compile(r"[1-9][0-9]{0,3}")


# What every kept page of the offices (the registry, an office's page, the scorecards) is made
# from: the offices and everything recorded about them, a history loaded, the districts' names.
OFFICE_PAGES = [versions.OFFICES, versions.LISTS, versions.PUBLIC_PAGES]


def filters_key(cleaned: dict) -> tuple:
    """A form's accepted filters as part of a key: a chosen object by its id."""
    return tuple(sorted((name, getattr(value, "pk", value)) for name, value in cleaned.items()))


def page_param(request: HttpRequest) -> str | None:
    """The ``page`` asked for, as kept ("1" when none); None for anything else (not kept)."""
    page = request.GET.get("page", "1")
    return page if _PAGE.fullmatch(page) else None


def keepable(request: HttpRequest, form=None, *, term: str = "") -> bool:
    """May this list be kept? Only for a page number worth keeping (``page_param``), a filter form
    without errors (the errors show what the reader typed), and no search term of the inquiries."""
    if page_param(request) is None or term:
        return False
    return form is None or not (form.is_bound and form.errors)


def key_of(*parts) -> str:
    """A cache key for what ``parts`` name, in the reader's language, on today's date."""
    made_of = repr((get_language(), timezone.localdate().isoformat(), *parts))
    return "kept:" + hashlib.sha256(made_of.encode()).hexdigest()


@dataclass(frozen=True)
class NotKept:
    """What a ``build`` returns for a result that must not be kept (a form with errors): ``kept``
    answers ``value`` without keeping it."""

    value: object


def unless_errors(form, html: str):
    """``html`` as a list's ``render`` returns it: not kept when ``form`` has errors (they show
    what the reader typed). For lists whose key is their address, so that a kept copy is found
    before any form is made."""
    return NotKept(html) if form.is_bound and form.errors else html


def kept(*, key: str, lists: list[str], build: Callable[[], T], seconds: int) -> T:
    """``build()``, kept in the shared cache under ``key`` together with the versions of ``lists``
    it was built under, for ``seconds``; built afresh when ``seconds`` is 0, without a shared
    cache, or when the cache cannot be reached. The lists' pages and the reports' figures and
    exports are kept this way.

    One round trip reads the versions and the kept value; the value is used only if it was built
    under the versions read now. A key has one entry, replaced when it is built again (never one
    per version)."""
    read = versions.current_many(lists, also=key) if seconds and lists else None
    if read is not None:
        now, stored = read
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == now:
            return stored[1]
    made = build()
    if isinstance(made, NotKept):
        return made.value
    if read is not None:
        try:
            cache.set(key, (now, made), timeout=seconds)
        except Exception:
            log.warning("%s not kept: cache unreachable", key)
    return made


def fragment(
    request: HttpRequest,
    *,
    name: str,
    depends_on: tuple,
    lists: list[str],
    render: Callable[[str], str],
    keep: bool = True,
) -> SafeString:
    """The list's fragment: ``render(csrf_token)`` (the fragment's HTML, with that CSRF token in
    its forms, or ``NotKept`` of it), kept (``kept``) under ``name``, the path and ``depends_on``
    with the versions of ``lists``, when ``keep``; the reader's own CSRF token put in where the mark
    is."""
    html = kept(
        key=key_of("list", name, request.path, depends_on),
        lists=lists,
        build=lambda: render(CSRF_MARK.decode()),
        seconds=settings.KEPT_LIST_SECONDS if keep else 0,
    )
    return mark_safe(with_csrf_token(request, html))  # nosec B308 B703 - rendered, escaped
