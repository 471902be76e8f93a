"""The JSON shapes of tickets (../shared/API.md, "Tickets" and "Check-in")."""

from typing import Any

from .models import Ticket


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    """A ticket in a reservation's answer (seat and section loaded): only its owner and staff see
    these, so the code is included."""
    return {
        "id": ticket.pk,
        "seat_number": ticket.seat.seat_number,
        "section": ticket.seat.section.name,
        "code": ticket.code,
        "status": ticket.status,
        "checked_in_at": ticket.checked_in_at,
    }


def admitted_json(ticket: Ticket) -> dict[str, Any]:
    """A ticket just let in (``services.check_in``'s, read with what the door shows)."""
    return {
        "id": ticket.pk,
        "seat_number": ticket.seat_number,
        "section": ticket.section_name,
        "row": ticket.row,
        "number": ticket.number,
        "holder": ticket.holder,
        "checked_in_at": ticket.checked_in_at,
    }
