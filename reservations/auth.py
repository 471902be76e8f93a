"""Bearer tokens for API clients.

A token is shown once when it is issued; the database keeps only its SHA-256 digest. A request with
``Authorization: Bearer <token>`` is authenticated as the token's user and is exempt from CSRF (it
carries no ambient credentials a third-party site could borrow).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .api import API_PREFIX
from .exceptions import AuthenticationRequired
from .models import ApiToken

# last_used_at is refreshed at most this often, to keep writes off the hot path.
LAST_USED_PRECISION = timedelta(minutes=5)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, user: AbstractBaseUser) -> str:
    """Create a new token for the user and return it; earlier tokens stay valid until revoked."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=token_digest(token))
    return token


def revoke_tokens(*, user: AbstractBaseUser) -> int:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


@cache
def _token_user_sql() -> str:
    # One raw query: on every API request the ORM took longer to build the lookup than the database
    # took to answer it. ``stale`` says whether last_used_at is due for a refresh.
    return f"""
        SELECT u.*, t.id AS token_id, t.digest AS token_digest,
               (t.last_used_at IS NULL OR t.last_used_at < %s) AS token_stale
        FROM {get_user_model()._meta.db_table} u
        JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id
        WHERE t.digest = %s"""


def user_for_token(token: str) -> AbstractBaseUser | None:
    digest = token_digest(token)
    now = timezone.now()
    stale_before = connection.ops.adapt_datetimefield_value(now - LAST_USED_PRECISION)
    found = list(get_user_model().objects.raw(_token_user_sql(), [stale_before, digest]))
    if not found or not hmac.compare_digest(found[0].token_digest, digest):
        return None
    user = found[0]
    if not user.is_active:
        return None
    if user.token_stale:
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
    return user


def _token_user(token: str) -> AbstractBaseUser:
    user = user_for_token(token) if token else None
    if user is None:
        raise AuthenticationRequired("The API token is not valid.")
    return user


class BearerTokenMiddleware:
    """Authenticates ``Authorization: Bearer`` requests to the API. Sits after AuthenticationMiddleware.

    The user is looked up lazily, when the view first asks (``api_view`` always does), so a bad token
    or a database outage surfaces inside the view and is answered as JSON by ``reservations.api``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and request.path.startswith(API_PREFIX):
            request.user = SimpleLazyObject(lambda: _token_user(token.strip()))
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
