"""The tickets app's answers to ``reservations.hooks`` (connected in ``TicketsConfig.ready``)."""

from django.dispatch import receiver

from reservations import hooks

from . import selectors, services
from .serializers import ticket_json


@receiver(hooks.reservation_confirmed)
def _issue(sender, *, reservation, seats, **kwargs) -> None:
    services.issue_tickets(reservation=reservation, seats=seats)


@receiver(hooks.reservation_cancelled)
def _void(sender, *, reservation, **kwargs) -> None:
    services.void_tickets(reservation=reservation)


@receiver(hooks.reservation_details)
def _tickets(sender, *, reservations, **kwargs) -> dict:
    found = selectors.tickets_of(reservation.pk for reservation in reservations)
    return {pk: {"tickets": [ticket_json(ticket) for ticket in tickets]} for pk, tickets in found.items()}
