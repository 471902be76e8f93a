"""The JSON shapes of ../shared/API.md (``reservations.schemas``), built from models, annotated
querysets and raw seat rows. Times stay ``datetime``s: the renderers (ninja's JSON, orjson for the
pre-rendered grid) write them in ISO 8601 with their UTC offset."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

from . import layouts
from .models import Event, Reservation, hold_is_active, shown_status


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _counts(
    seat_count: int, held: int, reserved: int, blocked: int, low: Decimal | None, high: Decimal | None
) -> dict:
    return {
        "total_seats": seat_count,
        "available_seats": seat_count - held - reserved - blocked,
        "locked_seats": held,
        "reserved_seats": reserved,
        "blocked_seats": blocked,
        "min_price": money(low),
        "max_price": money(high),
    }


def section_json(counted: dict[str, Any]) -> dict[str, Any]:
    """A section as ``selectors.section_counts`` counts it."""
    return {
        "name": counted["name"],
        **_counts(
            counted["seat_count"],
            counted["held_count"],
            counted["reserved_count"],
            counted["blocked_count"],
            counted["min_price"],
            counted["max_price"],
        ),
        "x": counted["x"],
        "y": counted["y"],
        "width": counted["width"],
        "height": counted["height"],
        "angle": counted["angle"],
    }


def stage_json(event: Event, sections: list[dict[str, Any]]) -> dict[str, Any]:
    """The event's field: the one its venue's layout named, or a stage above its sections."""
    boxes = [(section["x"], section["y"], section["width"], section["height"]) for section in sections]
    return layouts.stage(event.stage, boxes)


def event_json(event: Event, sections: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    """An event with the totals of its sections as ``selectors.section_counts`` counts them."""
    prices = [
        price for section in sections for price in (section["min_price"], section["max_price"]) if price
    ]
    return {
        "id": event.pk,
        "name": event.name,
        "description": event.description,
        "event_date": event.event_date,
        "location": event.location,
        **_counts(
            sum(section["seat_count"] for section in sections),
            sum(section["held_count"] for section in sections),
            sum(section["reserved_count"] for section in sections),
            sum(section["blocked_count"] for section in sections),
            min(prices, default=None),
            max(prices, default=None),
        ),
        "currency": settings.CURRENCY,
        "is_open": not event.has_started(now),
        "hold_limit": settings.SEAT_HOLD_LIMIT,
        "ticket_limit": settings.TICKET_LIMIT_PER_CUSTOMER,
        "onsale_at": event.onsale_at,
        "queue": {
            "enabled": event.queue_enabled,
            "per_minute": event.queue_per_minute,
            "max_active": event.queue_max_active,
        },
    }


def seat_json(row: tuple, user_id: int | None, now: datetime) -> dict[str, Any]:
    """A seat from a ``selectors.SEAT_GRID_COLUMNS`` row, as seen by ``user_id`` at ``now``.

    A hold that has run out is shown as available; the hold's expiry is shown only to its holder.
    """
    seat_id, seat_number, section, row_label, number, x, y, price, status, holder_id, locked_until, access = (
        row
    )
    held = hold_is_active(status, locked_until, now)
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
        "status": shown_status(status, locked_until, now),
        "is_locked": held,
        "locked_by_me": mine,
        "locked_until": locked_until if mine else None,
        "accessibility": access or None,
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
        "currency": settings.CURRENCY,
        "created_at": reservation.created_at,
        "cancelled_at": reservation.cancelled_at,
    }
