"""A cache shared by every process (Redis on loopback, as in production), for the tests of what is
kept under a shared version (``shahrvand.versions``): the reports' figures, the public pages.

``.ci/run`` starts Redis; without it such tests are skipped (``needs_redis``). Each test process
writes under its own key prefix and clears only its own keys: ``cache.clear()`` would empty the
whole Redis database under another process's tests."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from django.test import override_settings

REDIS = "redis://127.0.0.1:6379/14"
_PREFIX = f"shahrvand-test-shared-{os.getpid()}"


def _redis_up() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception:
        return False


needs_redis = [
    pytest.mark.xdist_group("redis-cache"),
    pytest.mark.skipif(not _redis_up(), reason="needs Redis on loopback (run by .ci/run)"),
]


def _clear() -> None:
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"*{_PREFIX}*"):
        client.delete(key)


@contextmanager
def shared_cache():
    """Django's default cache on Redis for the block, emptied of this process's keys around it."""
    settings = {
        "default": {
            "BACKEND": "shahrvand.cache.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": _PREFIX,
        }
    }
    with override_settings(CACHES=settings):
        _clear()
        try:
            yield
        finally:
            _clear()
