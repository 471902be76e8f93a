"""The seat domain's writes: holds, reservations, cancellation and the release of expired holds."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from reservations import hooks, layouts, selectors, services
from reservations.exceptions import (
    EventClosed,
    Forbidden,
    HoldLimitReached,
    LockNotHeld,
    NotCancellable,
    NotFound,
    SeatUnavailable,
)
from reservations.models import Reservation, ReservationSeat, Seat

# The seats' history is written in the UPDATE's own statement on PostgreSQL; SQLite has no
# data-modifying WITH, so there it is one INSERT more.
HISTORY_INSERT = 0 if connection.vendor == "postgresql" else 1

LOCK = timedelta(seconds=300)

pytestmark = pytest.mark.django_db


def seat(pk: int) -> Seat:
    return Seat.objects.get(pk=pk)


def hold(user, event, *ids):
    for seat_id in ids:
        services.lock_seat(user=user, event_id=event.pk, seat_id=seat_id)


# --- Events ---------------------------------------------------------------------------------------


def test_create_event_lays_seats_out_in_rows(make_event):
    event = make_event(25, seats_per_row=10, price=Decimal("42.50"))
    seats = list(event.seats.order_by("pk").values_list("seat_number", "row", "number", "price"))
    assert len(seats) == 25 == event.total_seats
    assert seats[0] == ("A1", "A", 1, Decimal("42.50"))
    assert seats[9][0] == "A10"
    assert seats[10][0] == "B1"
    assert seats[-1][0] == "C5"


@pytest.mark.parametrize(
    ("index", "label"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_row_labels_continue_past_z(index, label):
    assert layouts.row_label(index) == label


# --- Holding ----------------------------------------------------------------------------------------


def test_lock_seat_holds_it_for_the_lock_period(alice, event, seat_ids):
    with time_machine.travel(timezone.now(), tick=False):
        locked = services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
        assert locked.locked_until == timezone.now() + LOCK
    row = seat(seat_ids[0])
    assert (row.status, row.locked_by_id, row.locked_until) == ("locked", alice.pk, locked.locked_until)
    assert row.version == 1


def test_lock_fails_when_seat_held_by_other_user(alice, bob, event, seat_ids):
    hold(alice, event, seat_ids[0])
    with pytest.raises(SeatUnavailable):
        services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[0])
    assert seat(seat_ids[0]).locked_by_id == alice.pk


def test_lock_fails_when_seat_reserved(alice, bob, event, seat_ids):
    hold(alice, event, seat_ids[0])
    services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    for user in (alice, bob):
        with pytest.raises(SeatUnavailable):
            services.lock_seat(user=user, event_id=event.pk, seat_id=seat_ids[0])


def test_lock_of_seat_from_another_event_is_not_found(alice, make_event):
    first, second = make_event(2, name="First"), make_event(2, name="Second")
    other_seat = second.seats.first()
    with pytest.raises(NotFound):
        services.lock_seat(user=alice, event_id=first.pk, seat_id=other_seat.pk)
    assert seat(other_seat.pk).status == "available"


def test_lock_fails_once_the_event_has_started(alice, make_event):
    event = make_event(2, starts_in=timedelta(minutes=-1))
    with pytest.raises(EventClosed):
        services.lock_seat(user=alice, event_id=event.pk, seat_id=event.seats.first().pk)


def test_expired_hold_is_free_for_the_next_customer_without_cleanup(alice, bob, event, seat_ids):
    hold(alice, event, seat_ids[0])
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[0])
    assert seat(seat_ids[0]).locked_by_id == bob.pk


def test_relocking_your_own_seat_extends_the_hold_up_to_the_cap(alice, event, seat_ids):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        hold(alice, event, seat_ids[0])
    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        extended = services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
        assert extended.locked_until == start + timedelta(seconds=500)
    with time_machine.travel(start + timedelta(seconds=450), tick=False):
        hold(alice, event, seat_ids[0])
    # Holds can be extended to at most 3 lock periods after the first lock.
    with time_machine.travel(start + timedelta(seconds=700), tick=False):
        capped = services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
        assert capped.locked_until == start + 3 * LOCK
    assert seat(seat_ids[0]).locked_at == start


@override_settings(SEAT_HOLD_LIMIT=3)
def test_hold_limit_counts_only_active_holds_in_this_event(alice, event, seat_ids, make_event):
    hold(alice, event, *seat_ids[:3])
    with pytest.raises(HoldLimitReached):
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[3])
    # Re-locking a seat already held is an extension, not a new hold.
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    # Another event has its own limit.
    other = make_event(1, name="Other")
    services.lock_seat(user=alice, event_id=other.pk, seat_id=other.seats.get().pk)
    # Expired holds do not count.
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[3])


def test_unlock_returns_the_seat_to_available(alice, event, seat_ids):
    hold(alice, event, seat_ids[0])
    services.unlock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    row = seat(seat_ids[0])
    assert (row.status, row.locked_by_id, row.locked_until, row.locked_at) == ("available", None, None, None)


@pytest.mark.parametrize("case", ["never_held", "held_by_other", "expired"])
def test_unlock_fails_when_caller_does_not_hold_the_seat(alice, bob, event, seat_ids, case):
    if case == "held_by_other":
        hold(bob, event, seat_ids[0])
    if case == "expired":
        hold(alice, event, seat_ids[0])
    before = seat(seat_ids[0])
    with time_machine.travel(timezone.now() + (LOCK * 2 if case == "expired" else timedelta(0))):
        with pytest.raises(LockNotHeld):
            services.unlock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    after = seat(seat_ids[0])
    assert (after.status, after.locked_by_id, after.version) == (
        before.status,
        before.locked_by_id,
        before.version,
    )


# --- Reserving --------------------------------------------------------------------------------------


def test_reserve_turns_holds_into_one_confirmed_reservation(alice, event, seat_ids):
    hold(alice, event, *seat_ids[:3])
    reservation = services.reserve_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[2::-1][:3])
    assert reservation.status == Reservation.Status.CONFIRMED
    assert reservation.total_price == Decimal("300.00")
    assert sorted(reservation.seats.values_list("pk", flat=True)) == seat_ids[:3]
    for row in Seat.objects.filter(pk__in=seat_ids[:3]):
        assert (row.status, row.reserved_by_id, row.locked_by_id, row.locked_until) == (
            "reserved",
            alice.pk,
            None,
            None,
        )
        assert row.reserved_at is not None


def test_reserve_is_all_or_nothing(alice, bob, event, seat_ids):
    hold(alice, event, seat_ids[0])
    hold(bob, event, seat_ids[1])
    with pytest.raises(LockNotHeld) as raised:
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0], seat_ids[1]])
    assert raised.value.details == {"seat_ids": [seat_ids[1]]}
    assert not Reservation.objects.exists()
    assert seat(seat_ids[0]).status == "locked"


def test_reserve_fails_when_the_hold_has_expired(alice, event, seat_ids):
    hold(alice, event, seat_ids[0])
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)), pytest.raises(LockNotHeld):
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    assert not Reservation.objects.exists()


def test_reserve_of_unknown_or_foreign_seat_is_not_found(alice, event, seat_ids, make_event):
    other = make_event(1, name="Other")
    hold(alice, event, seat_ids[0])
    with pytest.raises(NotFound):
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0], other.seats.get().pk])
    assert not Reservation.objects.exists()


def test_reserve_fails_once_the_event_has_started(alice, event, seat_ids):
    hold(alice, event, seat_ids[0])
    with time_machine.travel(event.event_date + timedelta(seconds=1)), pytest.raises(EventClosed):
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize("email", ["", "alice@example.com"])
def test_reserve_uses_the_same_number_of_queries_for_1_and_10_seats(
    alice, event, seat_ids, count, email, django_assert_num_queries
):
    alice.email = email
    hold(alice, event, *seat_ids[:count])
    # The on-sale's settings (read by the waiting room's hooks) are cached for a period: read them now.
    hooks.check_sale(user=alice, event_id=event.pk)
    # SELECT ... FOR UPDATE, INSERT reservation, INSERT reservation seats, UPDATE seats (with the
    # seats' history in the same statement on PostgreSQL, one INSERT more on SQLite), INSERT
    # tickets, and with an address INSERT the confirmation e-mail into the queue; plus the SAVEPOINT
    # and RELEASE of the atomic block (the test itself runs in a transaction).
    with django_assert_num_queries(7 + bool(email) + HISTORY_INSERT):
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:count])


def test_lock_uses_a_constant_number_of_queries(alice, event, seat_ids, django_assert_num_queries):
    # user row lock (PostgreSQL: SQLite's writers take turns anyway), seat row lock with the hold
    # count, UPDATE with the history (SQLite: an INSERT more); plus SAVEPOINT and RELEASE.
    user_lock = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(4 + user_lock + HISTORY_INSERT):
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with django_assert_num_queries(4 + user_lock + HISTORY_INSERT):  # an extension: the same statements
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with django_assert_num_queries(4 + HISTORY_INSERT):
        services.unlock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])


def test_giving_up_every_hold_is_one_update_whatever_the_count(
    alice, event, seat_ids, django_assert_num_queries
):
    # The holds locked, one UPDATE that also remembers whose hold ended and when (the cooldown) and
    # writes the history (SQLite: an INSERT more); plus SAVEPOINT and RELEASE.
    hold(alice, event, *seat_ids[:4])
    with django_assert_num_queries(4 + HISTORY_INSERT):
        assert services.release_my_holds(user=alice, event_id=event.pk) == 4
    released = Seat.objects.filter(pk__in=seat_ids[:4])
    assert {(seat.status, seat.previous_holder_id) for seat in released} == {("available", alice.pk)}


# --- Cancelling -------------------------------------------------------------------------------------


@pytest.fixture
def reservation(alice, event, seat_ids) -> Reservation:
    hold(alice, event, *seat_ids[:2])
    return services.reserve_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:2])


def test_cancel_returns_the_seats_to_available(alice, reservation, seat_ids, bob, event):
    services.cancel_reservation(user=alice, reservation_id=reservation.pk)
    reservation.refresh_from_db()
    assert reservation.status == "cancelled" and reservation.cancelled_at is not None
    assert set(Seat.objects.filter(pk__in=seat_ids[:2]).values_list("status", flat=True)) == {"available"}
    assert not ReservationSeat.objects.filter(reservation=reservation, is_active=True).exists()
    # The seats can be sold again.
    hold(bob, event, seat_ids[0])
    services.reserve_seats(user=bob, event_id=event.pk, seat_ids=[seat_ids[0]])


def test_cancel_by_another_user_is_forbidden_but_staff_may(bob, staff, reservation):
    with pytest.raises(Forbidden):
        services.cancel_reservation(user=bob, reservation_id=reservation.pk)
    services.cancel_reservation(user=staff, reservation_id=reservation.pk)
    reservation.refresh_from_db()
    assert reservation.status == "cancelled"


def test_cancel_twice_is_not_cancellable(alice, reservation):
    services.cancel_reservation(user=alice, reservation_id=reservation.pk)
    with pytest.raises(NotCancellable):
        services.cancel_reservation(user=alice, reservation_id=reservation.pk)


def test_cancel_after_the_event_started_is_not_cancellable(alice, reservation, event):
    with time_machine.travel(event.event_date + timedelta(minutes=1)), pytest.raises(NotCancellable):
        services.cancel_reservation(user=alice, reservation_id=reservation.pk)
    assert Reservation.objects.get(pk=reservation.pk).status == "confirmed"


def test_cancel_unknown_reservation_is_not_found(alice):
    with pytest.raises(NotFound):
        services.cancel_reservation(user=alice, reservation_id=999999)


# --- Releasing expired holds ----------------------------------------------------------------------


def test_release_expired_locks_releases_only_expired_holds(alice, bob, event, seat_ids):
    hold(alice, event, seat_ids[0], seat_ids[1])
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        hold(bob, event, seat_ids[2])
        released = services.release_expired_locks()
    assert sorted(h.seat_id for h in released) == seat_ids[:2]
    assert {h.event_name for h in released} == {event.name}
    assert seat(seat_ids[0]).status == "available"
    assert seat(seat_ids[2]).locked_by_id == bob.pk


def test_release_expired_locks_works_in_chunks(alice, event, seat_ids, django_assert_num_queries):
    hold(alice, event, *seat_ids[:7])
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        # 3 chunks of 3, 3 and 1, each: SAVEPOINT, SELECT ... FOR UPDATE SKIP LOCKED, UPDATE with
        # the history (SQLite: an INSERT more), RELEASE SAVEPOINT, and the event names.
        with django_assert_num_queries(15 + 3 * HISTORY_INSERT):
            released = services.release_expired_locks(chunk_size=3)
    assert len(released) == 7
    assert not Seat.objects.filter(status="locked").exists()


def test_release_holds_releases_active_holds_for_staff(alice, event, seat_ids):
    hold(alice, event, seat_ids[0])
    released = services.release_holds(seat_ids=[seat_ids[0], seat_ids[1]])
    assert [h.seat_id for h in released] == [seat_ids[0]]
    assert seat(seat_ids[0]).status == "available"


# --- Reads see expiry at once ---------------------------------------------------------------------


def test_counts_treat_an_expired_hold_as_available(alice, event, seat_ids):
    hold(alice, event, seat_ids[0])
    assert selectors.events_with_counts().get(pk=event.pk).held_count == 1
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        counted = selectors.events_with_counts().get(pk=event.pk)
        assert (counted.held_count, counted.reserved_count, counted.seat_count) == (0, 0, 20)


def test_every_write_bumps_the_seat_version(alice, bob, event, seat_ids):
    hold(alice, event, seat_ids[0])
    services.unlock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    hold(bob, event, seat_ids[0])
    services.reserve_seats(user=bob, event_id=event.pk, seat_ids=[seat_ids[0]])
    assert seat(seat_ids[0]).version == 4
    assert set(Seat.objects.exclude(pk=seat_ids[0]).values_list("version", flat=True)) == {0}
