"""The door's answers (../shared/API.md, "Check-in at the door"): domain errors like the others, so
the API's one error handler answers them."""

from reservations.exceptions import DomainError


class InvalidTicket(DomainError):
    code = "invalid_ticket"
    status = 404
    default_message = "This is not a ticket: the code is unknown or has been changed."


class WrongEvent(DomainError):
    code = "wrong_event"
    status = 409
    default_message = "This ticket is for another event."


class TicketCancelled(DomainError):
    code = "ticket_cancelled"
    status = 409
    default_message = "This ticket's reservation was cancelled."


class AlreadyCheckedIn(DomainError):
    code = "already_checked_in"
    status = 409
    default_message = "This ticket has already been used."
