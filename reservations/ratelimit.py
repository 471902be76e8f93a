"""Rate limits on Django's cache framework: fixed windows, counted per scope and key.

Limits are "N/seconds" strings in ``settings.RATE_LIMITS``. With the default local-memory cache each
worker process counts on its own; point ``CACHE_BACKEND`` at Redis to share the counts.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from .exceptions import RateLimited

_MESSAGES = {
    "login_user": "Too many login attempts for this account.",
    "login_ip": "Too many login attempts from your network.",
    "register_ip": "Too many accounts created from your network.",
    "hold": "You are holding and releasing seats too quickly.",
}


def client_ip(request: HttpRequest) -> str:
    header = settings.RATE_LIMIT_IP_HEADER
    forwarded = request.META.get(header, "") if header else ""
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


def check_rate(scope: str, key: str) -> None:
    """Count one attempt for ``key`` in ``scope``; raise RateLimited once the window's limit is passed."""
    rate = settings.RATE_LIMITS.get(scope) if settings.RATE_LIMITS_ENABLED else None
    if not rate:
        return
    limit, window = (int(part) for part in rate.split("/"))
    now = time.time()
    bucket = int(now // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        count = 1
    if count > limit:
        retry_after = max(1, int((bucket + 1) * window - now))
        message = _MESSAGES.get(scope, "Too many requests.")
        raise RateLimited(f"{message} Please try again in {retry_after} seconds.", retry_after=retry_after)
