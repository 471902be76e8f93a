"""Domain errors with a stable machine code and an HTTP status.

Services raise them; ``reservations.api`` turns them into the JSON error shape of the API contract,
management commands into ``CommandError`` and admin actions into messages.
"""

from typing import Any


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = "The request could not be completed."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)


class InvalidRequest(DomainError):
    code = "invalid_request"
    status = 400
    default_message = "The request is not valid."


class AuthenticationRequired(DomainError):
    code = "authentication_required"
    status = 401
    default_message = "Authentication is required."


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = "You are not allowed to do this."


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = "Not found."


class SeatUnavailable(DomainError):
    code = "seat_unavailable"
    status = 409
    default_message = "This seat is not available."


class LockNotHeld(DomainError):
    code = "lock_not_held"
    status = 409
    default_message = "You do not hold this seat."


class HoldLimitReached(DomainError):
    code = "hold_limit_reached"
    status = 409
    default_message = "You already hold the maximum number of seats for this event."


class EventClosed(DomainError):
    code = "event_closed"
    status = 409
    default_message = "This event has already started."


class NotCancellable(DomainError):
    code = "not_cancellable"
    status = 409
    default_message = "This reservation cannot be cancelled."


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = "Too many requests. Please wait a moment and try again."

    def __init__(self, message: str | None = None, *, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after
