"""The named hooks through which other apps follow reservations, so that ``reservations`` never
imports them (``tickets`` issues tickets and sends e-mail through these).

- ``reservation_confirmed(reservation, seats)``: sent by ``services.reserve_seats`` inside the
  reserving transaction, after the seats are written. A receiver's writes commit or roll back with
  the reservation; a receiver that raises undoes it. Receivers never talk to the outside world here
  (queue the e-mail in the same transaction instead).
- ``reservation_cancelled(reservation)``: sent by ``services.cancel_reservation`` inside the
  cancelling transaction, under the same rules.
- ``reservation_details(reservations)``: asked by the reservation answers of the API; each receiver
  returns ``{reservation_id: {field: value}}`` for fields it adds to those answers (one query for
  all of them, not one per reservation).
- ``sale_gate(user, event_id)``: sent by the hold, best-available and reserve operations before
  they change anything (``check_sale``). A receiver refuses by raising a ``DomainError``
  (``waitingroom``: 409 ``not_on_sale``, 403 ``queue_required``); it must not need the database on
  the hot path.
"""

from collections.abc import Iterable
from typing import Any

from django.dispatch import Signal

reservation_confirmed = Signal()
reservation_cancelled = Signal()
reservation_details = Signal()
sale_gate = Signal()


def check_sale(*, user, event_id: int) -> None:
    """Raise what a receiver of ``sale_gate`` raises when ``user`` may not hold or reserve seats of
    the event now (before the on-sale, or not admitted through its queue)."""
    sale_gate.send(sender=None, user=user, event_id=event_id)


def details_of(reservations: Iterable) -> dict[int, dict[str, Any]]:
    """What the receivers of ``reservation_details`` add to each reservation's answer."""
    reservations = list(reservations)
    added: dict[int, dict[str, Any]] = {reservation.pk: {} for reservation in reservations}
    for _, fields in reservation_details.send(sender=None, reservations=reservations):
        for reservation_id, values in fields.items():
            added[reservation_id].update(values)
    return added
