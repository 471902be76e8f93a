"""Tidying: holds that ran out, and records past their use. The jobs of the scheduler, the admin's
"release" actions and ``manage.py release_expired_locks`` call these; nothing waits for them to be
correct (an expired hold is free at once)."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from ..models import Event, IdempotentRequest, Seat, SeatChange, SeatHistory, free_q
from .rows import AVAILABLE_FIELDS, hold_ended, hold_ends, write_seats, write_transaction

logger = logging.getLogger("reservations")

RELEASE_CHUNK_SIZE = 5000


@dataclass(frozen=True)
class ReleasedHold:
    seat_id: int
    seat_number: str
    event_id: int
    event_name: str
    user_id: int


def release_expired_locks(
    *,
    chunk_size: int = RELEASE_CHUNK_SIZE,
    by: AbstractBaseUser | None = None,
    via: str = SeatHistory.Via.SCHEDULER,
) -> list[ReleasedHold]:
    """Tidy holds that have run out, in chunks of set-based UPDATEs (each seat's history gets its
    ``expire``, dated at the hold's ``locked_until``).

    Safe to run at the same time as itself and as lock/reserve: rows are taken with
    ``FOR UPDATE SKIP LOCKED`` and the expiry is re-checked on the locked rows, so a seat that
    someone is re-holding right now is left alone, and two cleaners never release the same hold.
    """
    return _release_holds(free_q(timezone.now()), chunk_size=chunk_size, by=by, via=via)


def prune_old_records() -> int:
    """Delete the change feed's and the idempotency keys' records that are past their use."""
    keys_before = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_KEY_SECONDS)
    keys, _ = IdempotentRequest.objects.filter(created_at__lt=keys_before).delete()
    return prune_seat_changes() + keys


def prune_seat_changes(*, chunk_size: int = RELEASE_CHUNK_SIZE) -> int:
    """Delete the change feed's records older than ``SEAT_FEED_RETENTION_SECONDS`` (a reader that
    far behind gets the whole grid again), in chunks so that no statement runs long."""
    before = timezone.now() - timedelta(seconds=settings.SEAT_FEED_RETENTION_SECONDS)
    pruned = 0
    while True:
        chunk = SeatChange.objects.filter(changed_at__lt=before).order_by("changed_at")[:chunk_size]
        deleted, _ = SeatChange.objects.filter(pk__in=list(chunk.values_list("pk", flat=True))).delete()
        pruned += deleted
        if deleted < chunk_size:
            return pruned


def release_holds(
    *, seat_ids: Sequence[int], by: AbstractBaseUser | None = None, via: str = SeatHistory.Via.ADMIN
) -> list[ReleasedHold]:
    """Release the given holds now, expired or not (staff action in the admin)."""
    return _release_holds(Q(pk__in=list(seat_ids)), by=by, via=via)


def _release_holds(
    condition: Q, *, by: AbstractBaseUser | None, via: str, chunk_size: int = RELEASE_CHUNK_SIZE
) -> list[ReleasedHold]:
    now = timezone.now()
    released: list[ReleasedHold] = []
    while True:
        with write_transaction():
            rows = list(
                Seat.objects.select_for_update(skip_locked=True, no_key=True)
                .filter(condition, status=Seat.Status.LOCKED)
                .order_by("pk")
                .only("pk", "seat_number", "event_id", "status", "locked_by_id", "locked_until")[:chunk_size]
            )
            if not rows:
                break
            history = [hold_ended(seat, now, by_id=by.pk if by else None, via=via) for seat in rows]
            write_seats(
                [seat.pk for seat in rows], now, history=history, **hold_ends(now), **AVAILABLE_FIELDS
            )
        names = dict(Event.objects.filter(pk__in={seat.event_id for seat in rows}).values_list("pk", "name"))
        for seat in rows:
            released.append(
                ReleasedHold(
                    seat.pk, seat.seat_number, seat.event_id, names[seat.event_id], seat.locked_by_id
                )
            )
            logger.info("seat.release user=%s event=%s seat=%s", seat.locked_by_id, seat.event_id, seat.pk)
        if len(rows) < chunk_size:
            break
    return released
