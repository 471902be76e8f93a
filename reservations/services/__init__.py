"""Every write of the seat domain, by verb: ``events`` (events, their seats, prices), ``holds``,
``reservations`` and ``housekeeping`` (tidying jobs), on the lock pattern of ``rows``.

Views, admin actions, the scheduler's jobs and the management commands call these functions (by
the names below) and never repeat their queries.
"""

from .events import (
    SEATS_PER_ROW_DEFAULT,
    add_seats,
    change_seat_prices,
    create_event,
    delete_event,
    seat_plan,
)
from .holds import Hold, hold_best_available, hold_seats, lock_seat, release_my_holds, unlock_seat
from .housekeeping import (
    RELEASE_CHUNK_SIZE,
    ReleasedHold,
    prune_old_records,
    prune_seat_changes,
    release_expired_locks,
    release_holds,
)
from .reservations import cancel_reservation, reserve_seats
from .rows import write_transaction

__all__ = [
    "RELEASE_CHUNK_SIZE",
    "SEATS_PER_ROW_DEFAULT",
    "Hold",
    "ReleasedHold",
    "add_seats",
    "cancel_reservation",
    "change_seat_prices",
    "create_event",
    "delete_event",
    "hold_best_available",
    "hold_seats",
    "lock_seat",
    "prune_old_records",
    "prune_seat_changes",
    "release_expired_locks",
    "release_holds",
    "release_my_holds",
    "reserve_seats",
    "seat_plan",
    "unlock_seat",
    "write_transaction",
]
