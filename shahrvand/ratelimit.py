"""Fixed-window counters in the cache, for throttling sign-in failures, SMS codes, public lookups.

The cache is Redis in production (shared by every process) and process memory in the embedded default.
Identifiers are hashed so that national IDs or phone numbers never sit in the cache in clear.
While the shared cache is unreachable the counters are kept in the process's own memory: the limits
still hold (per process, so a little looser), and signing in does not fail because Redis is down.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest

logger = logging.getLogger(__name__)
T = TypeVar("T")

# The counters' home while the shared cache is unreachable, and until when it is not tried again.
_local = LocMemCache("shahrvand-ratelimit", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_shared_down_until = 0.0
SHARED_DOWN_PAUSE_SECONDS = 15


def _counted(operation: Callable[[object], T]) -> T:
    global _shared_down_until
    if time.monotonic() >= _shared_down_until:
        try:
            return operation(cache)
        except Exception as exc:  # the shared cache is down: count in this process meanwhile
            logger.warning("rate limits counted in process memory: cache unreachable (%s)", exc)
            _shared_down_until = time.monotonic() + SHARED_DOWN_PAUSE_SECONDS
    return operation(_local)


def shared_cache_retry() -> None:
    """Try the shared cache again at the next count (the tests, between cases)."""
    global _shared_down_until
    _shared_down_until = 0.0
    _local.clear()


@dataclass(frozen=True)
class Limit:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends; 0 when allowed

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _keys(scope: str, ident: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:n", f"rl:{scope}:{digest}:t"


def _state(store, count_key: str, start_key: str, count: int, limit: int, window: int) -> Limit:
    started = store.get(start_key) or time.time()
    remaining = max(0, math.ceil(started + window - time.time()))
    allowed = count <= limit
    return Limit(allowed=allowed, count=count, retry_after=0 if allowed else remaining)


def rate_limit_hit(scope: str, ident: str, *, limit: int, window: int) -> Limit:
    """Count one event; ``allowed`` is False once more than ``limit`` happened in the window."""
    count_key, start_key = _keys(scope, ident)

    def hit(store) -> Limit:
        store.add(start_key, time.time(), window)
        if store.add(count_key, 1, window):
            count = 1
        else:
            try:
                count = store.incr(count_key)
            except ValueError:  # expired between add and incr
                store.set(count_key, 1, window)
                count = 1
        return _state(store, count_key, start_key, count, limit, window)

    return _counted(hit)


def rate_limit_peek(scope: str, ident: str, *, limit: int, window: int) -> Limit:
    """Would one more event still be allowed? Counts nothing."""
    count_key, start_key = _keys(scope, ident)

    def peek(store) -> Limit:
        count = store.get(count_key) or 0
        return _state(store, count_key, start_key, count + 1, limit, window)

    return _counted(peek)


def rate_limit_reset(scope: str, ident: str) -> None:
    _counted(lambda store: store.delete_many(list(_keys(scope, ident))))


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind our own reverse proxy (``USE_X_FORWARDED_FOR``), the address the
    proxy appended last; never a value the client could have put first."""
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
