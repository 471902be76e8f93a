"""Every write of the seat domain.

Views, admin actions, the scheduler job and the management commands call these functions and never
repeat their queries. Each write is one short ``transaction.atomic()`` block (``write_transaction``,
which also sets its own timeouts behind PgBouncer) that:

1. takes ``SELECT ... FOR UPDATE`` on the seat rows it will change, in ascending id order, so two
   transactions never wait on each other in a cycle;
2. re-checks the state once the rows are locked;
3. writes with set-based UPDATEs (the number of queries does not grow with the number of seats).

Every UPDATE of a seat's state is also logged for the change feed, by a database trigger
(migration 0003), in the same transaction.

A hold whose ``locked_until`` has passed counts as available at once: every check below compares
with the current time, so correctness never waits for ``release_expired_locks``.
"""

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from . import layouts, selectors
from .best_available import FreeSeat, best_blocks
from .exceptions import (
    EventClosed,
    Forbidden,
    HoldLimitReached,
    InvalidRequest,
    LockNotHeld,
    NotCancellable,
    NotEnoughSeats,
    NotFound,
    SeatUnavailable,
)
from .layouts import PlannedSection
from .models import Event, IdempotentRequest, Reservation, ReservationSeat, Seat, SeatChange, Section, Venue

logger = logging.getLogger("reservations")

SEATS_PER_ROW_DEFAULT = 10
RELEASE_CHUNK_SIZE = 5000
_SEAT_CREATE_BATCH = 5000
_ANALYZE_AFTER = 10_000
_BEST_AVAILABLE_ATTEMPTS = 50

# Field values that return a seat to "available" (the status check constraint wants all of them).
_AVAILABLE_FIELDS = {
    "status": Seat.Status.AVAILABLE,
    "locked_by": None,
    "locked_at": None,
    "locked_until": None,
    "reserved_by": None,
    "reserved_at": None,
}


@contextmanager
def write_transaction() -> Iterator[None]:
    """``transaction.atomic()`` for a short write. Behind PgBouncer in transaction mode
    (``DB_TRANSACTION_POOLING``) no session setting can be trusted, so the transaction sets its own
    lock and statement timeouts first (SET LOCAL: they end with it), and a row lock still not
    granted in time answers 503 ``busy``."""
    with transaction.atomic():
        if settings.DB_TRANSACTION_POOLING and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "; ".join(
                        f"SET LOCAL {name} = {int(value)}" for name, value in settings.DB_TIMEOUTS.items()
                    )
                )
        yield


def _locked_seats(*conditions: Q, **filters) -> "list[Seat]":
    """The matching seat rows, locked for update in ascending id order (no deadlocks).

    ``of=("self",)`` keeps the lock on the seat rows only, and ``no_key=True`` (FOR NO KEY UPDATE)
    still lets reservations insert rows that point at them.
    """
    return list(
        Seat.objects.select_for_update(of=("self",), no_key=True)
        .filter(*conditions, **filters)
        .order_by("pk")
    )


# The hot paths (holds, releases, reservations) lock their seats and write them with the two
# hand-written statements below: profiled under load, the ORM spent longer building these queries
# than PostgreSQL spent answering them (bench/README.md). They take the same rows, the same lock
# (FOR NO KEY UPDATE OF the seats only) in the same ascending id order as ``_locked_seats``.
_SEAT, _SECTION, _EVENT = Seat._meta.db_table, Section._meta.db_table, Event._meta.db_table
_FREE_SQL = "(s.status = 'available' OR (s.status = 'locked' AND s.locked_until <= %s))"


def _lock_seats_by_id(
    ids: Sequence[int],
    *,
    event_id: int,
    holds_of: int | None = None,
    free_at: datetime | None = None,
    skip_locked: bool = False,
    now: datetime | None = None,
) -> "list[Seat]":
    """Lock the seats ``ids`` of the event, in id order. Each row also carries ``section_name``,
    ``event_name`` and ``event_date``; with ``holds_of``, ``holder_holds``: how many unexpired
    holds that user has in the event. With ``free_at``, only seats free at that time (re-checked
    on the locked rows); with ``skip_locked``, rows locked by others are left out, not waited for."""
    adapt = connection.ops.adapt_datetimefield_value
    columns, params = "", []
    if holds_of is not None:
        columns = f""", (SELECT count(*) FROM {_SEAT} h WHERE h.locked_by_id = %s AND h.event_id = %s
                         AND h.status = 'locked' AND h.locked_until > %s) AS holder_holds"""
        params += [holds_of, event_id, adapt(now)]
    where = f"s.event_id = %s AND s.id IN ({', '.join(['%s'] * len(ids))})"
    params += [event_id, *ids]
    if free_at is not None:
        where += f" AND {_FREE_SQL}"
        params.append(adapt(free_at))
    lock = ""
    if connection.features.has_select_for_update:  # SQLite has no row locks: its writers take turns
        lock = connection.ops.for_update_sql(of=("s",), no_key=True, skip_locked=skip_locked)
    sql = f"""
        SELECT s.*, sec.name AS section_name, e.name AS event_name, e.event_date AS event_date{columns}
        FROM {_SEAT} s JOIN {_SECTION} sec ON sec.id = s.section_id JOIN {_EVENT} e ON e.id = s.event_id
        WHERE {where} ORDER BY s.id {lock}"""
    seats = list(Seat.objects.raw(sql, params))
    for seat in seats:
        seat.event_date = _as_datetime(seat.event_date)
    return seats


def _as_datetime(value: datetime | str) -> datetime:
    """A timestamp read by hand: PostgreSQL gives an aware datetime, SQLite a naive one (or text) in UTC."""
    value = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_SEAT_COLUMNS = {
    "status": "status",
    "locked_by": "locked_by_id",
    "locked_at": "locked_at",
    "locked_until": "locked_until",
    "reserved_by": "reserved_by_id",
    "reserved_at": "reserved_at",
}


def _write_seats(seat_ids: Iterable[int], now: datetime, **fields) -> int:
    """One UPDATE for many seats; bumps ``version``. The change feed's trigger logs each seat."""
    ids = list(seat_ids)
    if not ids:
        return 0
    if any(isinstance(value, Case) for value in fields.values()):  # values that differ per seat
        return Seat.objects.filter(pk__in=ids).update(**fields, version=F("version") + 1, updated_at=now)
    adapt = connection.ops.adapt_datetimefield_value
    values = [adapt(value) if isinstance(value, datetime) else value for value in fields.values()]
    assignments = ", ".join(f"{_SEAT_COLUMNS[field]} = %s" for field in fields)
    sql = (
        f"UPDATE {_SEAT} SET {assignments}, version = version + 1, updated_at = %s "
        f"WHERE id IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, adapt(now), *ids])
        return cursor.rowcount


def _ensure_open(event_name: str, event_date: datetime, now: datetime) -> None:
    if event_date <= now:
        raise EventClosed(f"{event_name} has already started; seats can no longer be held.")


# --- Events ------------------------------------------------------------------------------------


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
    ``total_seats`` in rows of ``seats_per_row`` at ``seat_price`` ("A1".."A10", "B1"..)."""
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
        )
        add_seats(event=event, sections=sections)
    return event


def add_seats(*, event: Event, sections: Sequence[PlannedSection]) -> None:
    """Generate the planned sections and seats of an event that has none yet (bulk inserts)."""
    single = len(sections) == 1
    boxes = [planned.box for planned in sections]
    created = Section.objects.bulk_create(
        Section(event=event, name=planned.name, position=position, x=x, y=y, width=width, height=height)
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


# --- Holds ----------------------------------------------------------------------------------------


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
        _serialise_holds_of(user)
        seats = _lock_seats_by_id(ids, event_id=event_id, holds_of=user.pk, now=now)
        if len(seats) != len(ids):
            raise NotFound(
                "Seat not found for this event." if len(ids) == 1 else "A seat was not found for this event."
            )
        _ensure_open(seats[0].event_name, seats[0].event_date, now)
        taken = [seat for seat in seats if _taken_from(user, seat, now)]
        if taken:
            raise SeatUnavailable(
                _taken_message(taken, now), details={"seat_ids": [seat.pk for seat in taken]}
            )
        new = sum(1 for seat in seats if not seat.is_held_by(user.pk, now))
        if new and seats[0].holder_holds + new > settings.SEAT_HOLD_LIMIT:
            raise _hold_limit_reached()
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
        _serialise_holds_of(user)
        event = selectors.get_event(event_id)
        _ensure_open(event.name, event.event_date, now)
        middles = {
            pk: x + (width - 1) / 2
            for pk, name, x, width in Section.objects.filter(event_id=event_id).values_list(
                "pk", "name", "x", "width"
            )
            if section is None or name == section
        }
        if not middles:
            raise NotFound("Section not found for this event.")
        _check_hold_limit(user, event_id, count, now)
        free = Seat.objects.filter(_free(now), event_id=event_id, section_id__in=middles)
        if max_price is not None:
            free = free.filter(price__lte=max_price)
        candidates = {
            row[0]: FreeSeat(*row) for row in free.values_list("pk", "section_id", "row", "number", "x", "y")
        }
        for _ in range(_BEST_AVAILABLE_ATTEMPTS):
            best = best_blocks(candidates.values(), count, middles, limit=1)
            if not best:
                break
            seats = _lock_seats_by_id(best[0], event_id=event_id, free_at=now, skip_locked=True)
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
        seats = _locked_seats(event_id=event_id, locked_by=user.pk, status=Seat.Status.LOCKED)
        _write_seats([seat.pk for seat in seats], now, **_AVAILABLE_FIELDS)
    for seat in seats:
        logger.info("seat.unhold user=%s event=%s seat=%s", user.pk, event_id, seat.pk)
    return sum(1 for seat in seats if seat.is_hold_active(now))


def _serialise_holds_of(user: AbstractBaseUser) -> None:
    """Lock the user's own row: their parallel hold requests take turns, so that together they
    cannot pass the hold limit. Other users are not affected. (SQLite: writers take turns anyway.)"""
    if connection.features.has_select_for_update:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {get_user_model()._meta.db_table} WHERE id = %s FOR UPDATE", [user.pk]
            )


def _free(now: datetime) -> Q:
    """Seats anyone may hold now: available, or held by a hold that has run out."""
    return Q(status=Seat.Status.AVAILABLE) | Q(status=Seat.Status.LOCKED, locked_until__lte=now)


def _taken_from(user: AbstractBaseUser, seat: Seat, now: datetime) -> bool:
    return seat.status == Seat.Status.RESERVED or (seat.is_hold_active(now) and seat.locked_by_id != user.pk)


def _taken_message(taken: list[Seat], now: datetime) -> str:
    if len(taken) > 1:
        return f"Seats {', '.join(seat.seat_number for seat in taken)} are no longer available."
    seat = taken[0]
    why = "already reserved" if seat.status == Seat.Status.RESERVED else "held by another customer"
    return f"Seat {seat.seat_number} is {why}."


def _check_hold_limit(user: AbstractBaseUser, event_id: int, new: int, now: datetime) -> None:
    held = Seat.objects.filter(
        event_id=event_id, locked_by=user, status=Seat.Status.LOCKED, locked_until__gt=now
    ).count()
    if held + new > settings.SEAT_HOLD_LIMIT:
        raise _hold_limit_reached()


def _hold_limit_reached() -> HoldLimitReached:
    return HoldLimitReached(f"You can hold at most {settings.SEAT_HOLD_LIMIT} seats for this event.")


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
    _write_seats(
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


def unlock_seat(*, user: AbstractBaseUser, event_id: int, seat_id: int) -> Seat:
    """Give up the caller's own, unexpired hold. Raises NotFound or LockNotHeld."""
    now = timezone.now()
    with write_transaction():
        seats = _lock_seats_by_id([seat_id], event_id=event_id)
        if not seats:
            raise NotFound("Seat not found for this event.")
        seat = seats[0]
        if not seat.is_held_by(user.pk, now):
            raise LockNotHeld(f"You do not hold seat {seat.seat_number}.")
        _write_seats([seat.pk], now, **_AVAILABLE_FIELDS)
    for field, value in _AVAILABLE_FIELDS.items():
        setattr(seat, field, value)
    logger.info("seat.unhold user=%s event=%s seat=%s", user.pk, event_id, seat.pk)
    return seat


@dataclass(frozen=True)
class ReleasedHold:
    seat_id: int
    seat_number: str
    event_id: int
    event_name: str
    user_id: int


def release_expired_locks(*, chunk_size: int = RELEASE_CHUNK_SIZE) -> list[ReleasedHold]:
    """Tidy holds that have run out, in chunks of set-based UPDATEs.

    Safe to run at the same time as itself and as lock/reserve: rows are taken with
    ``FOR UPDATE SKIP LOCKED`` and the expiry is re-checked on the locked rows, so a seat that
    someone is re-holding right now is left alone, and two cleaners never release the same hold.
    """
    return _release_holds(Q(locked_until__lte=timezone.now()), chunk_size=chunk_size)


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


def release_holds(*, seat_ids: Sequence[int]) -> list[ReleasedHold]:
    """Release the given holds now, expired or not (staff action in the admin)."""
    return _release_holds(Q(pk__in=list(seat_ids)))


def _release_holds(condition: Q, *, chunk_size: int = RELEASE_CHUNK_SIZE) -> list[ReleasedHold]:
    now = timezone.now()
    released: list[ReleasedHold] = []
    while True:
        with write_transaction():
            rows = list(
                Seat.objects.select_for_update(skip_locked=True, no_key=True)
                .filter(condition, status=Seat.Status.LOCKED)
                .order_by("pk")
                .values_list("pk", "seat_number", "event_id", "locked_by_id")[:chunk_size]
            )
            if not rows:
                break
            _write_seats([row[0] for row in rows], now, **_AVAILABLE_FIELDS)
        names = dict(Event.objects.filter(pk__in={row[2] for row in rows}).values_list("pk", "name"))
        for seat_id, seat_number, event_id, user_id in rows:
            released.append(ReleasedHold(seat_id, seat_number, event_id, names[event_id], user_id))
            logger.info("seat.release user=%s event=%s seat=%s", user_id, event_id, seat_id)
        if len(rows) < chunk_size:
            break
    return released


# --- Reservations -------------------------------------------------------------------------------


def reserve_seats(*, user: AbstractBaseUser, event_id: int, seat_ids: Sequence[int]) -> Reservation:
    """Turn the caller's holds into one confirmed reservation, all or nothing.

    Every seat must belong to the event and be held by the caller with an unexpired hold.
    Raises NotFound, EventClosed or LockNotHeld; on any error nothing changes. The reservation's
    ``seat_numbers`` are read inside the transaction: an answer built from them never needs the
    database after the commit (where a lost connection would turn a success into "try again").
    """
    now = timezone.now()
    ids = sorted(set(seat_ids))
    if not ids:
        raise InvalidRequest("Choose at least one seat.")
    with write_transaction():
        seats = _lock_seats_by_id(ids, event_id=event_id)
        if len(seats) != len(ids):
            raise NotFound("One or more seats were not found for this event.")
        _ensure_open(seats[0].event_name, seats[0].event_date, now)
        not_held = [seat for seat in seats if not seat.is_held_by(user.pk, now)]
        if not_held:
            numbers = ", ".join(seat.seat_number for seat in not_held)
            raise LockNotHeld(
                f"You do not hold seat(s) {numbers}; the hold may have expired.",
                details={"seat_ids": [seat.pk for seat in not_held]},
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
        _write_seats(
            ids,
            now,
            status=Seat.Status.RESERVED,
            reserved_by=user.pk,
            reserved_at=now,
            locked_by=None,
            locked_at=None,
            locked_until=None,
        )
    logger.info(
        "reservation.confirm user=%s event=%s reservation=%s seats=%s",
        user.pk,
        event_id,
        reservation.pk,
        ",".join(map(str, ids)),
    )
    return reservation


def cancel_reservation(*, user: AbstractBaseUser, reservation_id: int) -> Reservation:
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
        seat_ids = [seat.pk for seat in _locked_seats(reservation_seats__reservation=reservation)]
        ReservationSeat.objects.filter(reservation=reservation).update(is_active=False)
        _write_seats(seat_ids, now, **_AVAILABLE_FIELDS)
        reservation.status = Reservation.Status.CANCELLED
        reservation.cancelled_at = now
        reservation.save(update_fields=["status", "cancelled_at", "updated_at"])
    logger.info(
        "reservation.cancel user=%s by=%s reservation=%s seats=%s",
        reservation.user_id,
        user.pk,
        reservation.pk,
        ",".join(map(str, seat_ids)),
    )
    return reservation
