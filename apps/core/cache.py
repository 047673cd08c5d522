"""The shared cache (Redis), degrading to "no cache" while Redis cannot be reached.

Nothing the platform keeps only in the cache is needed to save a case: sessions are in the database
with the cache in front (``cached_db``), e-mail and tasks wait in the outbox, and rate limits and page
caches only save work. So while Redis is down every cache call answers as a miss (reads give the
default, writes report "not stored", counters are missing) instead of failing the request; after the
first failure the cache is not asked again for ``REDIS_RETRY_SECONDS``, so a dead server costs one
connect timeout every few seconds, not one per call.

When Redis answers again, the session entries it may still hold are dropped: a log-out or a changed
session while it was unreachable reached the database but not the cache, and the cache must not bring
the old session back.
"""
from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
SESSION_PREFIX = "django.contrib.sessions.cached_db"
_MISSING = object()


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that answers as a miss while the server cannot be reached."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._was_down = False
        self._lock = threading.Lock()

    # --- the breaker ---------------------------------------------------------------------------

    def _call(self, method: str, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback() if callable(fallback) else fallback
        try:
            if self._was_down:
                self._recover()  # before anything is read from a cache that may hold stale sessions
            return getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as exc:
            with self._lock:
                if not self._was_down:
                    logger.warning("cache unreachable (%s); working without it", type(exc).__name__)
                self._was_down = True
                self._down_until = time.monotonic() + float(getattr(settings, "REDIS_RETRY_SECONDS", 5))
            return fallback() if callable(fallback) else fallback

    def _recover(self) -> None:
        """Drop the session entries a log-out or a change may have missed while Redis was away."""
        client = self._cache.get_client(write=True)
        stale = list(client.scan_iter(match=self.make_key(SESSION_PREFIX + "*"), count=1000))
        for start in range(0, len(stale), 500):
            client.delete(*stale[start:start + 500])
        with self._lock:
            self._was_down = False
        logger.warning("cache reachable again; %s session entries dropped", len(stale))

    @property
    def available(self) -> bool:
        """False while the breaker keeps the cache out."""
        return time.monotonic() >= self._down_until

    # --- the cache API ---------------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._call("add", False, *args, version=version)

    def set(self, key, value, timeout=_MISSING, version=None):
        args = (key, value) if timeout is _MISSING else (key, value, timeout)
        return self._call("set", None, *args, version=version)

    def set_many(self, data, timeout=_MISSING, version=None):
        args = (data,) if timeout is _MISSING else (data, timeout)
        return self._call("set_many", lambda: list(data), *args, version=version)

    def touch(self, key, timeout=_MISSING, version=None):
        args = (key,) if timeout is _MISSING else (key, timeout)
        return self._call("touch", False, *args, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found.")  # as for a key the cache does not hold
        return self._call("incr", missing, key, delta, version)

    def clear(self):
        return self._call("clear", False)
