"""Reads that more than one caller needs: events with their seat counts, the seat grid and its change
feed, reservations.

Availability is decided in the query (``locked_until`` compared with now), so a hold that has run out
is counted as available at once, before the cleanup job rewrites the row.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from .exceptions import NotFound
from .models import (
    Event,
    Reservation,
    Seat,
    SeatChange,
    SeatHistory,
    Section,
    active_hold_q,
    active_hold_sql,
    ran_out_sql,
)

# The seat columns the grid needs, in the order ``serializers.seat_json`` reads them.
SEAT_GRID_COLUMNS = (
    "pk",
    "seat_number",
    "section__name",
    "row",
    "number",
    "x",
    "y",
    "price",
    "status",
    "locked_by_id",
    "locked_until",
    "accessibility",
)


# --- Events and their counts ---------------------------------------------------------------------------


def events_with_counts(now: datetime | None = None) -> QuerySet[Event]:
    """Events annotated with exact seat counts by effective state and the price range, in one query
    (an aggregate over all their seats: the admin's list; the API uses ``section_counts``)."""
    return Event.objects.annotate(**_seat_counts(now or timezone.now()))


def upcoming_events(now: datetime | None = None) -> QuerySet[Event]:
    now = now or timezone.now()
    return Event.objects.filter(event_date__gt=now).order_by("event_date", "pk")


def get_event(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound("Event not found.")
    return event


def sections_with_counts(event_id: int, now: datetime | None = None) -> QuerySet[Section]:
    """An event's sections in display order, with exact seat counts by effective state and price
    range (one aggregate over the event's seats: the admin's view)."""
    return _sections_with_counts(now or timezone.now()).filter(event_id=event_id).order_by("position")


def _sections_with_counts(now: datetime) -> QuerySet[Section]:
    return Section.objects.annotate(**_seat_counts(now))


def _seat_counts(now: datetime) -> dict:
    """Annotations of an event's or a section's seats: counts by effective state, price range."""
    return {
        "seat_count": Count("seats"),
        "reserved_count": Count("seats", filter=Q(seats__status=Seat.Status.RESERVED)),
        "held_count": Count("seats", filter=active_hold_q(now, "seats__")),
        "blocked_count": Count("seats", filter=Q(seats__status=Seat.Status.BLOCKED)),
        "min_price": Min("seats__price"),
        "max_price": Max("seats__price"),
    }


_COUNTED = (
    "name",
    "x",
    "y",
    "width",
    "height",
    "angle",
    "seat_count",
    "held_count",
    "reserved_count",
    "blocked_count",
    "min_price",
    "max_price",
)


def section_counts(event_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Each event's sections in display order with seat counts and price range (``_COUNTED``): what
    the event list and event detail show. An aggregate over the events' seats, in one query: those
    answers are cached whole (``views._shared_answer``), so it runs once per answer and
    ``SEAT_COUNTS_MAX_AGE_SECONDS``, however many people open the home page. The seat grid and the
    change feed stay exact.
    """
    counts: dict[int, list[dict]] = {event_id: [] for event_id in event_ids}
    rows = (
        _sections_with_counts(timezone.now())
        .filter(event_id__in=list(counts))
        .order_by("event_id", "position")
        .values("event_id", *_COUNTED)
    )
    for row in rows:
        counts[row.pop("event_id")].append(row)
    return counts


# --- The seat grid and its change feed -----------------------------------------------------------------
#
# Every UPDATE of a seat's state logs the seat in SeatChange with the writer's transaction id
# (a trigger, migration 0003). A reader's position is the oldest transaction still running when it
# looked (``pg_snapshot_xmin``): every change it has not seen has a txid at or above it, including a
# write that began before the read and committed after it. Holds that run out by time are found by
# their expiry (an index lookup), as they write nothing. All of this is a few index lookups, never a
# scan of the seats.


@dataclass(frozen=True)
class FeedState:
    """Where a reader of a grid stands: changes with ``txid >= xid`` may be new to it, and holds that
    ran out after ``time``; ``seen`` of those changes were already visible when it looked."""

    xid: int
    time: datetime
    seen: int


@dataclass(frozen=True)
class GridCheck:
    position: FeedState  # the reader's position now, taken before any seat is read
    changed: bool  # since the state asked about
    viewer_holds: bool  # the viewer holds seats of this grid: their view differs from everyone's


def _horizon() -> str:
    if connection.vendor == "postgresql":
        return "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
    return f"(SELECT coalesce(max(txid), 0) + 1 FROM {SeatChange._meta.db_table})"  # writers take turns


_CHANGES, _SEATS = SeatChange._meta.db_table, Seat._meta.db_table
_NEVER = 2**62  # a position no transaction reaches: "nothing to compare with"


def _in_scope(alias: str, section: str | None) -> str:
    condition = f"{alias}.event_id = %(event)s"
    return condition + (f" AND {alias}.section_id = sec.id" if section is not None else "")


def grid_check(
    event_id: int, section: str | None, viewer_id: int | None, since: FeedState | None, now: datetime
) -> GridCheck | None:
    """Everything a grid request needs to decide, in one statement of index lookups, never a scan
    of the seats: the reader's position now; whether anything changed since ``since`` (more changes
    at or above its position than it had seen, or a hold that ran out after its time); whether the
    viewer holds seats here. None when the event (or the section) does not exist."""
    sql = f"""
        SELECT e.id IS NOT NULL AND (%(section)s IS NULL OR sec.id IS NOT NULL),
               h.xid,
               (SELECT count(*) FROM {_CHANGES} c WHERE {_in_scope("c", section)} AND c.txid >= h.xid),
               (SELECT count(*) FROM (SELECT 1 FROM {_CHANGES} c WHERE {_in_scope("c", section)}
                                      AND c.txid >= %(since_xid)s LIMIT %(limit)s) AS newer),
               EXISTS (SELECT 1 FROM {_SEATS} s WHERE {_in_scope("s", section)}
                       AND {ran_out_sql("s", "%(since)s", "%(now)s")}),
               EXISTS (SELECT 1 FROM {_SEATS} s WHERE s.locked_by_id = %(viewer)s
                       AND {_in_scope("s", section)} AND {active_hold_sql("s", "%(now)s")})
        FROM (SELECT {_horizon()} AS xid) AS h
        LEFT JOIN {Event._meta.db_table} e ON e.id = %(event)s
        LEFT JOIN {Section._meta.db_table} sec ON sec.event_id = %(event)s AND sec.name = %(section)s"""
    params = {
        "event": event_id,
        "section": section,
        "viewer": viewer_id,
        "since_xid": since.xid if since else _NEVER,
        "limit": since.seen + 1 if since else 1,
        "since": _db_time(since.time if since else now),
        "now": _db_time(now),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        exists, xid, seen, newer, expired, viewer_holds = cursor.fetchone()
    if not exists:
        return None
    changed = since is not None and (newer > since.seen or bool(expired))
    return GridCheck(FeedState(xid, now, seen), changed, bool(viewer_holds))


def _db_time(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def seat_rows(
    event_id: int,
    seat_id: int | None = None,
    section: str | None = None,
    *,
    held_by: int | None = None,
    now: datetime | None = None,
) -> list[tuple]:
    """Raw seat rows (``SEAT_GRID_COLUMNS``) of one event (or one of its sections, or the seats
    ``held_by`` holds at ``now``: the partial index on holder and event), in seat order."""
    seats = Seat.objects.filter(event_id=event_id)
    if seat_id is not None:
        seats = seats.filter(pk=seat_id)
    if section is not None:
        seats = seats.filter(section__name=section)
    if held_by is not None:
        seats = seats.held(now or timezone.now()).filter(locked_by_id=held_by)
    return list(seats.order_by("pk").values_list(*SEAT_GRID_COLUMNS))


def changed_seat_rows(event_id: int, section: str | None, since: FeedState, now: datetime) -> list[tuple]:
    """Seat rows (``SEAT_GRID_COLUMNS``) of the seats whose effective state may have changed since
    ``since``: logged changes at or above its position, and holds that ran out after its time. Both
    are index range scans (a UNION, so that neither turns into a scan of the seats). Hand-written:
    every open seat map polls this, and the ORM took longer to build it than the database to run it.
    """
    params = [event_id, since.xid, event_id, _db_time(since.time), _db_time(now), event_id]
    in_section = ""
    if section is not None:
        in_section, params = " AND sec.name = %s", [*params, section]
    seats = Seat.objects.raw(
        f"""SELECT s.*, sec.name AS section_name
            FROM {_SEATS} s JOIN {Section._meta.db_table} sec ON sec.id = s.section_id
            WHERE s.id IN (SELECT c.seat_id FROM {_CHANGES} c WHERE c.event_id = %s AND c.txid >= %s
                           UNION SELECT h.id FROM {_SEATS} h WHERE h.event_id = %s
                                 AND {ran_out_sql("h", "%s", "%s")})
              AND s.event_id = %s{in_section}
            ORDER BY s.id""",
        params,
    )
    return [
        (
            s.pk,
            s.seat_number,
            s.section_name,
            s.row,
            s.number,
            s.x,
            s.y,
            s.price,
            s.status,
            s.locked_by_id,
            s.locked_until,
            s.accessibility,
        )
        for s in seats
    ]


def seat_history(event_id: int, seat_id: int) -> list[SeatHistory]:
    """Everything that happened to one seat of the event, oldest first, with the customer and the
    member of staff named (the admin's seat page and the box office's API). NotFound for a seat
    that is not of this event."""
    if not Seat.objects.filter(pk=seat_id, event_id=event_id).exists():
        raise NotFound("Seat not found for this event.")
    return list(SeatHistory.objects.filter(seat_id=seat_id).select_related("user", "by").order_by("pk"))


def _reservations_with_seats() -> QuerySet[Reservation]:
    """Reservations with their event joined and seat numbers prefetched (two queries in all)."""
    return Reservation.objects.select_related("event").prefetch_related(
        Prefetch("seats", queryset=Seat.objects.order_by("pk").only("seat_number"))
    )


def reservations_for(user_id: int) -> QuerySet[Reservation]:
    """A user's reservations, newest first."""
    return _reservations_with_seats().filter(user_id=user_id).order_by("-created_at", "-pk")


def get_reservation(*, reservation_id: int, user_id: int, is_staff: bool = False) -> Reservation:
    """One reservation; another user's reservation is "not found" (staff may read any)."""
    reservations = _reservations_with_seats().filter(pk=reservation_id)
    if not is_staff:
        reservations = reservations.filter(user_id=user_id)
    reservation = reservations.first()
    if reservation is None:
        raise NotFound("Reservation not found.")
    return reservation


# The seat invariants, each a query for the ids that break it. Used by the check_seat_invariants
# command, the fault tests and the benchmark. Constraints already forbid most of these; the check
# proves it after crashes and restores, and catches data written around the application.
INVARIANT_QUERIES = {
    "seat_in_two_active_reservations": """
        SELECT seat_id FROM reservations_reservationseat
        WHERE is_active GROUP BY seat_id HAVING count(*) > 1""",
    "reserved_seat_not_in_exactly_one_confirmed_reservation_of_its_owner": """
        SELECT s.id FROM reservations_seat s WHERE s.status = 'reserved' AND (
          SELECT count(*) FROM reservations_reservationseat rs
          JOIN reservations_reservation r ON r.id = rs.reservation_id
          WHERE rs.seat_id = s.id AND rs.is_active AND r.status = 'confirmed'
            AND r.user_id = s.reserved_by_id) <> 1""",
    "held_seat_without_holder_or_expiry": """
        SELECT id FROM reservations_seat
        WHERE status = 'locked' AND (locked_by_id IS NULL OR locked_until IS NULL)""",
    "live_reservation_seat_not_reserved": """
        SELECT DISTINCT rs.reservation_id FROM reservations_reservationseat rs
        JOIN reservations_seat s ON s.id = rs.seat_id
        JOIN reservations_reservation r ON r.id = rs.reservation_id
        WHERE (rs.is_active <> (r.status = 'confirmed'))
           OR (rs.is_active AND (s.status <> 'reserved' OR s.reserved_by_id <> r.user_id))""",
    "confirmed_reservation_total_not_sum_of_seat_prices": """
        SELECT r.id FROM reservations_reservation r
        JOIN reservations_reservationseat rs ON rs.reservation_id = r.id
        JOIN reservations_seat s ON s.id = rs.seat_id
        WHERE r.status = 'confirmed'
        GROUP BY r.id, r.total_price HAVING r.total_price <> sum(s.price)""",
    "confirmed_reservation_without_seats": """
        SELECT r.id FROM reservations_reservation r WHERE r.status = 'confirmed'
        AND NOT EXISTS (SELECT 1 FROM reservations_reservationseat rs WHERE rs.reservation_id = r.id)""",
}


def invariant_violations() -> dict[str, list[int]]:
    """Each invariant's name with the ids that break it (seat or reservation ids); empty when sound."""
    found = {}
    with connection.cursor() as cursor:
        for name, sql in INVARIANT_QUERIES.items():
            cursor.execute(sql)
            found[name] = sorted(row[0] for row in cursor.fetchall())
    return found
