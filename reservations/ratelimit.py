"""Rate limits on Django's cache framework: fixed windows, counted per scope and key.

Limits are "N/seconds" strings in ``settings.RATE_LIMITS``. With the default local-memory cache each
worker process counts on its own (``check --deploy`` warns, ``reservations.checks``); point
``REDIS_URL`` (or ``CACHE_BACKEND``) at Redis to share the counts.

Logins count failed attempts only, at every door (``/api/auth/login/``, ``/api/auth/token/``,
``/admin/login/``: Django's ``user_login_failed`` signal), per account and address together and per
address: a stranger's guesses use up their own address's allowance, never the owner's elsewhere.
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
    """The client's address: behind ``RATE_LIMIT_TRUSTED_PROXIES`` proxies that each append the
    address they were sent from to ``RATE_LIMIT_IP_HEADER`` (X-Forwarded-For), the right-most one
    not added by them; whatever the client wrote itself further left is ignored."""
    header = settings.RATE_LIMIT_IP_HEADER
    hops = (
        [part.strip() for part in request.META.get(header, "").split(",") if part.strip()] if header else []
    )
    if not hops:
        return request.META.get("REMOTE_ADDR", "")
    return hops[-min(settings.RATE_LIMIT_TRUSTED_PROXIES, len(hops))]


def _window(scope: str, key: str) -> tuple[int, str, int, float] | None:
    """(limit, cache key of the current window, seconds until it ends, now), or None when off."""
    rate = settings.RATE_LIMITS.get(scope) if settings.RATE_LIMITS_ENABLED else None
    if not rate:
        return None
    limit, window = (int(part) for part in rate.split("/"))
    now = time.time()
    bucket = int(now // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return limit, f"ratelimit:{scope}:{digest}:{bucket}", max(1, int((bucket + 1) * window - now)), window


def _count(cache_key: str, window: int) -> int:
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        return cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        return 1


def _refuse(scope: str, retry_after: int) -> RateLimited:
    message = _MESSAGES.get(scope, "Too many requests.")
    return RateLimited(f"{message} Please try again in {retry_after} seconds.", retry_after=retry_after)


def check_rate(scope: str, key: str) -> None:
    """Count one attempt for ``key`` in ``scope``; raise RateLimited once the window's limit is passed."""
    found = _window(scope, key)
    if found and _count(found[1], found[3]) > found[0]:
        raise _refuse(scope, found[2])


def _login_keys(request: HttpRequest, username: str) -> list[tuple[str, str]]:
    address = client_ip(request)
    return [("login_ip", address), ("login_user", f"{username.casefold()}|{address}")]


def check_login_allowed(request: HttpRequest, username: str) -> None:
    """Before a password is checked: RateLimited when this address, or this account from this
    address, has used up its failed attempts (nothing is counted here)."""
    for scope, key in _login_keys(request, username):
        found = _window(scope, key)
        if found and (cache.get(found[1]) or 0) >= found[0]:
            raise _refuse(scope, found[2])


def count_failed_login(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    """``user_login_failed``'s receiver (connected in ``ReservationsConfig.ready``): every door's
    failed attempt counts."""
    if request is None:
        return
    for scope, key in _login_keys(request, credentials.get("username") or ""):
        found = _window(scope, key)
        if found:
            _count(found[1], found[3])
