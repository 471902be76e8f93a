"""Holding seats: one, several, the best available; giving holds up.

A hold whose ``locked_until`` has passed counts as available at once: every check compares with the
current time, so correctness never waits for ``release_expired_locks``.
"""

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BigIntegerField, Case, DateTimeField, Value, When
from django.utils import timezone

from .. import selectors
from ..best_available import FreeSeat, best_blocks
from ..exceptions import (
    HoldCooldown,
    HoldLimitReached,
    LockNotHeld,
    NotEnoughSeats,
    NotFound,
    SeatUnavailable,
    TicketLimitReached,
)
from ..models import Seat, SeatHistory, Section
from .rows import (
    AVAILABLE_FIELDS,
    Entry,
    customer_seats,
    ensure_open,
    hold_ended,
    hold_ends,
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


API = SeatHistory.Via.API
Action = SeatHistory.Action


def lock_seat(*, user: AbstractBaseUser, event_id: int, seat_id: int, via: str = API) -> Seat:
    """Hold one seat, or extend the caller's own hold of it (see ``hold_seats``)."""
    return hold_seats(user=user, event_id=event_id, seat_ids=[seat_id], via=via).seats[0]


def hold_seats(*, user: AbstractBaseUser, event_id: int, seat_ids: Sequence[int], via: str = API) -> Hold:
    """Hold every seat for ``SEAT_LOCK_SECONDS``, or none: seats the caller already holds are
    extended, up to ``SEAT_HOLD_MAX_EXTENSIONS`` lock periods after their hold began.

    Raises NotFound (a seat not of this event), EventClosed, SeatUnavailable (reserved, blocked or
    held by someone else; ``details.seat_ids`` names them), HoldCooldown (the caller's own hold of a seat
    ended less than a lock period ago), HoldLimitReached or TicketLimitReached.
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
        _check_cooldown(user, [seat for seat in seats if not seat.is_held_by(user.pk, now)], now)
        new = sum(1 for seat in seats if not seat.is_held_by(user.pk, now))
        _check_limits(seats[0].holder_holds, seats[0].holder_owns, new)
        hold = _take(user, seats, now, via)
    _log_holds(user, event_id, hold)
    return hold


def hold_best_available(
    *,
    user: AbstractBaseUser,
    event_id: int,
    count: int,
    section: str | None = None,
    max_price: Decimal | None = None,
    via: str = API,
) -> Hold:
    """Hold the best ``count`` free seats side by side (``reservations.best_available``'s rule),
    in ``section`` and at most ``max_price`` if given.

    Candidates are read without locks; the chosen block's rows are then locked with SKIP LOCKED
    and re-checked, so parallel requests never wait on each other's candidates and never get the
    same seat: a block someone else is taking is skipped for the next best; so are seats the caller
    gave up less than a lock period ago, and wheelchair spaces (kept for those who ask for them).
    Raises NotFound (the event or section), EventClosed, HoldLimitReached, TicketLimitReached or
    NotEnoughSeats.
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
        _check_limits(*customer_seats(user_id=user.pk, event_id=event_id, now=now), count)
        recently = now - timedelta(seconds=settings.SEAT_LOCK_SECONDS)
        free = (
            Seat.objects.free(now)
            .filter(event_id=event_id, section_id__in=middles)
            .exclude(previous_holder=user.pk, previous_hold_ended_at__gt=recently)  # their cooldown
            .exclude(locked_by=user.pk, locked_until__gt=recently)
            .exclude(accessibility=Seat.Accessibility.WHEELCHAIR)
        )
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
                hold = _take(user, seats, now, via)
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


def release_my_holds(*, user: AbstractBaseUser, event_id: int, via: str = API) -> int:
    """Give up all of the caller's holds of the event; the number of unexpired holds released."""
    now = timezone.now()
    with write_transaction():
        seats = locked_seats(event_id=event_id, locked_by=user.pk, status=Seat.Status.LOCKED)
        history = [hold_ended(seat, now, by_id=user.pk, via=via) for seat in seats]
        write_seats([seat.pk for seat in seats], now, history=history, **hold_ends(now), **AVAILABLE_FIELDS)
    for seat in seats:
        logger.info("seat.unhold user=%s event=%s seat=%s", user.pk, event_id, seat.pk)
    return sum(1 for seat in seats if seat.is_hold_active(now))


def unlock_seat(*, user: AbstractBaseUser, event_id: int, seat_id: int, via: str = API) -> Seat:
    """Give up the caller's own, unexpired hold. Raises NotFound or LockNotHeld."""
    now = timezone.now()
    with write_transaction():
        seats = lock_seats_by_id([seat_id], event_id=event_id)
        if not seats:
            raise NotFound("Seat not found for this event.")
        seat = seats[0]
        if not seat.is_held_by(user.pk, now):
            raise LockNotHeld(f"You do not hold seat {seat.seat_number}.")
        ended = {"previous_holder": user.pk, "previous_hold_ended_at": now}
        history = [Entry(seat.pk, event_id, Action.RELEASE, now, user.pk, user.pk, via)]
        write_seats([seat.pk], now, history=history, **ended, **AVAILABLE_FIELDS)
    for field, value in AVAILABLE_FIELDS.items():
        setattr(seat, field, value)
    logger.info("seat.unhold user=%s event=%s seat=%s", user.pk, event_id, seat.pk)
    return seat


def _taken_from(user: AbstractBaseUser, seat: Seat, now: datetime) -> bool:
    return seat.status in (Seat.Status.RESERVED, Seat.Status.BLOCKED) or (
        seat.is_hold_active(now) and seat.locked_by_id != user.pk
    )


_WHY_TAKEN = {Seat.Status.RESERVED: "already reserved", Seat.Status.BLOCKED: "not for sale"}


def _taken_message(taken: list[Seat], now: datetime) -> str:
    if len(taken) > 1:
        return f"Seats {', '.join(seat.seat_number for seat in taken)} are no longer available."
    seat = taken[0]
    return f"Seat {seat.seat_number} is {_WHY_TAKEN.get(seat.status, 'held by another customer')}."


def _check_limits(held: int, owned: int, new: int) -> None:
    """``held`` and ``owned``: the customer's seats in the event now (``rows.customer_seats``);
    ``new``: seats the request would add. The hold limit caps what one customer holds at once, the
    ticket limit what they hold and own together."""
    if not new:
        return
    if held + new > settings.SEAT_HOLD_LIMIT:
        raise HoldLimitReached(f"You can hold at most {settings.SEAT_HOLD_LIMIT} seats for this event.")
    limit = settings.TICKET_LIMIT_PER_CUSTOMER
    if held + owned + new > limit:
        raise TicketLimitReached(
            f"One customer can have at most {limit} tickets for this event; you hold {held} and have "
            f"{owned}.",
            details={"limit": limit, "held": held, "reserved": owned},
        )


def _check_cooldown(user: AbstractBaseUser, seats: list[Seat], now: datetime) -> None:
    """A customer whose hold of a seat ended (given up, released, or run out) less than a lock period
    ago may not take it again yet: a hold cannot be stretched past its extension cap by letting go
    and taking it back. Others may hold it meanwhile."""
    period = timedelta(seconds=settings.SEAT_LOCK_SECONDS)
    waits = {}
    for seat in seats:
        if seat.status == Seat.Status.LOCKED and seat.locked_by_id == user.pk:  # their hold ran out
            ended = seat.locked_until
        elif seat.previous_holder_id == user.pk:
            ended = seat.previous_hold_ended_at
        else:
            continue
        if ended + period > now:
            waits[seat.pk] = math.ceil((ended + period - now).total_seconds())
    if waits:
        retry_after = max(waits.values())
        raise HoldCooldown(
            f"You gave up {'this seat' if len(waits) == 1 else 'these seats'} a moment ago: others may "
            f"hold {'it' if len(waits) == 1 else 'them'} first. Try again in {retry_after} seconds.",
            details={"retry_after": retry_after, "seat_ids": sorted(waits)},
        )


def _take(user: AbstractBaseUser, seats: list[Seat], now: datetime, via: str) -> Hold:
    """Write the holds of locked rows ``seats``: new ones from now, the caller's own extended; and
    their history (a hold that ran out first gets its ``expire``)."""
    period = timedelta(seconds=settings.SEAT_LOCK_SECONDS)
    ran_out = False
    history = []
    for seat in seats:
        if seat.is_held_by(user.pk, now):
            cap = seat.locked_at + period * settings.SEAT_HOLD_MAX_EXTENSIONS
            seat.locked_until = max(min(now + period, cap), seat.locked_until)
        else:
            if seat.status == Seat.Status.LOCKED:  # a hold that ran out: remember whose, and when
                history.append(hold_ended(seat, now, by_id=None, via=via))
                seat.previous_holder_id, seat.previous_hold_ended_at = seat.locked_by_id, seat.locked_until
                ran_out = True
            seat.locked_at, seat.locked_until = now, now + period
        seat.status, seat.locked_by_id = Seat.Status.LOCKED, user.pk
        history.append(Entry(seat.pk, seat.event_id, Action.HOLD, now, user.pk, user.pk, via))
    fields = {"status": Seat.Status.LOCKED, "locked_by": user.pk}
    for field in (
        "locked_at",
        "locked_until",
        *(("previous_holder", "previous_hold_ended_at") if ran_out else ()),
    ):
        fields[field] = _per_seat(seats, field)
    write_seats([seat.pk for seat in seats], now, history=history, **fields)
    return Hold(seats, min(seat.locked_until for seat in seats))


def _per_seat(seats: list[Seat], field: str):
    """The seats' value of ``field`` for one UPDATE: the value itself when all share it, or a CASE
    by seat (extended holds keep their own start; holds that ran out have their own holder)."""
    attname = Seat._meta.get_field(field).attname
    values = {getattr(seat, attname) for seat in seats}
    if len(values) == 1:
        return values.pop()
    output = DateTimeField() if field != "previous_holder" else BigIntegerField()
    return Case(
        *(When(pk=seat.pk, then=Value(getattr(seat, attname))) for seat in seats), output_field=output
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
