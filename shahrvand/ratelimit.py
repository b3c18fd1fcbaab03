"""Fixed-window counters in the cache, for throttling sign-in failures, SMS codes, public lookups.

The cache is Redis in production (shared by every process) and process memory in the embedded default.
Identifiers are hashed so that national IDs or phone numbers never sit in the cache in clear.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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


def _state(count_key: str, start_key: str, count: int, limit: int, window: int) -> Limit:
    started = cache.get(start_key) or time.time()
    remaining = max(0, math.ceil(started + window - time.time()))
    allowed = count <= limit
    return Limit(allowed=allowed, count=count, retry_after=0 if allowed else remaining)


def rate_limit_hit(scope: str, ident: str, *, limit: int, window: int) -> Limit:
    """Count one event; ``allowed`` is False once more than ``limit`` happened in the window."""
    count_key, start_key = _keys(scope, ident)
    cache.add(start_key, time.time(), window)
    if cache.add(count_key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(count_key)
        except ValueError:  # expired between add and incr
            cache.set(count_key, 1, window)
            count = 1
    return _state(count_key, start_key, count, limit, window)


def rate_limit_peek(scope: str, ident: str, *, limit: int, window: int) -> Limit:
    """Would one more event still be allowed? Counts nothing."""
    count_key, start_key = _keys(scope, ident)
    count = cache.get(count_key) or 0
    return _state(count_key, start_key, count + 1, limit, window)


def rate_limit_reset(scope: str, ident: str) -> None:
    cache.delete_many(list(_keys(scope, ident)))


def client_ip(request: HttpRequest) -> str:
    """The caller's address. Behind our own reverse proxy (``USE_X_FORWARDED_FOR``), the address the
    proxy appended last; never a value the client could have put first."""
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
