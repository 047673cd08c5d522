"""Rate limits of anonymous pages, per client address, kept in Redis only (never in the database).

The address is never stored: a counter's key is an HMAC of it under a key derived from SECRET_KEY,
the page's scope and the day, so yesterday's counters cannot be matched to today's and the keys
change every day; counters expire with their window. Used by the questionnaires' public page
(apps/surveys/public.py) and the certificate check (apps/events/views/public.py).
"""
from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

DAY = 24 * 3600


def address_key(scope: str, address: str) -> str:
    """The cache key of ``address`` under ``scope`` today (an HMAC; the address is not recoverable)."""
    day = timezone.localdate().isoformat()
    daily = hmac.new(settings.SECRET_KEY.encode(), f"{scope}.rate:{day}".encode(), hashlib.sha256).digest()
    return f"{scope}:rate:" + hmac.new(daily, (address or "-").encode(), hashlib.sha256).hexdigest()[:32]


def allow(scope: str, address: str, *, limit: int, window: int = DAY) -> bool:
    """Count one request of ``address`` under ``scope``; False once more than ``limit`` fell in the
    current window of ``window`` seconds (a day by default)."""
    key = address_key(scope, address)
    if window < DAY:
        key = f"{key}:{int(time.time()) // window}"
    timeout = min(window, DAY)
    try:
        cache.add(key, 0, timeout=timeout)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        count = 1
    return count <= limit
