"""Forgetting a test process's own cache keys between tests."""
from django.core.cache import cache


def clear_own_cache_keys() -> None:
    """Delete this test process's cache keys (rate limits, used forms...). Not ``cache.clear()``: that
    empties the whole Redis database, the sessions of the tests running in the other process included."""
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=cache.make_key("*")):
        client.delete(key)
