"""The Redis cache backend (``shahrvand/cache.py``) keeps one client per connection pool and is
otherwise Django's: values, counters and many-key reads as before."""

import pytest
from django.core.cache import cache

from shahrvand.tests.shared_cache import needs_redis, shared_cache

pytestmark = needs_redis


@pytest.fixture(autouse=True)
def _shared_cache():
    with shared_cache():
        yield


def test_one_client_serves_every_call():
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client


def test_values_counters_and_many_keys_as_before():
    cache.set("kept", "صفحه", timeout=60)
    cache.set("count", 1, timeout=60)
    assert cache.incr("count") == 2
    assert cache.get_many(["kept", "count", "absent"]) == {"kept": "صفحه", "count": 2}
    assert cache.add("kept", "other") is False
    cache.delete("kept")
    assert cache.get("kept") is None
