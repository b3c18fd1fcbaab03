from unittest import mock

from shahrvand.ratelimit import rate_limit_hit, rate_limit_peek, rate_limit_reset


def test_allows_up_to_the_limit_then_refuses_with_a_wait_time():
    results = [rate_limit_hit("t", "09120000001", limit=3, window=900) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert 0 < results[-1].retry_after <= 900
    assert results[-1].retry_after_minutes == 15


def test_peek_counts_nothing():
    for _ in range(3):
        assert rate_limit_peek("t", "x", limit=1, window=60).allowed
    rate_limit_hit("t", "x", limit=1, window=60)
    assert not rate_limit_peek("t", "x", limit=1, window=60).allowed


def test_scopes_and_identities_are_separate_and_reset_clears():
    rate_limit_hit("a", "x", limit=1, window=60)
    rate_limit_hit("a", "x", limit=1, window=60)
    assert not rate_limit_peek("a", "x", limit=1, window=60).allowed
    assert rate_limit_peek("b", "x", limit=1, window=60).allowed
    assert rate_limit_peek("a", "y", limit=1, window=60).allowed
    rate_limit_reset("a", "x")
    assert rate_limit_peek("a", "x", limit=1, window=60).allowed


def test_window_ends():
    with mock.patch("shahrvand.ratelimit.time.time", return_value=1000.0):
        rate_limit_hit("w", "x", limit=1, window=60)
        state = rate_limit_hit("w", "x", limit=1, window=60)
    assert not state.allowed
    with mock.patch("shahrvand.ratelimit.time.time", return_value=1059.0):
        assert rate_limit_peek("w", "x", limit=1, window=60).retry_after == 1


def test_with_the_shared_cache_down_limits_are_counted_in_process_memory(settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "shahrvand.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    results = [rate_limit_hit("t", "09120000001", limit=2, window=900) for _ in range(3)]
    assert [r.allowed for r in results] == [True, True, False]
    assert not rate_limit_peek("t", "09120000001", limit=2, window=900).allowed
    assert "cache unreachable" in caplog.text
