"""Domain errors with a stable machine code and an HTTP status.

Services raise them; ``reservations.api`` turns them into the JSON error shape of the API contract,
management commands into ``CommandError`` and admin actions into messages. The last few are the
errors of the transport (CSRF, method, database), raised or answered by the API layer itself; they
live here so that every error code of the contract has one class, which also documents it.
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


class TicketLimitReached(DomainError):
    code = "ticket_limit_reached"
    status = 409
    default_message = "You already have the most tickets one customer may have for this event."


class HoldCooldown(DomainError):
    code = "hold_cooldown"
    status = 409
    default_message = "You gave this seat up a moment ago; others may hold it first."


class EventClosed(DomainError):
    code = "event_closed"
    status = 409
    default_message = "This event has already started."


class NotOnSale(DomainError):
    code = "not_on_sale"
    status = 409
    default_message = "The on-sale has not opened yet."


class QueueRequired(DomainError):
    code = "queue_required"
    status = 403
    default_message = "This on-sale has a waiting room: join the queue and wait for your turn."


class NotCancellable(DomainError):
    code = "not_cancellable"
    status = 409
    default_message = "This reservation cannot be cancelled."


class NotEnoughSeats(DomainError):
    code = "not_enough_seats"
    status = 409
    default_message = "There is no block of that many seats side by side left."


class IdempotencyConflict(DomainError):
    code = "idempotency_conflict"
    status = 409
    default_message = "This Idempotency-Key was used for a different request."


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = "Too many requests. Please wait a moment and try again."

    def __init__(self, message: str | None = None, *, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


# --- Errors of the transport, answered by reservations.api -------------------------------------------


class CsrfFailed(DomainError):
    code = "csrf_failed"
    status = 403
    default_message = "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header."


class MethodNotAllowed(DomainError):
    code = "method_not_allowed"
    status = 405
    default_message = "This method is not allowed here."


class ServerError(DomainError):
    code = "server_error"
    status = 500
    default_message = "Something went wrong on our side."


class Busy(DomainError):
    code = "busy"
    status = 503
    default_message = "The system is busy. Please try again in a moment."


class Unavailable(DomainError):
    code = "unavailable"
    status = 503
    default_message = "The database is unavailable. Please try again."
