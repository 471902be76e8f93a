"""The JSON shapes of ../shared/API.md (``reservations.schemas``), built from models, annotated
querysets and raw seat rows. Times stay ``datetime``s: the renderers (ninja's JSON, orjson for the
pre-rendered grid) write them in ISO 8601 with their UTC offset."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from .models import Event, Reservation, Seat


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def event_json(event: Event, now: datetime) -> dict[str, Any]:
    """An event annotated by ``selectors.events_with_counts``."""
    return {
        "id": event.pk,
        "name": event.name,
        "description": event.description,
        "event_date": event.event_date,
        "location": event.location,
        "total_seats": event.seat_count,
        "available_seats": event.seat_count - event.held_count - event.reserved_count,
        "locked_seats": event.held_count,
        "reserved_seats": event.reserved_count,
        "min_price": money(event.min_price),
        "max_price": money(event.max_price),
        "is_open": not event.has_started(now),
    }


def seat_json(row: tuple, user_id: int | None, now: datetime) -> dict[str, Any]:
    """A seat from a ``selectors.SEAT_GRID_COLUMNS`` row, as seen by ``user_id`` at ``now``.

    A hold that has run out is shown as available; the hold's expiry is shown only to its holder.
    """
    seat_id, seat_number, row_label, number, price, status, holder_id, locked_until = row
    held = status == Seat.Status.LOCKED and locked_until > now
    mine = held and holder_id == user_id
    return {
        "id": seat_id,
        "seat_number": seat_number,
        "row": row_label,
        "number": number,
        "price": money(price),
        "status": Seat.Status.AVAILABLE if status == Seat.Status.LOCKED and not held else status,
        "is_locked": held,
        "locked_by_me": mine,
        "locked_until": locked_until if mine else None,
    }


def reservation_json(reservation: Reservation) -> dict[str, Any]:
    """A reservation from ``selectors.reservations_for`` / ``get_reservation`` (seats prefetched)."""
    return {
        "id": reservation.pk,
        "event_id": reservation.event_id,
        "event_name": reservation.event.name,
        "event_date": reservation.event.event_date,
        "seats": [seat.seat_number for seat in reservation.seats.all()],
        "status": reservation.status,
        "total_price": money(reservation.total_price),
        "created_at": reservation.created_at,
        "cancelled_at": reservation.cancelled_at,
    }
