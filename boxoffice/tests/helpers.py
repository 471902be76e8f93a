"""Small helpers of the box office's tests."""

from reservations import services
from reservations.models import Reservation, Seat


def hold(user, event, *seat_ids) -> None:
    services.hold_seats(user=user, event_id=event.pk, seat_ids=list(seat_ids))


def reserve(user, event, *seat_ids) -> Reservation:
    hold(user, event, *seat_ids)
    return services.reserve_seats(user=user, event_id=event.pk, seat_ids=list(seat_ids))


def seat_states(event) -> dict[int, tuple]:
    """Every seat's stored state and version: equal before and after means nothing was written."""
    return {
        pk: rest
        for pk, *rest in Seat.objects.filter(event=event).values_list(
            "pk", "status", "locked_by_id", "locked_until", "reserved_by_id", "version"
        )
    }


def block_url(event, verb: str = "block") -> str:
    return f"/api/events/{event.pk}/seats/{verb}/"
