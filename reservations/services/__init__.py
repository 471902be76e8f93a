"""Every write of the seat domain, by verb: ``events`` (events, their seats, prices), ``holds``,
``reservations``, ``blocks`` (seats held back from sale) and ``housekeeping`` (tidying jobs), on
the lock pattern of ``rows``; each also writes the seats' history (``rows.write_seats``).

Views, admin actions, the scheduler's jobs and the management commands call these functions (by
the names below) and never repeat their queries.
"""

from .blocks import BLOCK_LIMIT, block_seats, unblock_seats
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
from .rows import Entry, record_history, write_transaction, write_with_history

__all__ = [
    "BLOCK_LIMIT",
    "RELEASE_CHUNK_SIZE",
    "SEATS_PER_ROW_DEFAULT",
    "Entry",
    "Hold",
    "ReleasedHold",
    "add_seats",
    "block_seats",
    "cancel_reservation",
    "change_seat_prices",
    "create_event",
    "delete_event",
    "hold_best_available",
    "hold_seats",
    "lock_seat",
    "prune_old_records",
    "prune_seat_changes",
    "record_history",
    "release_expired_locks",
    "release_holds",
    "release_my_holds",
    "reserve_seats",
    "seat_plan",
    "unblock_seats",
    "unlock_seat",
    "write_transaction",
    "write_with_history",
]
