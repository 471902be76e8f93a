"""The database refuses impossible states even when application code is wrong."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reservations import services
from reservations.models import Reservation, ReservationSeat, Seat

pytestmark = pytest.mark.django_db


def illegal(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_locked_seat_needs_holder_and_expiry(event, seat_ids, alice):
    now = timezone.now()
    seats = Seat.objects.filter(pk=seat_ids[0])
    illegal(lambda: seats.update(status="locked"))
    illegal(lambda: seats.update(status="locked", locked_by=alice, locked_at=now))
    illegal(lambda: seats.update(status="locked", locked_until=now, locked_at=now))


def test_reserved_seat_needs_an_owner_and_no_hold(event, seat_ids, alice):
    now = timezone.now()
    seats = Seat.objects.filter(pk=seat_ids[0])
    illegal(lambda: seats.update(status="reserved"))
    illegal(
        lambda: seats.update(
            status="reserved",
            reserved_by=alice,
            reserved_at=now,
            locked_by=alice,
            locked_at=now,
            locked_until=now + timedelta(minutes=5),
        )
    )


def test_available_seat_has_no_holder_or_owner(event, seat_ids, alice):
    seats = Seat.objects.filter(pk=seat_ids[0])
    illegal(lambda: seats.update(locked_by=alice))
    illegal(lambda: seats.update(reserved_by=alice, reserved_at=timezone.now()))


def test_unknown_status_is_refused(event, seat_ids):
    illegal(lambda: Seat.objects.filter(pk=seat_ids[0]).update(status="sold"))


def test_seat_numbers_are_unique_per_event(event):
    illegal(lambda: Seat.objects.create(event=event, seat_number="A1", row="A", number=1, price=1))


def test_a_seat_cannot_be_in_two_live_reservations(alice, bob, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    first = services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    second = Reservation.objects.create(user=bob, event=event, status="confirmed", total_price=100)
    illegal(lambda: ReservationSeat.objects.create(reservation=second, seat_id=seat_ids[0]))
    # Once the first is cancelled, the seat may be sold again.
    services.cancel_reservation(user=alice, reservation_id=first.pk)
    ReservationSeat.objects.create(reservation=second, seat_id=seat_ids[0])


def test_cancelled_reservation_needs_cancelled_at(alice, event):
    illegal(lambda: Reservation.objects.create(user=alice, event=event, status="cancelled", total_price=0))


def test_prices_cannot_be_negative(event, seat_ids):
    illegal(lambda: Seat.objects.filter(pk=seat_ids[0]).update(price=-1))
