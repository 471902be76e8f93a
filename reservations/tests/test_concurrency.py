"""Races on real PostgreSQL: threads with their own connections and real transactions.

SQLite ignores SELECT ... FOR UPDATE, and a test wrapped in one transaction hides a missing
``atomic()``, so these run on PostgreSQL with ``transaction=True``.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from reservations import services
from reservations.exceptions import DomainError, LockNotHeld, SeatUnavailable
from reservations.models import Reservation, ReservationSeat, Seat
from reservations.tests.helpers import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def wait_for_lock_waiter(timeout: float = 10.0) -> None:
    """Block until another connection is waiting on a row lock in this database."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # pg_locks, unlike pg_stat_activity, is not frozen for the rest of a transaction.
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.01)
    raise AssertionError("no connection started waiting on the row lock")


def test_fifty_users_lock_one_seat_and_exactly_one_wins(make_user, event, seat_ids):
    users = [make_user(f"user{i}") for i in range(50)]
    outcomes = run_together(
        [lambda u=u: services.lock_seat(user=u, event_id=event.pk, seat_id=seat_ids[0]) for u in users]
    )
    winners = [o for o in outcomes if isinstance(o, Seat)]
    losers = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(winners) == 1
    assert len(losers) == 49 and {e.code for e in losers} == {"seat_unavailable"}
    assert Seat.objects.get(pk=seat_ids[0]).locked_by_id == winners[0].locked_by_id


def test_lock_waits_for_a_competing_transaction_and_rechecks(alice, bob, event, seat_ids):
    """Fails if lock_seat reads the seat without SELECT ... FOR UPDATE.

    A competing transaction holds the seat's row lock while it gives the seat to alice. With the row
    lock, bob's lock_seat waits, then sees alice's hold and fails. Without it, bob reads the old
    "available" row at once, and his UPDATE would later overwrite alice's hold.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            Seat.objects.select_for_update().get(pk=seat_ids[0])

            def bob_locks():
                try:
                    return services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[0])
                except DomainError as error:
                    return error
                finally:
                    connections.close_all()

            outcome = pool.submit(bob_locks)
            wait_for_lock_waiter()
            now = timezone.now()
            Seat.objects.filter(pk=seat_ids[0]).update(
                status=Seat.Status.LOCKED,
                locked_by=alice,
                locked_at=now,
                locked_until=now + timedelta(minutes=5),
            )
        result = outcome.result(timeout=10)
    assert isinstance(result, SeatUnavailable)
    assert Seat.objects.get(pk=seat_ids[0]).locked_by_id == alice.pk


def test_opposite_order_reservations_never_deadlock(alice, bob, event, seat_ids):
    """Two users ask for overlapping seats in opposite orders, many times: no deadlock error."""
    mine, theirs = seat_ids[:5], seat_ids[5:10]
    for user, ids in ((alice, mine), (bob, theirs)):
        for seat_id in ids:
            services.lock_seat(user=user, event_id=event.pk, seat_id=seat_id)
    for _ in range(20):
        outcomes = run_together(
            [
                lambda: services.reserve_seats(
                    user=alice, event_id=event.pk, seat_ids=list(reversed(mine + theirs[:2]))
                ),
                lambda: services.reserve_seats(user=bob, event_id=event.pk, seat_ids=theirs + mine[-2:]),
            ]
        )
        assert not any(isinstance(o, OperationalError) for o in outcomes), outcomes
        assert all(isinstance(o, LockNotHeld) for o in outcomes), outcomes
    # Now without overlap: both succeed, each with its own seats.
    outcomes = run_together(
        [
            lambda: services.reserve_seats(user=alice, event_id=event.pk, seat_ids=list(reversed(mine))),
            lambda: services.reserve_seats(user=bob, event_id=event.pk, seat_ids=theirs),
        ]
    )
    assert all(isinstance(o, Reservation) for o in outcomes), outcomes
    assert ReservationSeat.objects.filter(is_active=True).count() == 10
    assert set(Seat.objects.filter(pk__in=mine).values_list("reserved_by", flat=True)) == {alice.pk}
    assert set(Seat.objects.filter(pk__in=theirs).values_list("reserved_by", flat=True)) == {bob.pk}


def test_release_job_racing_a_relock_never_drops_the_new_hold(alice, bob, event, seat_ids):
    for _ in range(25):
        past = timezone.now() - timedelta(seconds=1)
        Seat.objects.filter(pk=seat_ids[0]).update(
            status=Seat.Status.LOCKED,
            locked_by=alice,
            locked_at=past - timedelta(minutes=5),
            locked_until=past,
            previous_holder=None,  # bob's hold of the round before is not his cooldown here
        )
        outcomes = run_together(
            [
                lambda: services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[0]),
                services.release_expired_locks,
            ]
        )
        assert isinstance(outcomes[0], Seat), outcomes
        row = Seat.objects.get(pk=seat_ids[0])
        assert row.status == "locked" and row.locked_by_id == bob.pk
        assert row.locked_until > timezone.now()
        services.unlock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[0])


def test_release_skips_a_seat_whose_row_is_being_relocked(alice, bob, event, seat_ids):
    """While a re-lock holds the row, the cleaner passes over it instead of waiting or releasing."""
    past = timezone.now() - timedelta(seconds=1)
    Seat.objects.filter(pk=seat_ids[0]).update(
        status=Seat.Status.LOCKED, locked_by=alice, locked_at=past, locked_until=past
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            Seat.objects.select_for_update().get(pk=seat_ids[0])
            now = timezone.now()
            Seat.objects.filter(pk=seat_ids[0]).update(
                locked_by=bob, locked_at=now, locked_until=now + timedelta(minutes=5)
            )

            def release():
                try:
                    return services.release_expired_locks()
                finally:
                    connections.close_all()

            released = pool.submit(release).result(timeout=10)
    assert released == []
    assert Seat.objects.get(pk=seat_ids[0]).locked_by_id == bob.pk


def test_two_cleaners_at_once_release_each_hold_once(alice, event, seat_ids):
    past = timezone.now() - timedelta(seconds=1)
    Seat.objects.filter(pk__in=seat_ids).update(
        status=Seat.Status.LOCKED, locked_by=alice, locked_at=past, locked_until=past
    )
    outcomes = run_together([services.release_expired_locks, services.release_expired_locks])
    released = [hold.seat_id for result in outcomes for hold in result]
    assert sorted(released) == seat_ids
    assert not Seat.objects.filter(status="locked").exists()


def test_hold_limit_holds_under_parallel_requests_of_one_user(alice, event, seat_ids, settings):
    settings.SEAT_HOLD_LIMIT = 3
    outcomes = run_together(
        [lambda s=s: services.lock_seat(user=alice, event_id=event.pk, seat_id=s) for s in seat_ids[:8]]
    )
    assert sum(isinstance(o, Seat) for o in outcomes) == 3
    assert {o.code for o in outcomes if isinstance(o, DomainError)} == {"hold_limit_reached"}
    assert Seat.objects.filter(locked_by=alice).count() == 3
