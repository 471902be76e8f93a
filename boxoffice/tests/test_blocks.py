"""Blocked seats: held back from sale by staff, all or none, and out of reach of every customer path."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from boxoffice.tests.helpers import block_url, hold, reserve, seat_states
from reservations import services
from reservations.exceptions import LockNotHeld, NotEnoughSeats, SeatUnavailable
from reservations.models import Seat, SeatHistory
from reservations.tests.helpers import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def test_staff_block_seats_and_every_reader_sees_them_blocked(staff_api, anon, event, seat_ids):
    response = staff_api.post_json(block_url(event), {"seat_ids": seat_ids[:3], "reason": "House seats"})
    assert response.status_code == 200
    assert response.json() == {"success": True, "blocked": 3}
    seats = anon.get(f"/api/events/{event.pk}/seats/").json()["seats"]
    assert [seat["status"] for seat in seats[:4]] == ["blocked", "blocked", "blocked", "available"]
    assert not seats[0]["is_locked"]
    detail = anon.get(f"/api/events/{event.pk}/").json()["event"]
    assert detail["blocked_seats"] == 3 and detail["available_seats"] == 17
    assert detail["sections"][0]["blocked_seats"] == 3
    assert anon.get("/api/events/").json()["events"][0]["blocked_seats"] == 3
    entry = SeatHistory.objects.get(seat_id=seat_ids[0])
    assert (entry.action, entry.reason, entry.via, entry.user_id) == ("block", "House seats", "api", None)


def test_the_feed_reports_a_block_and_an_unblock(staff_api, anon, event, seat_ids):
    cursor = anon.get(f"/api/events/{event.pk}/seats/").json()["cursor"]
    staff_api.post_json(block_url(event), {"seat_ids": [seat_ids[4]]})
    feed = anon.get(f"/api/events/{event.pk}/seats/?since={cursor}").json()
    assert [(seat["id"], seat["status"]) for seat in feed["seats"]] == [(seat_ids[4], "blocked")]
    staff_api.post_json(block_url(event, "unblock"), {"seat_ids": [seat_ids[4]]})
    feed = anon.get(f"/api/events/{event.pk}/seats/?since={feed['cursor']}").json()
    assert [(seat["id"], seat["status"]) for seat in feed["seats"]] == [(seat_ids[4], "available")]


def test_unblocking_puts_the_seats_on_sale_and_leaves_other_seats_alone(staff_api, alice, event, seat_ids):
    services.block_seats(by=None, event_id=event.pk, seat_ids=seat_ids[:2])
    response = staff_api.post_json(block_url(event, "unblock"), {"seat_ids": seat_ids[:3]})
    assert response.json() == {"success": True, "unblocked": 2}
    assert set(Seat.objects.filter(pk__in=seat_ids[:3]).values_list("status", flat=True)) == {"available"}
    hold(alice, event, seat_ids[0])  # on sale again


def test_blocking_twice_changes_nothing_the_second_time(staff_api, event, seat_ids):
    staff_api.post_json(block_url(event), {"seat_ids": seat_ids[:2]})
    before = seat_states(event)
    assert staff_api.post_json(block_url(event), {"seat_ids": seat_ids[:2]}).json()["blocked"] == 0
    assert seat_states(event) == before
    assert SeatHistory.objects.filter(action="block").count() == 2


def test_a_held_or_reserved_seat_cannot_be_blocked_and_nothing_changes(
    staff_api, alice, bob, event, seat_ids
):
    hold(alice, event, seat_ids[1])
    reserve(bob, event, seat_ids[2])
    before, history = seat_states(event), SeatHistory.objects.count()
    body = assert_error(
        staff_api.post_json(block_url(event), {"seat_ids": seat_ids[:4]}), 409, "seat_unavailable"
    )
    assert body["details"]["seat_ids"] == [seat_ids[1], seat_ids[2]]
    assert seat_states(event) == before and SeatHistory.objects.count() == history


def test_a_hold_that_ran_out_does_not_stand_in_the_way(staff, alice, event, seat_ids):
    hold(alice, event, seat_ids[0])
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert services.block_seats(by=staff, event_id=event.pk, seat_ids=[seat_ids[0]]) == 1
    seat = Seat.objects.get(pk=seat_ids[0])
    assert seat.status == "blocked" and seat.locked_by_id is None and seat.previous_holder_id == alice.pk
    actions = list(SeatHistory.objects.filter(seat_id=seat_ids[0]).values_list("action", "user_id", "by_id"))
    assert actions == [("hold", alice.pk, alice.pk), ("expire", alice.pk, None), ("block", None, staff.pk)]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"seat_ids": []}, 400, "invalid_request"),
        ({"seat_ids": list(range(1, 1002))}, 400, "invalid_request"),
        ({"seat_ids": [1, 1]}, 400, "invalid_request"),
        ({"seat_ids": ["1"]}, 400, "invalid_request"),
        ({}, 400, "invalid_request"),
        ({"seat_ids": [1], "colour": "red"}, 400, "invalid_request"),
        ({"seat_ids": [987654]}, 404, "not_found"),
    ],
)
def test_bad_block_requests_get_the_contracts_error_and_change_nothing(
    staff_api, event, seat_ids, body, status, code
):
    before = seat_states(event)
    for verb in ("block", "unblock"):
        assert_error(staff_api.post_json(block_url(event, verb), body), status, code)
    assert seat_states(event) == before and not SeatHistory.objects.exists()


def test_seats_of_another_event_are_not_found_and_nothing_changes(staff_api, event, seat_ids, make_event):
    other = make_event(5, name="Other")
    foreign = list(other.seats.values_list("pk", flat=True))
    before = seat_states(event), seat_states(other)
    for verb in ("block", "unblock"):
        assert_error(
            staff_api.post_json(block_url(event, verb), {"seat_ids": [seat_ids[0], foreign[0]]}),
            404,
            "not_found",
        )
    assert_error(
        staff_api.post_json("/api/events/987654/seats/block/", {"seat_ids": [seat_ids[0]]}), 404, "not_found"
    )
    assert (seat_states(event), seat_states(other)) == before


def test_customers_strangers_and_forged_requests_cannot_block(alice_api, anon, staff, event, seat_ids):
    for verb in ("block", "unblock"):
        assert_error(
            alice_api.post_json(block_url(event, verb), {"seat_ids": [seat_ids[0]]}), 403, "forbidden"
        )
        assert_error(
            anon.post_json(block_url(event, verb), {"seat_ids": [seat_ids[0]]}),
            401,
            "authentication_required",
        )
    session = ApiClient(enforce_csrf_checks=True)
    session.force_login(staff)
    assert_error(session.post_json(block_url(event), {"seat_ids": [seat_ids[0]]}), 403, "csrf_failed")
    assert not Seat.objects.filter(status="blocked").exists() and not SeatHistory.objects.exists()


def test_a_blocked_seat_cannot_be_held_reserved_or_picked_by_best_available(alice, event, seat_ids):
    services.block_seats(by=None, event_id=event.pk, seat_ids=seat_ids[:9])  # row A but its last seat
    with pytest.raises(SeatUnavailable) as refused:
        hold(alice, event, seat_ids[0])
    assert refused.value.details == {"seat_ids": [seat_ids[0]]} and "not for sale" in refused.value.message
    with pytest.raises(SeatUnavailable):
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    with pytest.raises(LockNotHeld):  # not blocked, just not held: the usual answer
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[9]])
    held = services.hold_best_available(user=alice, event_id=event.pk, count=2)
    assert {seat.row for seat in held.seats} == {"B"}


def test_the_api_refuses_holding_a_blocked_seat(alice_api, event, seat_ids):
    services.block_seats(by=None, event_id=event.pk, seat_ids=[seat_ids[0]])
    body = assert_error(
        alice_api.post_json(f"/api/events/{event.pk}/holds/", {"seat_ids": [seat_ids[0]]}),
        409,
        "seat_unavailable",
    )
    assert body["details"]["seat_ids"] == [seat_ids[0]]
    assert_error(
        alice_api.post_json(f"/api/events/{event.pk}/seats/{seat_ids[0]}/lock/"), 409, "seat_unavailable"
    )


def test_the_database_refuses_a_blocked_seat_that_is_held_or_reserved(alice, event, seat_ids):
    now = timezone.now()
    for fields in (
        {"locked_by": alice, "locked_at": now, "locked_until": now},
        {"reserved_by": alice, "reserved_at": now},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Seat.objects.filter(pk=seat_ids[0]).update(status="blocked", **fields)
    Seat.objects.filter(pk=seat_ids[0]).update(status="blocked")  # with no holder or owner: fine


def test_best_available_leaves_wheelchair_spaces_out(alice, event, seat_ids):
    Seat.objects.filter(pk__in=seat_ids[:10]).update(accessibility="wheelchair")
    held = services.hold_best_available(user=alice, event_id=event.pk, count=2)
    assert {seat.row for seat in held.seats} == {"B"}
    Seat.objects.filter(pk__in=seat_ids).update(accessibility="wheelchair")
    with pytest.raises(NotEnoughSeats):
        services.hold_best_available(user=alice, event_id=event.pk, count=1)
    hold(alice, event, seat_ids[0])  # asked for by its id, a wheelchair space can be held


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_block_and_a_hold_racing_for_a_seat_one_wins_and_the_history_says_which(
    staff, alice, event, seat_ids
):
    from reservations.tests.helpers import run_together

    outcomes = run_together(
        [
            lambda: services.block_seats(by=staff, event_id=event.pk, seat_ids=[seat_ids[0]]),
            lambda: services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]]),
        ]
    )
    failed = [outcome for outcome in outcomes if isinstance(outcome, SeatUnavailable)]
    assert len(failed) == 1, outcomes
    seat = Seat.objects.get(pk=seat_ids[0])
    actions = list(SeatHistory.objects.filter(seat_id=seat.pk).values_list("action", flat=True))
    assert actions == (["block"] if seat.status == "blocked" else ["hold"])
