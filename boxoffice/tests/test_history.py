"""Every seat's history: exact, in order, written by the same call as the change."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from boxoffice.tests.helpers import hold, reserve
from reservations import services
from reservations.exceptions import SeatUnavailable
from reservations.models import Seat, SeatHistory
from reservations.tests.helpers import assert_error
from tickets import services as ticket_services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

LOCK = timedelta(seconds=300)


def history_url(event, seat_id) -> str:
    return f"/api/events/{event.pk}/seats/{seat_id}/history/"


def lines(staff_api, event, seat_id) -> list[tuple]:
    response = staff_api.get(history_url(event, seat_id))
    assert response.status_code == 200, response.content
    return [(line["action"], line["user"], line["by"], line["via"]) for line in response.json()["history"]]


def test_a_seats_whole_life_in_order(staff_api, staff, alice, bob, event, seat_ids):
    seat = seat_ids[0]
    start = timezone.now()
    hold(alice, event, seat)
    services.unlock_seat(user=alice, event_id=event.pk, seat_id=seat)
    reservation = reserve(bob, event, seat)
    services.cancel_reservation(user=staff, reservation_id=reservation.pk)
    services.block_seats(by=staff, event_id=event.pk, seat_ids=[seat], reason="Camera")
    services.unblock_seats(by=staff, event_id=event.pk, seat_ids=[seat])
    reservation = reserve(bob, event, seat)
    ticket = Ticket.objects.get(reservation=reservation)
    ticket_services.check_in(staff=staff, event_id=event.pk, code=ticket.code)
    assert lines(staff_api, event, seat) == [
        ("hold", "alice", "alice", "api"),
        ("release", "alice", "alice", "api"),
        ("hold", "bob", "bob", "api"),
        ("reserve", "bob", "bob", "api"),
        ("cancel", "bob", "staffer", "api"),
        ("block", None, "staffer", "api"),
        ("unblock", None, "staffer", "api"),
        ("hold", "bob", "bob", "api"),
        ("reserve", "bob", "bob", "api"),
        ("check_in", "bob", "staffer", "api"),
    ]
    history = staff_api.get(history_url(event, seat)).json()["history"]
    assert history[5]["reason"] == "Camera" and history[0]["reason"] == ""
    times = [line["at"] for line in history]
    assert times == sorted(times) and times[0] >= start.isoformat()


def test_an_expiry_then_someone_elses_hold_before_the_release_job(staff_api, alice, bob, event, seat_ids):
    seat = seat_ids[0]
    hold(alice, event, seat)
    ran_out = Seat.objects.get(pk=seat).locked_until
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=30)):
        hold(bob, event, seat)  # the release job has not run: bob's hold finds alice's run out
        services.release_expired_locks()  # the scheduler's job: nothing left for it here
    history = staff_api.get(history_url(event, seat)).json()["history"]
    assert [(line["action"], line["user"], line["by"]) for line in history] == [
        ("hold", "alice", "alice"),
        ("expire", "alice", None),
        ("hold", "bob", "bob"),
    ]
    expired = SeatHistory.objects.get(seat_id=seat, action="expire")
    assert expired.at == ran_out  # dated at the hold's end, not when it was found
    assert history[1]["at"] < history[2]["at"]


def test_the_release_job_the_command_and_the_admin_say_which_door(
    staff_api, admin_client_, staff, alice, bob, event, seat_ids
):
    hold(alice, event, seat_ids[0])
    hold(bob, event, seat_ids[1])
    hold(alice, event, seat_ids[2])
    expiry = Seat.objects.get(pk=seat_ids[0]).locked_until
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        services.release_expired_locks()  # as the scheduler's job calls it
    assert lines(staff_api, event, seat_ids[0])[-1] == ("expire", "alice", None, "scheduler")
    assert SeatHistory.objects.get(seat_id=seat_ids[0], action="expire").at == expiry

    hold(alice, event, seat_ids[3])
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        call_command("release_expired_locks", "--quiet")
    assert lines(staff_api, event, seat_ids[3])[-1] == ("expire", "alice", None, "command")

    hold(bob, event, seat_ids[4])
    response = admin_client_.post(
        "/admin/reservations/seat/",
        {"action": "release_selected_holds", "_selected_action": [seat_ids[4]]},
    )
    assert response.status_code == 302
    assert lines(staff_api, event, seat_ids[4])[-1] == ("release", "bob", "staffer", "admin")

    admin_client_.post(
        "/admin/reservations/seat/",
        {"action": "block_selected", "_selected_action": [seat_ids[5], seat_ids[6]]},
    )
    assert lines(staff_api, event, seat_ids[5]) == [("block", None, "staffer", "admin")]
    admin_client_.post(
        "/admin/reservations/seat/", {"action": "unblock_selected", "_selected_action": [seat_ids[5]]}
    )
    assert lines(staff_api, event, seat_ids[5])[-1] == ("unblock", None, "staffer", "admin")
    assert Seat.objects.get(pk=seat_ids[6]).status == "blocked"


def test_giving_up_all_holds_records_a_release_or_an_expiry_for_each(staff_api, alice, event, seat_ids):
    hold(alice, event, seat_ids[0])
    with time_machine.travel(timezone.now() + timedelta(seconds=200)):
        hold(alice, event, seat_ids[1])
    with time_machine.travel(timezone.now() + timedelta(seconds=350)):
        assert services.release_my_holds(user=alice, event_id=event.pk) == 1
    assert lines(staff_api, event, seat_ids[0])[-1] == ("expire", "alice", None, "api")
    assert lines(staff_api, event, seat_ids[1])[-1] == ("release", "alice", "alice", "api")


def test_a_refused_write_leaves_no_history(alice, bob, event, seat_ids):
    hold(alice, event, seat_ids[0])
    before = SeatHistory.objects.count()
    with pytest.raises(SeatUnavailable):
        hold(bob, event, seat_ids[0], seat_ids[1])
    assert SeatHistory.objects.count() == before


def test_a_history_that_cannot_be_written_undoes_the_change(alice, event, seat_ids):
    """The history is part of the write: if it fails, the seat is not held either."""
    with mock.patch("reservations.services.rows._HISTORY", "no_such_table"), pytest.raises(DatabaseError):
        hold(alice, event, seat_ids[0])
    assert Seat.objects.get(pk=seat_ids[0]).status == "available"


def test_history_is_for_staff_and_of_a_seat_of_the_event(
    staff_api, alice_api, anon, event, seat_ids, make_event
):
    other = make_event(3, name="Other")
    foreign = other.seats.first().pk
    assert_error(staff_api.get(history_url(event, foreign)), 404, "not_found")
    assert_error(staff_api.get(history_url(event, 987654)), 404, "not_found")
    assert_error(staff_api.get(f"/api/events/987654/seats/{seat_ids[0]}/history/"), 404, "not_found")
    assert_error(alice_api.get(history_url(event, seat_ids[0])), 403, "forbidden")
    assert_error(anon.get(history_url(event, seat_ids[0])), 401, "authentication_required")
    assert staff_api.get(history_url(event, seat_ids[0])).json() == {"success": True, "history": []}


def test_the_seats_admin_page_shows_its_history(admin_client_, alice, event, seat_ids):
    hold(alice, event, seat_ids[0])
    page = admin_client_.get(f"/admin/reservations/seat/{seat_ids[0]}/change/").content.decode()
    assert 'class="seat-history"' in page and "Held" in page and "alice" in page
