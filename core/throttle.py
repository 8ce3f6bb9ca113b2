"""Throttles: at most so many requests of one kind from one key in a window, counted in the shared cache."""

import functools
import hashlib
import logging
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

Rate = tuple[int, int]  # (requests allowed, window in seconds), as thidua/settings.py reads THROTTLE_*


def _cache_keys(scope: str, key: str) -> tuple[str, str]:
    # Hashed: a key may be an e-mail address, which has no business lying readable in Redis.
    base = f"throttle:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    return base, f"{base}:until"


def _wait(until: float | None, now: float, seconds: int) -> int:
    return max(1, math.ceil((until or now + seconds) - now))


def throttle_count(scope: str, key: str, rate: Rate) -> int | None:
    """Counts one request; returns the seconds to wait when it is past the limit, None when it may go on.

    The window opens with the first request and closes `seconds` later, whatever came after. A cache that
    fails lets every request through: throttles guard the portal, they must not shut it when Redis is down.
    """
    limit, seconds = rate
    count_key, until_key = _cache_keys(scope, key)
    now = time.time()
    try:
        if cache.add(count_key, 1, seconds):
            cache.set(until_key, now + seconds, seconds)
            return None
        try:
            count = cache.incr(count_key)
        except ValueError:  # the window closed between add and incr: this request opens the next one
            cache.set(count_key, 1, seconds)
            cache.set(until_key, now + seconds, seconds)
            return None
        if count <= limit:
            return None
        return _wait(cache.get(until_key), now, seconds)
    except Exception:  # noqa: BLE001 - whatever the cache's client raises (connection refused, timeout)
        logger.warning("throttle %s not counted: the cache failed", scope, exc_info=True)
        return None


def throttle_wait(scope: str, key: str, rate: Rate) -> int | None:
    """The seconds to wait before one more request of `scope` from `key` may go on, without counting one."""
    limit, seconds = rate
    count_key, until_key = _cache_keys(scope, key)
    try:
        values = cache.get_many([count_key, until_key])
    except Exception:  # noqa: BLE001 - as in throttle_count: a failed cache throttles nothing
        logger.warning("throttle %s not read: the cache failed", scope, exc_info=True)
        return None
    if values.get(count_key, 0) < limit:
        return None
    return _wait(values.get(until_key), time.time(), seconds)


def throttled_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The portal's 429 page, saying how long to wait, with the same wait in Retry-After."""
    context = {"retry_after_minutes": max(1, math.ceil(retry_after / 60))}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def throttled(scope: str, *, rate_setting: str, key: Callable[[HttpRequest], str], methods: frozenset[str]) -> Callable:
    """A view decorator counting each request of `methods` under `scope` and `key(request)`; past the rate
    named by `rate_setting` (read at each request) the view is not called and the 429 page is shown."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                retry_after = throttle_count(scope, key(request), getattr(settings, rate_setting))
                if retry_after is not None:
                    return throttled_response(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
