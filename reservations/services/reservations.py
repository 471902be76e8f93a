"""Reserving held seats, and cancelling reservations."""

import logging
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .. import hooks
from ..exceptions import (
    Forbidden,
    InvalidRequest,
    LockNotHeld,
    NotCancellable,
    NotFound,
    SeatUnavailable,
    TicketLimitReached,
)
from ..models import Reservation, ReservationSeat, Seat, SeatHistory
from .rows import (
    AVAILABLE_FIELDS,
    Entry,
    ensure_open,
    lock_seats_by_id,
    locked_seats,
    write_seats,
    write_transaction,
)

logger = logging.getLogger("reservations")


def reserve_seats(
    *, user: AbstractBaseUser, event_id: int, seat_ids: Sequence[int], via: str = SeatHistory.Via.API
) -> Reservation:
    """Turn the caller's holds into one confirmed reservation, all or nothing.

    Every seat must belong to the event and be held by the caller with an unexpired hold.
    Raises NotFound, EventClosed, SeatUnavailable (a blocked seat), LockNotHeld or
    TicketLimitReached; on any error nothing changes.
    The reservation's ``seat_numbers`` are read inside the transaction: an answer built from them
    never needs the database after the commit (where a lost connection would turn a success into
    "try again").
    """
    now = timezone.now()
    ids = sorted(set(seat_ids))
    if not ids:
        raise InvalidRequest("Choose at least one seat.")
    with write_transaction():
        seats = lock_seats_by_id(ids, event_id=event_id, holds_of=user.pk, now=now)
        if len(seats) != len(ids):
            raise NotFound("One or more seats were not found for this event.")
        ensure_open(seats[0].event_name, seats[0].event_date, now)
        not_held = [seat for seat in seats if not seat.is_held_by(user.pk, now)]
        blocked = [seat for seat in not_held if seat.status == Seat.Status.BLOCKED]
        if blocked:
            raise SeatUnavailable(
                f"Seat(s) {', '.join(seat.seat_number for seat in blocked)} are not for sale.",
                details={"seat_ids": [seat.pk for seat in blocked]},
            )
        if not_held:
            numbers = ", ".join(seat.seat_number for seat in not_held)
            raise LockNotHeld(
                f"You do not hold seat(s) {numbers}; the hold may have expired.",
                details={"seat_ids": [seat.pk for seat in not_held]},
            )
        # Held seats were counted against the ticket limit when they were taken; this holds it
        # should the limit have been lowered since.
        limit = settings.TICKET_LIMIT_PER_CUSTOMER
        if seats[0].holder_owns + len(ids) > limit:
            raise TicketLimitReached(
                f"One customer can have at most {limit} tickets for this event; you have "
                f"{seats[0].holder_owns}.",
                details={"limit": limit, "reserved": seats[0].holder_owns},
            )
        reservation = Reservation.objects.create(
            user=user,
            event_id=event_id,
            status=Reservation.Status.CONFIRMED,
            total_price=sum((seat.price for seat in seats), Decimal("0.00")),
        )
        ReservationSeat.objects.bulk_create(
            [ReservationSeat(reservation=reservation, seat=seat) for seat in seats]
        )
        reservation.seat_numbers = [seat.seat_number for seat in seats]
        write_seats(
            ids,
            now,
            status=Seat.Status.RESERVED,
            reserved_by=user.pk,
            reserved_at=now,
            locked_by=None,
            locked_at=None,
            locked_until=None,
            history=[
                Entry(seat_id, event_id, SeatHistory.Action.RESERVE, now, user.pk, user.pk, via)
                for seat_id in ids
            ],
        )
        hooks.reservation_confirmed.send(sender=Reservation, reservation=reservation, seats=seats)
    logger.info(
        "reservation.confirm user=%s event=%s reservation=%s seats=%s",
        user.pk,
        event_id,
        reservation.pk,
        ",".join(map(str, ids)),
    )
    return reservation


def cancel_reservation(
    *, user: AbstractBaseUser, reservation_id: int, via: str = SeatHistory.Via.API
) -> Reservation:
    """Cancel a reservation (its owner, or staff) before the event starts; seats become available.

    Raises NotFound, Forbidden or NotCancellable.
    """
    now = timezone.now()
    with write_transaction():
        reservation = (
            Reservation.objects.select_for_update(of=("self",))
            .select_related("event")
            .filter(pk=reservation_id)
            .first()
        )
        if reservation is None:
            raise NotFound("Reservation not found.")
        if reservation.user_id != user.pk and not user.is_staff:
            raise Forbidden("You can only cancel your own reservations.")
        if reservation.status == Reservation.Status.CANCELLED:
            raise NotCancellable("This reservation is already cancelled.")
        if reservation.event.has_started(now):
            raise NotCancellable("The event has started; the reservation can no longer be cancelled.")
        seat_ids = [seat.pk for seat in locked_seats(reservation_seats__reservation=reservation)]
        ReservationSeat.objects.filter(reservation=reservation).update(is_active=False)
        owner, cancel = reservation.user_id, SeatHistory.Action.CANCEL
        history = [
            Entry(seat_id, reservation.event_id, cancel, now, owner, user.pk, via) for seat_id in seat_ids
        ]
        write_seats(seat_ids, now, history=history, **AVAILABLE_FIELDS)
        reservation.status = Reservation.Status.CANCELLED
        reservation.cancelled_at = now
        reservation.save(update_fields=["status", "cancelled_at", "updated_at"])
        hooks.reservation_cancelled.send(sender=Reservation, reservation=reservation)
    logger.info(
        "reservation.cancel user=%s by=%s reservation=%s seats=%s",
        reservation.user_id,
        user.pk,
        reservation.pk,
        ",".join(map(str, seat_ids)),
    )
    return reservation
