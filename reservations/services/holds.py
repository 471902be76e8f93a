"""Holding seats: one, several, the best available; giving holds up.

A hold whose ``locked_until`` has passed counts as available at once: every check compares with the
current time, so correctness never waits for ``release_expired_locks``.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone

from .. import selectors
from ..best_available import FreeSeat, best_blocks
from ..exceptions import HoldLimitReached, LockNotHeld, NotEnoughSeats, NotFound, SeatUnavailable
from ..models import Seat, Section
from .rows import (
    AVAILABLE_FIELDS,
    ensure_open,
    holder_holds,
    lock_seats_by_id,
    locked_seats,
    serialise_customer,
    write_seats,
    write_transaction,
)

logger = logging.getLogger("reservations")

_BEST_AVAILABLE_ATTEMPTS = 50


@dataclass(frozen=True)
class Hold:
    """Seats now held by one customer (their rows as written, each with ``section_name``), and when
    the first of those holds runs out."""

    seats: list[Seat]
    locked_until: datetime


def lock_seat(*, user: AbstractBaseUser, event_id: int, seat_id: int) -> Seat:
    """Hold one seat, or extend the caller's own hold of it (see ``hold_seats``)."""
    return hold_seats(user=user, event_id=event_id, seat_ids=[seat_id]).seats[0]


def hold_seats(*, user: AbstractBaseUser, event_id: int, seat_ids: Sequence[int]) -> Hold:
    """Hold every seat for ``SEAT_LOCK_SECONDS``, or none: seats the caller already holds are
    extended, up to ``SEAT_HOLD_MAX_EXTENSIONS`` lock periods after their hold began.

    Raises NotFound (a seat not of this event), EventClosed, SeatUnavailable (reserved or held by
    someone else; ``details.seat_ids`` names them) or HoldLimitReached.
    """
    now = timezone.now()
    ids = sorted(set(seat_ids))
    with write_transaction():
        serialise_customer(user.pk)
        seats = lock_seats_by_id(ids, event_id=event_id, holds_of=user.pk, now=now)
        if len(seats) != len(ids):
            raise NotFound(
                "Seat not found for this event." if len(ids) == 1 else "A seat was not found for this event."
            )
        ensure_open(seats[0].event_name, seats[0].event_date, now)
        taken = [seat for seat in seats if _taken_from(user, seat, now)]
        if taken:
            raise SeatUnavailable(
                _taken_message(taken, now), details={"seat_ids": [seat.pk for seat in taken]}
            )
        new = sum(1 for seat in seats if not seat.is_held_by(user.pk, now))
        _check_hold_limit(seats[0].holder_holds, new)
        hold = _take(user, seats, now)
    _log_holds(user, event_id, hold)
    return hold


def hold_best_available(
    *,
    user: AbstractBaseUser,
    event_id: int,
    count: int,
    section: str | None = None,
    max_price: Decimal | None = None,
) -> Hold:
    """Hold the best ``count`` free seats side by side (``reservations.best_available``'s rule),
    in ``section`` and at most ``max_price`` if given.

    Candidates are read without locks; the chosen block's rows are then locked with SKIP LOCKED
    and re-checked, so parallel requests never wait on each other's candidates and never get the
    same seat: a block someone else is taking is skipped for the next best. Raises NotFound (the
    event or section), EventClosed, HoldLimitReached or NotEnoughSeats.
    """
    now = timezone.now()
    with write_transaction():
        serialise_customer(user.pk)
        event = selectors.get_event(event_id)
        ensure_open(event.name, event.event_date, now)
        middles = {
            pk: x + (width - 1) / 2
            for pk, name, x, width in Section.objects.filter(event_id=event_id).values_list(
                "pk", "name", "x", "width"
            )
            if section is None or name == section
        }
        if not middles:
            raise NotFound("Section not found for this event.")
        _check_hold_limit(holder_holds(user_id=user.pk, event_id=event_id, now=now), count)
        free = Seat.objects.free(now).filter(event_id=event_id, section_id__in=middles)
        if max_price is not None:
            free = free.filter(price__lte=max_price)
        candidates = {
            row[0]: FreeSeat(*row) for row in free.values_list("pk", "section_id", "row", "number", "x", "y")
        }
        for _ in range(_BEST_AVAILABLE_ATTEMPTS):
            best = best_blocks(candidates.values(), count, middles, limit=1)
            if not best:
                break
            seats = lock_seats_by_id(best[0], event_id=event_id, free_at=now, skip_locked=True)
            if len(seats) == count:
                hold = _take(user, seats, now)
                break
            # Someone else is taking the others right now: leave them out and choose again. The
            # rows locked here stay ours until the commit, and stay candidates.
            for seat_id in set(best[0]) - {seat.pk for seat in seats}:
                del candidates[seat_id]
        else:
            best = []
        if not best:
            where = f" in {section}" if section else ""
            raise NotEnoughSeats(f"There are no {count} seats side by side left{where}.")
    _log_holds(user, event_id, hold)
    return hold


def release_my_holds(*, user: AbstractBaseUser, event_id: int) -> int:
    """Give up all of the caller's holds of the event; the number of unexpired holds released."""
    now = timezone.now()
    with write_transaction():
        seats = locked_seats(event_id=event_id, locked_by=user.pk, status=Seat.Status.LOCKED)
        write_seats([seat.pk for seat in seats], now, **AVAILABLE_FIELDS)
    for seat in seats:
        logger.info("seat.unhold user=%s event=%s seat=%s", user.pk, event_id, seat.pk)
    return sum(1 for seat in seats if seat.is_hold_active(now))


def unlock_seat(*, user: AbstractBaseUser, event_id: int, seat_id: int) -> Seat:
    """Give up the caller's own, unexpired hold. Raises NotFound or LockNotHeld."""
    now = timezone.now()
    with write_transaction():
        seats = lock_seats_by_id([seat_id], event_id=event_id)
        if not seats:
            raise NotFound("Seat not found for this event.")
        seat = seats[0]
        if not seat.is_held_by(user.pk, now):
            raise LockNotHeld(f"You do not hold seat {seat.seat_number}.")
        write_seats([seat.pk], now, **AVAILABLE_FIELDS)
    for field, value in AVAILABLE_FIELDS.items():
        setattr(seat, field, value)
    logger.info("seat.unhold user=%s event=%s seat=%s", user.pk, event_id, seat.pk)
    return seat


def _taken_from(user: AbstractBaseUser, seat: Seat, now: datetime) -> bool:
    return seat.status == Seat.Status.RESERVED or (seat.is_hold_active(now) and seat.locked_by_id != user.pk)


def _taken_message(taken: list[Seat], now: datetime) -> str:
    if len(taken) > 1:
        return f"Seats {', '.join(seat.seat_number for seat in taken)} are no longer available."
    seat = taken[0]
    why = "already reserved" if seat.status == Seat.Status.RESERVED else "held by another customer"
    return f"Seat {seat.seat_number} is {why}."


def _check_hold_limit(held: int, new: int) -> None:
    """``held``: the customer's holds in the event now (``rows.holder_holds``); ``new``: seats the
    request would add."""
    if new and held + new > settings.SEAT_HOLD_LIMIT:
        raise HoldLimitReached(f"You can hold at most {settings.SEAT_HOLD_LIMIT} seats for this event.")


def _take(user: AbstractBaseUser, seats: list[Seat], now: datetime) -> Hold:
    """Write the holds of locked rows ``seats``: new ones from now, the caller's own extended."""
    period = timedelta(seconds=settings.SEAT_LOCK_SECONDS)
    for seat in seats:
        if seat.is_held_by(user.pk, now):
            cap = seat.locked_at + period * settings.SEAT_HOLD_MAX_EXTENSIONS
            seat.locked_until = max(min(now + period, cap), seat.locked_until)
        else:
            seat.locked_at, seat.locked_until = now, now + period
        seat.status, seat.locked_by_id = Seat.Status.LOCKED, user.pk
    starts = {seat.locked_at for seat in seats}
    ends = {seat.locked_until for seat in seats}
    write_seats(
        [seat.pk for seat in seats],
        now,
        status=Seat.Status.LOCKED,
        locked_by=user.pk,
        locked_at=starts.pop() if len(starts) == 1 else _per_seat(seats, "locked_at"),
        locked_until=ends.pop() if len(ends) == 1 else _per_seat(seats, "locked_until"),
    )
    return Hold(seats, min(seat.locked_until for seat in seats))


def _per_seat(seats: list[Seat], field: str) -> Case:
    """One UPDATE for seats whose values differ (extended holds keep their own start)."""
    return Case(
        *(When(pk=seat.pk, then=Value(getattr(seat, field))) for seat in seats), output_field=DateTimeField()
    )


def _log_holds(user: AbstractBaseUser, event_id: int, hold: Hold) -> None:
    for seat in hold.seats:
        logger.info(
            "seat.hold user=%s event=%s seat=%s until=%s",
            user.pk,
            event_id,
            seat.pk,
            seat.locked_until.isoformat(),
        )
