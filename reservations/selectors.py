"""Reads that more than one caller needs: events with their seat counts, the seat grid, reservations.

Availability is decided in the query (``locked_until`` compared with now), so a hold that has run out
is counted as available at once, before the cleanup job rewrites the row.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from .exceptions import NotFound
from .models import Event, Reservation, Seat, Section

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
)


def _active_hold(prefix: str, now: datetime) -> Q:
    return Q(**{f"{prefix}status": Seat.Status.LOCKED, f"{prefix}locked_until__gt": now})


def events_with_counts(now: datetime | None = None) -> QuerySet[Event]:
    """Events annotated with seat counts by effective state and the price range, in one query."""
    now = now or timezone.now()
    return Event.objects.annotate(
        seat_count=Count("seats"),
        reserved_count=Count("seats", filter=Q(seats__status=Seat.Status.RESERVED)),
        held_count=Count("seats", filter=_active_hold("seats__", now)),
        min_price=Min("seats__price"),
        max_price=Max("seats__price"),
    )


def upcoming_events(now: datetime | None = None) -> QuerySet[Event]:
    now = now or timezone.now()
    return events_with_counts(now).filter(event_date__gt=now).order_by("event_date", "pk")


def get_event(event_id: int) -> Event:
    event = events_with_counts().filter(pk=event_id).first()
    if event is None:
        raise NotFound("Event not found.")
    return event


def sections_with_counts(event_id: int, now: datetime | None = None) -> QuerySet[Section]:
    """An event's sections in display order, with seat counts by effective state and price range."""
    now = now or timezone.now()
    return (
        Section.objects.filter(event_id=event_id)
        .annotate(
            seat_count=Count("seats"),
            reserved_count=Count("seats", filter=Q(seats__status=Seat.Status.RESERVED)),
            held_count=Count("seats", filter=_active_hold("seats__", now)),
            min_price=Min("seats__price"),
            max_price=Max("seats__price"),
        )
        .order_by("position")
    )


@dataclass(frozen=True)
class GridState:
    """What the seat grid's freshness depends on, read in one aggregate over the event's seats.

    Every service write bumps a seat's ``version``; a hold that runs out by time lowers
    ``active_holds``; admin edits move ``last_change``. So ``fingerprint`` changes whenever any
    seat's effective state changes, without a shared counter row that every hold would contend on.
    """

    seat_count: int
    version_total: int
    last_change: object
    active_holds: int
    my_holds: int

    @property
    def fingerprint(self) -> str:
        """The same for every viewer: keys the shared rendering of the grid."""
        state = (self.seat_count, self.version_total, str(self.last_change), self.active_holds)
        return hashlib.blake2b(repr(state).encode(), digest_size=16).hexdigest()

    def etag(self, user_id: int | None) -> str:
        """Per viewer, because ``locked_by_me`` and ``locked_until`` differ per viewer."""
        tagged = f"{self.fingerprint}:{user_id}:{settings.SEAT_LOCK_SECONDS}"
        return hashlib.blake2b(tagged.encode(), digest_size=16).hexdigest()


# Plain SQL: this runs on every poll of every open seat map, and the ORM spent twice as long
# building the query as the database spent answering it.
_GRID_STATE_SQL = f"""
    SELECT count(*), coalesce(sum(version), 0), max(updated_at),
           count(*) FILTER (WHERE status = 'locked' AND locked_until > %s),
           count(*) FILTER (WHERE status = 'locked' AND locked_until > %s AND locked_by_id = %s)
    FROM {Seat._meta.db_table} WHERE event_id = %s"""
_IN_SECTION_SQL = (
    f" AND section_id IN (SELECT id FROM {Section._meta.db_table} WHERE event_id = %s AND name = %s)"
)


def seat_grid_state(event_id: int, user_id: int | None, section: str | None = None) -> GridState | None:
    """The grid's state (of one section, if named) for this viewer now; None when the event or
    the section does not exist."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql, params = _GRID_STATE_SQL, [now, now, user_id, event_id]
    if section is not None:
        sql, params = sql + _IN_SECTION_SQL, [*params, event_id, section]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        state = GridState(*cursor.fetchone())
    if state.seat_count == 0 and not _grid_exists(event_id, section):
        return None
    return state


def _grid_exists(event_id: int, section: str | None) -> bool:
    if section is None:
        return event_exists(event_id)
    return Section.objects.filter(event_id=event_id, name=section).exists()


def seat_rows(event_id: int, seat_id: int | None = None, section: str | None = None) -> list[tuple]:
    """Raw seat rows (``SEAT_GRID_COLUMNS``) of one event (or one of its sections), in seat order."""
    seats = Seat.objects.filter(event_id=event_id)
    if seat_id is not None:
        seats = seats.filter(pk=seat_id)
    if section is not None:
        seats = seats.filter(section__name=section)
    return list(seats.order_by("pk").values_list(*SEAT_GRID_COLUMNS))


def event_exists(event_id: int) -> bool:
    return Event.objects.filter(pk=event_id).exists()


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
