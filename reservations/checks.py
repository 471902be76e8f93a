"""System checks of the deployment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def rate_limits_need_a_shared_cache(app_configs, **kwargs) -> list[Warning]:
    if settings.DEBUG or not settings.RATE_LIMITS_ENABLED or not isinstance(caches["default"], LocMemCache):
        return []
    return [
        Warning(
            "Rate limits are on but counted in each process's own memory: with several workers, every "
            "worker allows the whole limit (login guesses, registrations, holds).",
            hint="Set REDIS_URL (or CACHE_BACKEND) to a cache the workers share.",
            id="reservations.W001",
        )
    ]
