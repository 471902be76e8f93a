"""Management commands: what operators run."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from reservations import services
from reservations.models import Event, Reservation, Seat, Venue

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_release_expired_locks_prints_each_seat_and_the_total(alice, event, seat_ids):
    for seat_id in seat_ids[:2]:
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_id)
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        output = run("release_expired_locks")
    assert f"Released lock on seat A1 (event: {event.name})" in output
    assert f"Released lock on seat A2 (event: {event.name})" in output
    assert output.strip().endswith("Total locks released: 2")
    assert not Seat.objects.filter(status="locked").exists()


def test_release_expired_locks_quiet_prints_only_the_total(alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert run("release_expired_locks", "--quiet").strip() == "Total locks released: 1"


def test_release_expired_locks_leaves_active_holds(alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    assert run("release_expired_locks").strip() == "Total locks released: 0"
    assert Seat.objects.get(pk=seat_ids[0]).status == "locked"


def test_populate_events_creates_the_demo_and_is_idempotent():
    run("populate_events")
    matrix = Event.objects.get(name="The Matrix - Special Screening")
    assert matrix.event_date > timezone.now()
    assert (matrix.venue.name, matrix.location) == ("Central Cinema", "Central Cinema")
    seats = list(matrix.seats.order_by("pk").values_list("seat_number", "price", "section__name"))
    assert len(seats) == 60 and seats[0][0] == "A1" and seats[-1][0] == "F10"
    assert {(price, section) for _, price, section in seats} == {(100, "Main")}

    concert = Event.objects.get(name="Symphony No. 9 - Gala Night")
    sections = list(concert.sections.order_by("position").values_list("name", flat=True))
    assert sections == ["Stalls", "Circle", "Balcony"]
    assert 1900 <= concert.total_seats == concert.seats.count() <= 2100
    assert set(concert.seats.values_list("price", flat=True)) == {85, 60, 35}
    lengths = set(concert.seats.values("section", "row").annotate(n=Count("pk")).values_list("n", flat=True))
    assert len(lengths) > 2  # rows of different lengths
    aisle = dict(
        concert.seats.filter(seat_number__in=["S-A15", "S-A16", "S-A17"]).values_list("seat_number", "x")
    )
    assert aisle["S-A16"] - aisle["S-A15"] == 1 and aisle["S-A17"] - aisle["S-A16"] == 2  # the aisle

    conference = Event.objects.get(name="PyCon Local 2027")
    assert conference.venue is None and conference.seats.count() == 60

    output = run("populate_events")
    assert "Exists: The Matrix - Special Screening" in output
    assert Event.objects.count() == 3 and Venue.objects.count() == 2
    assert Seat.objects.count() == 60 + concert.total_seats + 60


def test_populate_events_reset_recreates_events_and_drops_reservations(alice):
    run("populate_events", "--events", "1")
    matrix = Event.objects.get()
    seat = matrix.seats.first()
    services.lock_seat(user=alice, event_id=matrix.pk, seat_id=seat.pk)
    services.reserve_seats(user=alice, event_id=matrix.pk, seat_ids=[seat.pk])
    run("populate_events", "--events", "1", "--reset")
    event = Event.objects.get()
    assert event.pk != matrix.pk and event.seats.count() == 60 and event.venue == matrix.venue
    assert not event.seats.exclude(status="available").exists()


def test_populate_events_builds_a_stadium_in_twenty_blocks_with_bulk_inserts(django_assert_max_num_queries):
    # Batched INSERTs, not one per seat: ~30 on PostgreSQL, ~1,000 on SQLite (999 parameters a query).
    with django_assert_max_num_queries(1500):
        run("populate_events", "--events", "0", "--stadium")
    final = Event.objects.get(name="Cup Final")
    assert final.seats.count() == 50_000 and final.sections.count() == 20
    last = final.sections.order_by("position").last()
    assert (last.name, last.width, last.height) == ("Block 120", 50, 50)
    assert final.seats.order_by("-pk").values_list("seat_number", flat=True)[0] == "120-AX50"


def test_populate_events_without_venues_lays_out_rows():
    run("populate_events", "--events", "4", "--seats-per-event", "25", "--seats-per-row", "5")
    generated = Event.objects.get(name="Demo Event 4")
    assert generated.seats.count() == 25 and generated.sections.get().name == "Main"
    assert generated.seats.order_by("-pk").values_list("seat_number", flat=True)[0] == "E5"


def test_populate_events_rejects_negative_numbers():
    with pytest.raises(CommandError):
        run("populate_events", "--seats-per-event", "-1")


def test_ensure_staff_user_prints_a_random_password_once():
    first = run("ensure_staff_user")
    user = get_user_model().objects.get(username="admin")
    assert user.is_staff and user.is_superuser
    password = first.split("password '")[1].split("'")[0]
    assert len(password) >= 16 and user.check_password(password)
    second = run("ensure_staff_user")
    assert password not in second and "exists" in second


def test_check_seat_invariants_passes_on_sound_data(alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[1])
    services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[1]])
    assert run("check_seat_invariants").strip() == "All seat invariants hold."


def test_check_seat_invariants_lists_offenders_and_fails(alice, bob, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    reservation = services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    # Data written around the application: a wrong total, and a seat handed to someone else.
    Reservation.objects.filter(pk=reservation.pk).update(total_price=1)
    Seat.objects.filter(pk=seat_ids[0]).update(reserved_by=bob)
    out = StringIO()
    with pytest.raises(CommandError, match="invariant"):
        call_command("check_seat_invariants", stdout=out)
    report = out.getvalue()
    assert f"confirmed_reservation_total_not_sum_of_seat_prices: 1 offender(s): {reservation.pk}" in report
    assert (
        f"reserved_seat_not_in_exactly_one_confirmed_reservation_of_its_owner: 1 offender(s): {seat_ids[0]}"
        in report
    )
