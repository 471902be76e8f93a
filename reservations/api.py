"""The JSON shape of the API: one place turns errors into ``{"success": false, "error", "code"}``.

- ``api_view`` checks the method and authentication and lets domain errors rise;
- ``ApiErrorMiddleware`` turns domain errors, oversized bodies, lock timeouts and crashes into JSON,
  and replaces any non-JSON error page under ``/api/`` (unknown URL, 405, ...) with the JSON shape;
- ``csrf_failure`` answers CSRF failures under ``/api/`` with ``csrf_failed``.
"""

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure

from .exceptions import AuthenticationRequired, DomainError, Forbidden, InvalidRequest, RateLimited

logger = logging.getLogger("reservations.api")

API_PREFIX = "/api/"
MAX_DB_ID = 2**63 - 1

# Error codes for error responses that Django itself produces (not our views).
_CODES_BY_STATUS = {
    400: ("invalid_request", "The request is not valid."),
    401: ("authentication_required", "Authentication is required."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("invalid_request", "The request body is too large."),
    500: ("server_error", "Something went wrong on our side."),
    503: ("unavailable", "The service is temporarily unavailable. Please try again."),
}


def json_ok(status: int = 200, **fields: Any) -> JsonResponse:
    return JsonResponse({"success": True, **fields}, status=status)


def json_error(error: DomainError) -> JsonResponse:
    body: dict[str, Any] = {"success": False, "error": error.message, "code": error.code}
    if error.details:
        body["details"] = error.details
    response = JsonResponse(body, status=error.status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"success": False, "error": message, "code": code}, status=status)


def api_view(*methods: str, login_required: bool = False, staff_required: bool = False) -> Callable:
    """Restrict a view to ``methods`` and, optionally, to signed-in (or staff) users."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = _error(405, "method_not_allowed", f"Use {' or '.join(methods)} here.")
                response["Allow"] = ", ".join(methods)
                return response
            # Resolve the (lazy) user here, inside the view, so that a bad token or an unreachable
            # database is answered by ApiErrorMiddleware.process_exception like any view error.
            authenticated = request.user.is_authenticated
            if (login_required or staff_required) and not authenticated:
                raise AuthenticationRequired("Log in or send a Bearer token to do this.")
            if staff_required and not request.user.is_staff:
                raise Forbidden("Only staff can do this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def parse_json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object, or InvalidRequest for anything else."""
    if request.content_type != "application/json":
        raise InvalidRequest("Send a JSON body with Content-Type: application/json.")
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise InvalidRequest("The request body is not valid JSON.") from error
    if not isinstance(data, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    return data


def _has_control_characters(value: str) -> bool:
    # NUL cannot be stored by PostgreSQL; no other control character belongs in these fields.
    return any(ord(character) < 32 or ord(character) == 127 for character in value)


def require_string(data: dict[str, Any], field: str, *, max_length: int = 150) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value or len(value) > max_length or _has_control_characters(value):
        raise InvalidRequest(
            f"'{field}' is required.",
            details={
                field: f"A non-empty string of at most {max_length} characters, without control characters."
            },
        )
    return value


def optional_string(data: dict[str, Any], field: str, *, max_length: int = 254) -> str:
    value = data.get(field) or ""
    if not isinstance(value, str) or len(value) > max_length or _has_control_characters(value):
        raise InvalidRequest(
            f"'{field}' is not valid.",
            details={field: f"A string of at most {max_length} characters, without control characters."},
        )
    return value


def require_id_list(data: dict[str, Any], field: str, *, max_items: int) -> list[int]:
    """A non-empty list of distinct positive 64-bit integers, at most ``max_items`` long."""
    value = data.get(field)
    rule = f"A list of 1 to {max_items} distinct positive integer ids."
    if not isinstance(value, list) or not 1 <= len(value) <= max_items:
        raise InvalidRequest(f"'{field}' must be a list of 1 to {max_items} ids.", details={field: rule})
    for item in value:
        if type(item) is not int or not 1 <= item <= MAX_DB_ID:
            raise InvalidRequest(f"'{field}' holds an id that is not valid.", details={field: rule})
    if len(set(value)) != len(value):
        raise InvalidRequest(f"'{field}' holds the same id twice.", details={field: rule})
    return value


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _error(
            403,
            "csrf_failed",
            "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header.",
        )
    return django_csrf_failure(request, reason=reason)


def _is_timeout(exception: Exception) -> bool:
    """A lock_timeout or statement_timeout on PostgreSQL ("database is locked" on SQLite)."""
    sqlstate = getattr(exception.__cause__, "sqlstate", None)
    return sqlstate in {"55P03", "57014"} or "database is locked" in str(exception)


class ApiErrorMiddleware:
    """Every response under /api/ is JSON, also for errors that our views did not produce."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = _CODES_BY_STATUS.get(response.status_code, ("error", "The request failed."))
            status = 400 if response.status_code == 413 else response.status_code
            replacement = _error(status, code, message)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, DomainError):
            return json_error(exception)
        if isinstance(exception, RequestDataTooBig):
            return _error(
                400,
                "invalid_request",
                f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
            )
        if isinstance(exception, OperationalError | InterfaceError):
            # The transaction has been rolled back; the client may retry.
            logger.warning("database busy or unavailable on %s: %s", request.path, exception)
            if _is_timeout(exception):
                return _error(503, "busy", "The system is busy. Please try again in a moment.")
            return _error(503, "unavailable", "The database is unavailable. Please try again.")
        if isinstance(exception, DatabaseError):
            logger.exception("database error on %s", request.path)
            return _error(500, "server_error", "Something went wrong on our side.")
        logger.exception("unhandled error on %s", request.path)
        return _error(500, "server_error", "Something went wrong on our side.")
