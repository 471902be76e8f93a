"""Creating and deleting events with their sections and seats, and changing seat prices."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from .. import layouts
from ..exceptions import InvalidRequest, NotFound, SeatUnavailable
from ..layouts import PlannedSection
from ..models import Event, Reservation, ReservationSeat, Seat, Section, Venue
from .rows import locked_seats, write_seats, write_transaction

SEATS_PER_ROW_DEFAULT = 10
_SEAT_CREATE_BATCH = 5000
_ANALYZE_AFTER = 10_000


def seat_plan(
    *,
    venue: Venue | None = None,
    total_seats: int = 0,
    seats_per_row: int = SEATS_PER_ROW_DEFAULT,
    seat_price: Decimal = Decimal("100.00"),
) -> list[PlannedSection]:
    """The sections and seats an event gets: its venue's layout, or one section "Main" of
    ``total_seats`` in rows of ``seats_per_row``. Raises InvalidRequest for a layout or counts
    that cannot be used."""
    if venue is not None:
        try:
            return layouts.plan(venue.layout)
        except layouts.LayoutError as error:
            raise InvalidRequest(f"The layout of {venue.name} cannot be used: {error}") from None
    if total_seats < 0 or seats_per_row < 1:
        raise InvalidRequest("An event needs zero or more seats in rows of at least one seat.")
    return layouts.simple_plan(total_seats=total_seats, seats_per_row=seats_per_row, price=seat_price)


def create_event(
    *,
    name: str,
    event_date: datetime,
    location: str = "",
    description: str = "",
    venue: Venue | None = None,
    total_seats: int = 0,
    seats_per_row: int = SEATS_PER_ROW_DEFAULT,
    seat_price: Decimal = Decimal("100.00"),
) -> Event:
    """Create an event and its seats in one transaction: in a venue (its layout, today), or
    ``total_seats`` in rows of ``seats_per_row`` at ``seat_price`` ("A1".."A10", "B1"..).
    The API, the admin, the demo data and the tests all create events here."""
    sections = seat_plan(
        venue=venue, total_seats=total_seats, seats_per_row=seats_per_row, seat_price=seat_price
    )
    with write_transaction():
        event = Event.objects.create(
            name=name,
            event_date=event_date,
            location=location or (venue.name if venue else ""),
            description=description,
            venue=venue,
            total_seats=layouts.seat_count(sections),
            seat_price=min((section.price for section in sections), default=seat_price),
            stage=venue.layout.get("stage") if venue else None,
        )
        add_seats(event=event, sections=sections)
    return event


def add_seats(*, event: Event, sections: Sequence[PlannedSection]) -> None:
    """Generate the planned sections and seats of a new event (bulk inserts)."""
    single = len(sections) == 1
    boxes = [planned.box for planned in sections]
    created = Section.objects.bulk_create(
        Section(
            event=event,
            name=planned.name,
            position=position,
            x=x,
            y=y,
            width=width,
            height=height,
            angle=planned.angle,
        )
        for position, (planned, (x, y, width, height)) in enumerate(zip(sections, boxes, strict=True))
    )
    seats = [
        Seat(
            event=event,
            section=section,
            seat_number=layouts.seat_number(planned, seat, single=single),
            row=seat.row,
            number=seat.number,
            x=seat.x,
            y=seat.y,
            price=planned.price,
            accessibility=seat.accessibility or "",
        )
        for section, planned in zip(created, sections, strict=True)
        for seat in planned.seats
    ]
    Seat.objects.bulk_create(seats, batch_size=_SEAT_CREATE_BATCH)
    if len(seats) >= _ANALYZE_AFTER and connection.vendor == "postgresql":
        # A big hall is usually created just before its on-sale: give the planner the new row
        # counts now rather than when autovacuum next looks, or the feed's and the grid's index
        # lookups may be planned as scans of the seats.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Seat._meta.db_table}")


def delete_event(*, event: Event) -> None:
    """Delete an event with its seats and reservations (demo data reset)."""
    with write_transaction():
        ReservationSeat.objects.filter(reservation__event=event).delete()
        Reservation.objects.filter(event=event).delete()
        event.delete()


def change_seat_prices(*, seat_ids: Sequence[int], price: Decimal) -> int:
    """Set the price of seats nobody holds or owns, all or none; the number of seats changed.

    A reserved seat keeps the price it was sold at (its reservation's total is the sum of its
    seats' prices), and a held seat the price its holder saw: both are refused with
    SeatUnavailable (``details.seat_ids``). Raises NotFound for an unknown seat, InvalidRequest for
    a negative price.
    """
    if price < 0:
        raise InvalidRequest("A price cannot be negative.")
    ids = sorted(set(seat_ids))
    now = timezone.now()
    with write_transaction():
        seats = locked_seats(pk__in=ids)
        if len(seats) != len(ids):
            raise NotFound("Seat not found.")
        taken = [seat for seat in seats if seat.effective_status(now) != Seat.Status.AVAILABLE]
        if taken:
            numbers = ", ".join(seat.seat_number for seat in taken)
            raise SeatUnavailable(
                f"The price of a held or reserved seat cannot change ({numbers}).",
                details={"seat_ids": [seat.pk for seat in taken]},
            )
        return write_seats([seat.pk for seat in seats if seat.price != price], now, price=price)
