"""The JSON shapes of ../shared/API.md (``reservations.schemas``), built from models, annotated
querysets and raw seat rows. Times stay ``datetime``s: the renderers (ninja's JSON, orjson for the
pre-rendered grid) write them in ISO 8601 with their UTC offset."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from .models import Event, Reservation, Seat, Section


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _counts(annotated: Event | Section) -> dict[str, Any]:
    """Seat counts and price range of an event or section annotated by ``selectors``."""
    return {
        "total_seats": annotated.seat_count,
        "available_seats": annotated.seat_count - annotated.held_count - annotated.reserved_count,
        "locked_seats": annotated.held_count,
        "reserved_seats": annotated.reserved_count,
        "min_price": money(annotated.min_price),
        "max_price": money(annotated.max_price),
    }


def section_json(section: Section) -> dict[str, Any]:
    """A section annotated by ``selectors.sections_with_counts``."""
    return {
        "name": section.name,
        **_counts(section),
        "x": section.x,
        "y": section.y,
        "width": section.width,
        "height": section.height,
    }


def event_json(event: Event, now: datetime) -> dict[str, Any]:
    """An event annotated by ``selectors.events_with_counts``."""
    return {
        "id": event.pk,
        "name": event.name,
        "description": event.description,
        "event_date": event.event_date,
        "location": event.location,
        **_counts(event),
        "is_open": not event.has_started(now),
    }


def seat_json(row: tuple, user_id: int | None, now: datetime) -> dict[str, Any]:
    """A seat from a ``selectors.SEAT_GRID_COLUMNS`` row, as seen by ``user_id`` at ``now``.

    A hold that has run out is shown as available; the hold's expiry is shown only to its holder.
    """
    seat_id, seat_number, section, row_label, number, x, y, price, status, holder_id, locked_until = row
    held = status == Seat.Status.LOCKED and locked_until > now
    mine = held and holder_id == user_id
    return {
        "id": seat_id,
        "seat_number": seat_number,
        "section": section,
        "row": row_label,
        "number": number,
        "x": x,
        "y": y,
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
