"""The lock pattern every write of the seat domain follows, in one place.

Each write is one short ``transaction.atomic()`` block (``write_transaction``, which also sets its
own timeouts behind PgBouncer) that:

1. takes ``SELECT ... FOR UPDATE`` on the seat rows it will change, in ascending id order, so two
   transactions never wait on each other in a cycle;
2. re-checks the state once the rows are locked;
3. writes with set-based UPDATEs (the number of queries does not grow with the number of seats).

Every UPDATE of a seat's state is also logged for the change feed, by a database trigger
(migration 0003), in the same transaction; and written to the seat's history (``SeatHistory``) by
the same call (``write_seats(..., history=...)``), so that no service can change a seat without it.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q

from ..exceptions import EventClosed
from ..models import Event, Seat, SeatHistory, Section, active_hold_sql, free_sql

# Field values that return a seat to "available" (the status check constraint wants all of them).
AVAILABLE_FIELDS = {
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


def locked_seats(*conditions: Q, **filters) -> list[Seat]:
    """The matching seat rows, locked for update in ascending id order (no deadlocks).

    ``of=("self",)`` keeps the lock on the seat rows only, and ``no_key=True`` (FOR NO KEY UPDATE)
    still lets reservations insert rows that point at them.
    """
    return list(
        Seat.objects.select_for_update(of=("self",), no_key=True)
        .filter(*conditions, **filters)
        .order_by("pk")
    )


def serialise_customer(user_id: int) -> None:
    """Lock the customer's own row: their parallel hold requests take turns, so that together they
    cannot pass the hold limit. Other customers are not affected. (SQLite: writers take turns anyway.)"""
    if connection.features.has_select_for_update:
        with connection.cursor() as cursor:
            users = get_user_model()._meta.db_table
            cursor.execute(f"SELECT 1 FROM {users} WHERE id = %s FOR UPDATE", [user_id])


# The hot paths (holds, releases, reservations) lock their seats and write them with the
# hand-written statements below: profiled under load, the ORM spent longer building these queries
# than PostgreSQL spent answering them (bench/README.md). They take the same rows, the same lock
# (FOR NO KEY UPDATE OF the seats only) in the same ascending id order as ``locked_seats``.
_SEAT, _SECTION, _EVENT = Seat._meta.db_table, Section._meta.db_table, Event._meta.db_table

# How many seats one customer holds in one event now (the hold limit) and owns there (with the
# holds, the ticket limit): counted wherever they are checked, by these two statements.
_HOLDER_HOLDS_SQL = f"""(SELECT count(*) FROM {_SEAT} h WHERE h.locked_by_id = %s AND h.event_id = %s
                         AND {active_hold_sql("h")})"""
_HOLDER_OWNS_SQL = f"""(SELECT count(*) FROM {_SEAT} o WHERE o.reserved_by_id = %s AND o.event_id = %s
                        AND o.status = 'reserved')"""


def lock_seats_by_id(
    ids: Sequence[int],
    *,
    event_id: int,
    holds_of: int | None = None,
    free_at: datetime | None = None,
    skip_locked: bool = False,
    now: datetime | None = None,
) -> list[Seat]:
    """Lock the seats ``ids`` of the event, in id order. Each row also carries ``section_name``,
    ``event_name`` and ``event_date``; with ``holds_of``, ``holder_holds`` and ``holder_owns``: how
    many seats that user holds (unexpired at ``now``) and owns in the event. With ``free_at``, only
    seats free at that time (re-checked on the locked rows); with ``skip_locked``, rows locked by
    others are left out, not waited for."""
    columns, params = "", []
    if holds_of is not None:
        columns = f", {_HOLDER_HOLDS_SQL} AS holder_holds, {_HOLDER_OWNS_SQL} AS holder_owns"
        params += [holds_of, event_id, _db_time(now), holds_of, event_id]
    where = f"s.event_id = %s AND s.id IN ({', '.join(['%s'] * len(ids))})"
    params += [event_id, *ids]
    if free_at is not None:
        where += f" AND {free_sql('s')}"
        params.append(_db_time(free_at))
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


def customer_seats(*, user_id: int, event_id: int, now: datetime) -> tuple[int, int]:
    """How many seats the customer holds (at ``now``) and owns in the event: the counts
    ``lock_seats_by_id`` adds to its rows with ``holds_of``, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_HOLDER_HOLDS_SQL}, {_HOLDER_OWNS_SQL}",
            [user_id, event_id, _db_time(now), user_id, event_id],
        )
        return cursor.fetchone()


class Sql(NamedTuple):
    """A column's new value as SQL over the row's values before the UPDATE (``write_seats`` writes
    it into its own statement, so the hot paths never go through the ORM's update compiler)."""

    expression: str
    params: tuple = ()


def hold_ends(now: datetime) -> dict:
    """Fields that remember, as a hold is given up or released, whose it was and when it ended (at
    ``now``, or at its expiry if that came first): that customer's ``hold_cooldown``."""
    earlier = "LEAST" if connection.vendor == "postgresql" else "MIN"  # SQLite's two-argument min()
    return {
        "previous_holder": Sql("locked_by_id"),
        "previous_hold_ended_at": Sql(f"{earlier}(locked_until, %s)", (now,)),
    }


def _db_time(value: datetime | None):
    return connection.ops.adapt_datetimefield_value(value)


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
    "price": "price",
    "previous_holder": "previous_holder_id",
    "previous_hold_ended_at": "previous_hold_ended_at",
}


class Entry(NamedTuple):
    """One line of a seat's history (``SeatHistory``): ``user`` the customer concerned, ``by`` who
    did it (None: the system), ``via`` the door (``SeatHistory.Via``)."""

    seat_id: int
    event_id: int
    action: str
    at: datetime
    user_id: int | None
    by_id: int | None
    via: str
    reason: str = ""


_HISTORY = SeatHistory._meta.db_table


def hold_ended(seat: Seat, now: datetime, *, by_id: int | None, via: str) -> Entry:
    """The history line of a hold of locked row ``seat`` that ends now: given up (``release``, by
    ``by_id``), or already run out (``expire``, by nobody, dated at its ``locked_until``)."""
    if seat.is_hold_active(now):
        return Entry(seat.pk, seat.event_id, SeatHistory.Action.RELEASE, now, seat.locked_by_id, by_id, via)
    return Entry(
        seat.pk, seat.event_id, SeatHistory.Action.EXPIRE, seat.locked_until, seat.locked_by_id, None, via
    )


def _history_insert(entries: Sequence[Entry]) -> tuple[str, list]:
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(entries))
    params = [
        value
        for entry in entries
        for value in (*entry[:3], _db_time(entry.at), entry.user_id, entry.by_id, entry.via, entry.reason)
    ]
    columns = "seat_id, event_id, action, at, user_id, by_id, via, reason"
    return f"INSERT INTO {_HISTORY} ({columns}) VALUES {rows}", params


def record_history(entries: Sequence[Entry]) -> None:
    """Write history lines in the caller's transaction (one INSERT): for changes that are not an
    UPDATE of seats (a check-in), or that ``write_seats`` could not write in the same statement."""
    if entries:
        with connection.cursor() as cursor:
            cursor.execute(*_history_insert(entries))


def write_seats(seat_ids: Iterable[int], now: datetime, *, history: Sequence[Entry] = (), **fields) -> int:
    """One UPDATE for many seats; bumps ``version``. The change feed's trigger logs each seat, and
    ``history`` is written with it (``write_with_history``: no round trip more on the hold path).
    Returns the seats written."""
    ids = list(seat_ids)
    if not ids:
        record_history(history)
        return 0
    if any(hasattr(value, "resolve_expression") for value in fields.values()):  # per seat, or computed
        written = Seat.objects.filter(pk__in=ids).update(**fields, version=F("version") + 1, updated_at=now)
        record_history(history)
        return written
    columns, values = [], []
    for field, value in fields.items():
        written = value if isinstance(value, Sql) else Sql("%s", (value,))
        columns.append(f"{_SEAT_COLUMNS[field]} = {written.expression}")
        values += written.params
    assignments = ", ".join(columns)
    sql = (
        f"UPDATE {_SEAT} SET {assignments}, version = version + 1, updated_at = %s "
        f"WHERE id IN ({', '.join(['%s'] * len(ids))})"
    )
    return write_with_history([(sql, [*values, now, *ids])], history)


def write_with_history(statements: Sequence[tuple[str, Sequence]], history: Sequence[Entry]) -> int:
    """Run data-modifying ``statements`` (at least one ``(sql, params)``: an INSERT or UPDATE
    without RETURNING; datetimes among the params are adapted here) and write ``history`` with
    them: on PostgreSQL as one statement (each a data-modifying WITH: no round trip more),
    elsewhere one after the other. Returns the rows the first statement wrote."""
    statements = [
        (sql, [_db_time(param) if isinstance(param, datetime) else param for param in params])
        for sql, params in statements
    ]
    with connection.cursor() as cursor:
        if history and connection.vendor == "postgresql":
            insert, insert_params = _history_insert(history)
            steps = ", ".join(
                f"step{index} AS ({sql} RETURNING 1)" for index, (sql, _) in enumerate(statements)
            )
            params = [param for _, step_params in statements for param in step_params]
            cursor.execute(
                f"WITH {steps} {insert} RETURNING (SELECT count(*) FROM step0)", [*params, *insert_params]
            )
            return cursor.fetchone()[0]
        written = None
        for sql, params in statements:
            cursor.execute(sql, params)
            written = cursor.rowcount if written is None else written
    record_history(history)
    return written


def ensure_open(event_name: str, event_date: datetime, now: datetime) -> None:
    if event_date <= now:
        raise EventClosed(f"{event_name} has already started; seats can no longer be held.")
