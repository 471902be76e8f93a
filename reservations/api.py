"""The JSON API: one django-ninja ``NinjaAPI`` with a router per area, and the one place that turns
every error into the contract's shape ``{"success": false, "error", "code", "details"?}``.

- ``api``'s exception handlers answer domain errors, validation errors (400 ``invalid_request``
  naming the field, not ninja's 422), oversized or non-JSON bodies, lock timeouts (503 ``busy``),
  database outages (503 ``unavailable``) and crashes (500);
- ``JsonErrorPagesMiddleware`` replaces the error pages Django itself answers under ``/api/``
  (unknown URL, 405) with the same shape.

The OpenAPI document is generated from the operations (``GET /api/schema/``, ``GET /api/docs``).
"""

import logging
from collections import defaultdict
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from . import accounts, views
from .auth import CUSTOMER
from .exceptions import (
    AuthenticationRequired,
    Busy,
    DomainError,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    RateLimited,
    ServerError,
    Unavailable,
)

logger = logging.getLogger("reservations.api")

API_PREFIX = "/api/"


class JsonObjectParser(Parser):
    """Request bodies are JSON objects sent as ``application/json`` (orjson: fast, and it refuses
    invalid UTF-8 and nesting deeper than 1,024 levels)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise InvalidRequest("Send a JSON body with Content-Type: application/json.")
        try:
            data = orjson.loads(request.body)
        except orjson.JSONDecodeError as error:
            raise InvalidRequest("The request body is not valid JSON.") from error
        if not isinstance(data, dict):
            raise InvalidRequest("The request body must be a JSON object.")
        return data


class SeatReservationApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """The generated document, plus the two routes that serve it (ninja leaves them out)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        prefix = self.get_root_path(path_params or {})
        served = {"description": "Served", "content": {}}
        schema["paths"][f"{prefix}{self.openapi_url.lstrip('/')}"] = {
            "get": {
                "operationId": "getOpenApiDocument",
                "summary": "This OpenAPI 3.1 document",
                "tags": ["operations"],
                "security": [{}],
                "responses": {
                    200: {**served, "content": {"application/json": {"schema": {"type": "object"}}}}
                },
            }
        }
        schema["paths"][f"{prefix}{self.docs_url.lstrip('/')}"] = {
            "get": {
                "operationId": "getApiDocs",
                "summary": "Interactive documentation of this document (Swagger UI, served locally)",
                "tags": ["operations"],
                "security": [{}],
                "responses": {200: {**served, "content": {"text/html": {"schema": {"type": "string"}}}}},
            }
        }
        return schema


api = SeatReservationApi(
    title="Seat reservation API",
    version="1.0.0",
    description=(
        "Hold seats for a few minutes, then reserve them. Every response is JSON; errors are "
        '`{"success": false, "error", "code", "details"?}` with the codes listed per response. '
        "Unsafe requests authenticated by session need the `X-CSRFToken` header; Bearer-token "
        "requests do not. The contract: ../shared/API.md."
    ),
    openapi_url="/schema/",
    docs_url="/docs",
    urls_namespace="api",
    # Every operation names who may call it; this default tells the docs page to send the CSRF token.
    auth=CUSTOMER.callbacks,
    parser=JsonObjectParser(),
)
api.add_router("", views.events)
api.add_router("", views.holds)
api.add_router("/auth/", accounts.router)
api.add_router("", views.operations)
# Other apps' routers (they depend on reservations, never the reverse; their URLs are part of the
# one API and its one document).
api.add_router("", "tickets.api.router")
api.add_router("/auth/", "tickets.api.recovery")
api.add_router("", "boxoffice.api.router")
api.add_router("", "waitingroom.api.router")
api.add_router("", "live.api.router")


# --- Errors ---------------------------------------------------------------------------------------


def error_response(error: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"success": False, "error": error.message, "code": error.code}
    if error.details:
        body["details"] = error.details
    response = JsonResponse(body, status=error.status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    if error.status >= 500:
        response._has_been_logged = True  # logged once, by the handler; not again by django.request
    return response


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return error_response(error)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """pydantic's findings as ``details``: field name -> messages."""
    details: dict[str, list[str]] = defaultdict(list)
    for problem in error.errors:
        details[_field_name(problem["loc"])].append(problem["msg"])
    field, messages = next(iter(details.items()))
    return error_response(InvalidRequest(f"'{field}' is not valid: {messages[0]}.", details=dict(details)))


def _field_name(location: tuple) -> str:
    """("body", "payload", "seat_ids", 3) -> "seat_ids"; ("query", "since") -> "since"."""
    source, *rest = location
    if source == "body":
        rest = rest[1:]  # the name of the view's argument that holds the body
    names = [str(part) for part in rest if isinstance(part, str)]
    return names[0] if names else source


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error.__cause__, DomainError):  # raised by the parser, wrapped by ninja
        return error_response(error.__cause__)
    if isinstance(error, AuthenticationError):
        return error_response(AuthenticationRequired("Log in or send a Bearer token to do this."))
    return error_response(InvalidRequest(str(error)))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(InvalidRequest(f"The request body is larger than {limit} bytes."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(NotFound())


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request: HttpRequest, error: DatabaseError) -> HttpResponse:
    # The transaction has been rolled back and nothing changed; the client may retry.
    logger.warning("database busy or unavailable on %s: %s", request.path, error)
    return error_response(Busy() if _is_timeout(error) else Unavailable())


def _is_timeout(error: Exception) -> bool:
    """A lock_timeout or statement_timeout on PostgreSQL ("database is locked" on SQLite)."""
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    return sqlstate in {"55P03", "57014"} or "database is locked" in str(error)


@api.exception_handler(Exception)
def _crash(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("unhandled error on %s", request.path)
    return error_response(ServerError())


# Error pages that Django answers itself, before any operation runs.
_PAGES = {404: NotFound, 405: MethodNotAllowed, 500: ServerError, 503: Unavailable}


class JsonErrorPagesMiddleware:
    """Every response under /api/ is JSON: an unknown URL (404), a method that the path does not
    have (405) and anything else Django answers with a page of its own get the contract's shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        error = _PAGES.get(response.status_code, InvalidRequest)()
        if response.has_header("Allow"):
            error.message = f"Use {' or '.join(response['Allow'].split(', '))} here."
        replacement = error_response(error)
        if response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        return replacement
