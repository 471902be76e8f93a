"""Who is calling: Bearer tokens for API clients, the Django session for the browser.

A token is shown once when it is issued; the database keeps only its SHA-256 digest. A request with
``Authorization: Bearer <token>`` is authenticated as the token's user and is exempt from CSRF (it
carries no ambient credentials a third-party site could borrow). The classes below are django-ninja
auth callbacks; ``PUBLIC``, ``CUSTOMER`` and ``OPEN`` are what the API's operations use.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .exceptions import AuthenticationRequired, CsrfFailed, Forbidden
from .models import ApiToken
from .schemas import Access

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
    """Every token of the user stops working (a password change, ``create_api_token --revoke``)."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def revoke_token(token: str) -> bool:
    """This one token stops working; False if it was not a token."""
    deleted, _ = ApiToken.objects.filter(digest=token_digest(token)).delete()
    return bool(deleted)


@cache
def _token_user_sql() -> str:
    # One raw query: on every API request the ORM took longer to build the lookup than the database
    # took to answer it. ``stale`` says whether last_used_at is due for a refresh.
    return f"""
        SELECT u.*, t.id AS token_id, t.digest AS token_digest,
               (t.last_used_at IS NULL OR t.last_used_at < %s) AS token_stale
        FROM {get_user_model()._meta.db_table} u
        JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id
        WHERE t.digest = %s AND t.created_at > %s"""


def user_for_token(token: str) -> AbstractBaseUser | None:
    """The user of an unexpired token (``API_TOKEN_MAX_AGE_SECONDS``), or None."""
    digest = token_digest(token)
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    stale_before = adapt(now - LAST_USED_PRECISION)
    issued_after = adapt(now - timedelta(seconds=settings.API_TOKEN_MAX_AGE_SECONDS))
    found = list(get_user_model().objects.raw(_token_user_sql(), [stale_before, digest, issued_after]))
    if not found or not hmac.compare_digest(found[0].token_digest, digest):
        return None
    user = found[0]
    if not user.is_active:
        return None
    if user.token_stale:
        ApiToken.objects.filter(pk=user.token_id).update(last_used_at=now)
    return user


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``: API clients. Never needs CSRF (nothing ambient to borrow)."""

    openapi_description = "A token from POST /api/auth/token/ or `manage.py create_api_token`."

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser:
        user = user_for_token(token.strip()) if token.strip() else None
        if user is None:  # a client that asks to be someone and is not: 401, also on public reads
            raise AuthenticationRequired("The API token is not valid (unknown, revoked or expired).")
        request.token = token.strip()
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session. Unsafe methods need the CSRF token, checked once the session is
    known to be signed in: a request without a session is "authentication required", not a CSRF
    failure."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The browser's session (POST /api/auth/login/); send X-CSRFToken on unsafe methods."

    def __init__(self) -> None:
        super().__init__(csrf=True)  # tells ninja's docs page to send the CSRF token

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        if not key or not request.user.is_authenticated:
            return None
        require_csrf(request)
        return request.user


def require_staff(user: AbstractBaseUser) -> AbstractBaseUser:
    """For staff-only operations (called with ``CUSTOMER`` access): Forbidden for a customer."""
    if not user.is_staff:
        raise Forbidden("Only staff can do this.")
    return user


def require_csrf(request: HttpRequest) -> None:
    """Django's CSRF check for this request (safe methods pass); CsrfFailed when it fails."""
    if check_csrf(request) is not None:
        raise CsrfFailed()


def csrf_protected(request: HttpRequest) -> bool:
    """For operations that sign a browser in or out without needing a session: the CSRF check only
    (a login CSRF would sign the victim in as the attacker)."""
    require_csrf(request)
    return True


def anonymous(request: HttpRequest) -> AnonymousUser:
    """Last in the list of a public operation: no credentials is fine, the viewer is anonymous."""
    return AnonymousUser()


_bearer, _session = BearerAuth(), SessionAuth()

# A public read: who the viewer is changes what they see (their own holds), but anyone may look.
PUBLIC = Access([_bearer, _session, anonymous], (AuthenticationRequired,), security=[{}])
# A Bearer token and nothing else (revoking the token a request is sent with).
BEARER = Access([_bearer], (AuthenticationRequired,))
# A signed-in customer (or staff): Bearer token or session.
CUSTOMER = Access([_bearer, _session], (AuthenticationRequired,))
# Signing in and out: no credentials needed, but a session-changing request needs the CSRF token.
SIGN_IN = Access([csrf_protected], (CsrfFailed,), security=[{}])
# No authentication at all (health, tokens: no cookie is read or set).
OPEN = Access(None, security=[{}])
