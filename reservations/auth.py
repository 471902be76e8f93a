"""Bearer tokens for API clients.

A token is shown once when it is issued; the database keeps only its SHA-256 digest. A request with
``Authorization: Bearer <token>`` is authenticated as the token's user and is exempt from CSRF (it
carries no ambient credentials a third-party site could borrow).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .api import json_error
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


def user_for_token(token: str) -> AbstractBaseUser | None:
    digest = token_digest(token)
    api_token = ApiToken.objects.select_related("user").filter(digest=digest).first()
    if api_token is None or not hmac.compare_digest(api_token.digest, digest):
        return None
    if not api_token.user.is_active:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user


class BearerTokenMiddleware:
    """Authenticates ``Authorization: Bearer`` requests. Sits after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer":
            user = user_for_token(token.strip()) if token.strip() else None
            if user is None:
                return json_error(AuthenticationRequired("The API token is not valid."))
            request.user = user
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
