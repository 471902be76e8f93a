"""Reads that more than one caller needs: events with their seat counts, the seat grid, reservations.

Availability is decided in the query (``locked_until`` compared with now), so a hold that has run out
is counted as available at once, before the cleanup job rewrites the row.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from .exceptions import NotFound
from .models import Event, Reservation, Seat

# The seat columns the grid needs, in the order ``serializers.seat_json`` reads them.
SEAT_GRID_COLUMNS = (
    "pk",
    "seat_number",
    "row",
    "number",
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


def seat_grid_etag(event_id: int, user_id: int | None) -> str | None:
    """A tag that changes whenever any seat's effective state changes, for this viewer.

    It is derived from the seats themselves, in one aggregate query: every service write bumps the
    seat's ``version``; a hold that runs out by time changes the number of active holds; admin edits
    change ``updated_at``. The viewer's id is part of it because ``locked_by_me`` differs per user.
    None when the event does not exist.
    """
    now = timezone.now()
    state = (
        Event.objects.filter(pk=event_id)
        .values_list("pk")
        .annotate(
            seat_total=Count("seats"),
            version_total=Sum("seats__version"),
            last_change=Max("seats__updated_at"),
            active_holds=Count("seats", filter=_active_hold("seats__", now)),
        )
        .first()
    )
    if state is None:
        return None
    fingerprint = repr((state, user_id, settings.SEAT_LOCK_SECONDS))
    return hashlib.blake2b(fingerprint.encode(), digest_size=16).hexdigest()


def seat_rows(event_id: int, seat_id: int | None = None) -> list[tuple]:
    """Raw seat rows (``SEAT_GRID_COLUMNS``) of one event, in seat order."""
    seats = Seat.objects.filter(event_id=event_id)
    if seat_id is not None:
        seats = seats.filter(pk=seat_id)
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
