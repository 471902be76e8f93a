"""Reads of tickets that more than one caller needs: a reservation's tickets (API answers, PDF,
e-mail), the door's counts."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from reservations.exceptions import NotFound
from reservations.models import Reservation

from .models import Ticket


def tickets_of(reservation_ids: Iterable[int]) -> dict[int, list[Ticket]]:
    """Each reservation's tickets in seat order, with seat and section (one query)."""
    found: dict[int, list[Ticket]] = {reservation_id: [] for reservation_id in reservation_ids}
    tickets = (
        Ticket.objects.filter(reservation_id__in=list(found))
        .select_related("seat__section")
        .order_by("reservation_id", "seat_id")
    )
    for ticket in tickets:
        found[ticket.reservation_id].append(ticket)
    return found


def reservation_with_tickets(*, reservation_id: int, viewer: AbstractBaseUser) -> Reservation:
    """A reservation of the viewer's (staff: anyone's) with its event, venue, owner and
    ``ticket_list``; another customer's is "not found"."""
    reservations = Reservation.objects.select_related("event__venue", "user").filter(pk=reservation_id)
    if not viewer.is_staff:
        reservations = reservations.filter(user_id=viewer.pk)
    reservation = reservations.first()
    if reservation is None:
        raise NotFound("Reservation not found.")
    reservation.ticket_list = tickets_of([reservation.pk])[reservation.pk]
    return reservation


def check_in_counts(event_id: int) -> dict[str, int]:
    """Tickets that can open the door (valid or used) and those used, for one event."""
    return Ticket.objects.filter(event_id=event_id).aggregate(
        tickets=Count("pk", filter=~Q(status=Ticket.Status.CANCELLED)),
        checked_in=Count("pk", filter=Q(status=Ticket.Status.CHECKED_IN)),
    )
