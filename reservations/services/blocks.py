"""Blocking seats: held back from sale by staff (house seats, a camera position, a broken seat), and
put on sale again. A blocked seat cannot be held, reserved or picked by best available."""

import logging
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from ..exceptions import InvalidRequest, NotFound, SeatUnavailable
from ..models import Seat, SeatHistory
from .rows import AVAILABLE_FIELDS, Entry, hold_ended, hold_ends, locked_seats, write_seats, write_transaction

logger = logging.getLogger("reservations")

# Seats one request may block or unblock: a whole block of a stadium is a few requests, and no
# transaction holds more row locks than this at once.
BLOCK_LIMIT = 1000


def block_seats(
    *,
    by: AbstractBaseUser | None,
    event_id: int,
    seat_ids: Sequence[int],
    reason: str = "",
    via: str = SeatHistory.Via.API,
) -> int:
    """Hold the seats back from sale (``by`` a member of staff, or None: a command), all or none;
    the number newly blocked (seats already blocked stay so). A hold that has run out does not
    stand in the way (its ``expire`` is written first).

    Raises InvalidRequest (no seats, more than ``BLOCK_LIMIT``), NotFound (a seat not of this
    event) or SeatUnavailable (reserved, or held with an unexpired hold; ``details.seat_ids``).
    """
    ids = _checked(seat_ids)
    now = timezone.now()
    with write_transaction():
        seats = _locked(ids, event_id)
        taken = [seat for seat in seats if seat.status == Seat.Status.RESERVED or seat.is_hold_active(now)]
        if taken:
            numbers = ", ".join(seat.seat_number for seat in taken)
            raise SeatUnavailable(
                f"A held or reserved seat cannot be blocked ({numbers}).",
                details={"seat_ids": [seat.pk for seat in taken]},
            )
        seats = [seat for seat in seats if seat.status != Seat.Status.BLOCKED]
        by_id = by.pk if by else None
        history = []
        for seat in seats:
            if seat.status == Seat.Status.LOCKED:
                history.append(hold_ended(seat, now, by_id=None, via=via))
            history.append(Entry(seat.pk, event_id, SeatHistory.Action.BLOCK, now, None, by_id, via, reason))
        ran_out = any(seat.status == Seat.Status.LOCKED for seat in seats)
        write_seats(
            [seat.pk for seat in seats],
            now,
            history=history,
            **(hold_ends(now) if ran_out else {}),
            **{**AVAILABLE_FIELDS, "status": Seat.Status.BLOCKED},
        )
    logger.info(
        "seat.block by=%s event=%s seats=%s", by and by.pk, event_id, ",".join(str(s.pk) for s in seats)
    )
    return len(seats)


def unblock_seats(
    *, by: AbstractBaseUser | None, event_id: int, seat_ids: Sequence[int], via: str = SeatHistory.Via.API
) -> int:
    """Put blocked seats on sale again, all or none; the number unblocked (seats that were not
    blocked are left as they are). Raises InvalidRequest or NotFound (a seat not of this event)."""
    ids = _checked(seat_ids)
    now = timezone.now()
    with write_transaction():
        seats = [seat for seat in _locked(ids, event_id) if seat.status == Seat.Status.BLOCKED]
        unblock = SeatHistory.Action.UNBLOCK
        history = [Entry(seat.pk, event_id, unblock, now, None, by.pk if by else None, via) for seat in seats]
        write_seats([seat.pk for seat in seats], now, history=history, **AVAILABLE_FIELDS)
    logger.info(
        "seat.unblock by=%s event=%s seats=%s", by and by.pk, event_id, ",".join(str(s.pk) for s in seats)
    )
    return len(seats)


def _checked(seat_ids: Sequence[int]) -> list[int]:
    ids = sorted(set(seat_ids))
    if not ids:
        raise InvalidRequest("Choose at least one seat.", details={"seat_ids": ["Choose at least one seat."]})
    if len(ids) > BLOCK_LIMIT:
        message = f"At most {BLOCK_LIMIT} seats at a time."
        raise InvalidRequest(message, details={"seat_ids": [message]})
    return ids


def _locked(ids: list[int], event_id: int) -> list[Seat]:
    seats = locked_seats(pk__in=ids, event_id=event_id)
    if len(seats) != len(ids):
        raise NotFound(
            "Seat not found for this event." if len(ids) == 1 else "A seat was not found for this event."
        )
    return seats
