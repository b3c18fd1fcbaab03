"""Version counters in the shared cache, for caches that must never show stale figures.

A writer bumps a name's version after its transaction commits (``bump_on_commit``); a reader puts
the current version (``current``) in its cache key, so a cached page of figures is never read again
once anything it counted has changed. Only with a cache shared by every process (Redis,
``CACHE_URL``): with a per-process cache another process's writes would go unseen, so ``shared()``
is False and callers do not cache at all. If the cache is unreachable, nothing is cached or read
(``current`` returns None) and writes go on; entries also expire on their own.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

# Bumped by every write the reports count (inquiries' summaries, kiosk visits); the reports
# dashboard caches its figures under it.
REPORT_FIGURES = "report-figures"
# Bumped when a district or a help kiosk changes; the public pages kept for visitors
# (shahrvand/kept_pages.py) are rendered again under the new one.
PUBLIC_PAGES = "public-pages"


# Bumped when the summaries are rewritten (``summaries_check --repair``, a history loaded): every
# list kept rendered is rendered again.
LISTS = "lists"


# Bumped by every save or deletion of an office, its operators, training, visits or findings; the
# offices' kept pages (the registry, an office's page, the scorecards) are rendered again.
OFFICES = "offices"


# The names every kept copy is read under, one of them at least (the lists, the offices' pages,
# the reports and their files, the public pages): bumping them all means nothing kept before is
# served again.
EVERY_KEPT_COPY = (LISTS, OFFICES, REPORT_FIGURES, PUBLIC_PAGES)


# Bumped by every save of an inquiry in the district, or of one filed by the office; the lists kept
# rendered (shahrvand/kept_lists.py) are rendered again under the new one.
def district_lists(district_id: int) -> str:
    return f"lists-district-{district_id}"


def office_lists(office_id: int) -> str:
    return f"lists-office-{office_id}"


# A citizen's own list ("my inquiries"): what they filed, and what was filed for their national
# ID (named by a digest: a key name is not the place for a national ID).
def filer_lists(user_id: int) -> str:
    return f"lists-filer-{user_id}"


def applicant_lists(national_id: str) -> str:
    digest = hashlib.sha256(f"applicant:{national_id}".encode()).hexdigest()[:24]
    return f"lists-applicant-{digest}"


def shared() -> bool:
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _key(name: str) -> str:
    return f"version:{name}"


def current(name: str) -> int | None:
    """The name's version now; None when there is no shared cache or it cannot be reached."""
    read = current_many([name])
    return None if read is None else read[0][0]


def current_many(names: list[str], *, also: str = "") -> tuple[tuple[int, ...], object] | None:
    """The versions of ``names`` now, in their order, and the value of the cache key ``also`` (None
    when absent), read in one round trip; None as for ``current``."""
    if not shared():
        return None
    keys = [_key(name) for name in names]
    try:
        found = cache.get_many([*keys, also] if also else keys)
        missing = [key for key in keys if key not in found]
        if missing:
            for key in missing:
                cache.add(key, 1, timeout=None)
            found.update(cache.get_many(missing))
        return tuple(found[key] for key in keys), found.get(also) if also else None
    except Exception:  # the cache is down: do without it
        log.warning("versions %s unreadable: cache unreachable", ", ".join(names))
        return None


def bump(name: str) -> None:
    if not shared():
        return
    try:
        cache.incr(_key(name))
    except ValueError:  # not there yet (or expired)
        cache.add(_key(name), 2, timeout=None)
    except Exception:
        log.warning("version %s not bumped: cache unreachable", name)


def bump_on_commit(name: str) -> None:
    """Bump once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: bump(name))


def kept_copies_renew(**kwargs) -> None:
    """``post_migrate``: a deploy runs ``migrate``, and the copies kept in the shared cache were
    drawn by the code before it (its templates, its rules, its words). A new version of every name
    they are read under, so that none of them is served again; each is drawn afresh by the new
    code at its next reader, rather than up to ``KEPT_LIST_SECONDS`` or ``REPORTS_CACHE_SECONDS``
    later."""
    for name in EVERY_KEPT_COPY:
        bump(name)
