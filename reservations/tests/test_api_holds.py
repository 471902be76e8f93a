"""Holding and reserving through the API: success bodies, every error code, and hostile input."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.test.utils import override_settings
from django.utils import timezone

from reservations import services
from reservations.models import Reservation, Seat
from reservations.tests.helpers import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def lock_url(event, seat_id) -> str:
    return f"/api/events/{event.pk}/seats/{seat_id}/lock/"


def unlock_url(event, seat_id) -> str:
    return f"/api/events/{event.pk}/seats/{seat_id}/unlock/"


def reserve_url(event) -> str:
    return f"/api/events/{event.pk}/reserve/"


def seat_states() -> list[tuple]:
    return list(Seat.objects.order_by("pk").values_list("status", "locked_by", "reserved_by", "version"))


# --- Lock -----------------------------------------------------------------------------------------


def test_lock_holds_the_seat(alice_api, alice, event, seat_ids):
    response = alice_api.post_json(lock_url(event, seat_ids[0]))
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Seat A1 locked for 5 minutes"
    assert body["seat"]["id"] == seat_ids[0] and body["seat"]["seat_number"] == "A1"
    assert body["seat"]["status"] == "locked"
    assert Seat.objects.get(pk=seat_ids[0]).locked_by_id == alice.pk


def test_lock_needs_authentication(anon, event, seat_ids):
    assert_error(anon.post_json(lock_url(event, seat_ids[0])), 401, "authentication_required")
    assert Seat.objects.get(pk=seat_ids[0]).status == "available"


def test_lock_with_a_bad_token_is_refused(event, seat_ids):
    client = ApiClient(token="not-a-real-token")
    assert_error(client.post_json(lock_url(event, seat_ids[0])), 401, "authentication_required")


def test_lock_of_a_seat_held_by_someone_else(alice_api, bob_api, event, seat_ids):
    alice_api.post_json(lock_url(event, seat_ids[0]))
    before = seat_states()
    assert_error(bob_api.post_json(lock_url(event, seat_ids[0])), 409, "seat_unavailable")
    assert seat_states() == before


@override_settings(SEAT_HOLD_LIMIT=2)
def test_lock_beyond_the_hold_limit(alice_api, event, seat_ids):
    for seat_id in seat_ids[:2]:
        assert alice_api.post_json(lock_url(event, seat_id)).status_code == 200
    assert_error(alice_api.post_json(lock_url(event, seat_ids[2])), 409, "hold_limit_reached")


def test_lock_after_the_event_started(alice_api, make_event):
    event = make_event(1, starts_in=timedelta(hours=-1))
    assert_error(alice_api.post_json(lock_url(event, event.seats.get().pk)), 409, "event_closed")


def test_lock_of_a_seat_of_another_event_or_unknown_seat(alice_api, event, make_event):
    other = make_event(1, name="Other")
    assert_error(alice_api.post_json(lock_url(event, other.seats.get().pk)), 404, "not_found")
    assert_error(alice_api.post_json(lock_url(event, 99999999)), 404, "not_found")
    assert_error(alice_api.post_json(f"/api/events/0/seats/{other.seats.get().pk}/lock/"), 404, "not_found")
    assert not Seat.objects.filter(status="locked").exists()


def test_lock_by_get_is_not_allowed(alice_api, event, seat_ids):
    response = alice_api.get(lock_url(event, seat_ids[0]))
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


# --- Unlock ---------------------------------------------------------------------------------------


def test_unlock_releases_your_hold(alice_api, event, seat_ids):
    alice_api.post_json(lock_url(event, seat_ids[0]))
    response = alice_api.post_json(unlock_url(event, seat_ids[0]))
    assert response.status_code == 200 and response.json()["message"] == "Seat A1 unlocked"
    assert Seat.objects.get(pk=seat_ids[0]).status == "available"


def test_unlock_of_someone_elses_hold_is_lock_not_held(alice_api, bob_api, event, seat_ids):
    alice_api.post_json(lock_url(event, seat_ids[0]))
    before = seat_states()
    assert_error(bob_api.post_json(unlock_url(event, seat_ids[0])), 409, "lock_not_held")
    assert_error(bob_api.post_json(unlock_url(event, seat_ids[1])), 409, "lock_not_held")
    assert seat_states() == before


def test_unlock_needs_authentication(anon, event, seat_ids):
    assert_error(anon.post_json(unlock_url(event, seat_ids[0])), 401, "authentication_required")


# --- Reserve --------------------------------------------------------------------------------------


def test_reserve_confirms_the_held_seats(alice_api, alice, event, seat_ids):
    for seat_id in (seat_ids[0], seat_ids[2], seat_ids[4]):
        alice_api.post_json(lock_url(event, seat_id))
    response = alice_api.post_json(reserve_url(event), {"seat_ids": [seat_ids[4], seat_ids[0], seat_ids[2]]})
    assert response.status_code == 201
    body = response.json()
    reservation = Reservation.objects.get()
    assert body == {
        "success": True,
        "message": "Successfully reserved 3 seat(s)",
        "reservation_id": reservation.pk,
        "seats": ["A1", "A3", "A5"],
        "total_price": "300.00",
        "currency": "EUR",
    }
    assert reservation.user == alice and reservation.status == "confirmed"


def test_reserve_with_a_seat_you_do_not_hold(alice_api, bob_api, event, seat_ids):
    alice_api.post_json(lock_url(event, seat_ids[0]))
    bob_api.post_json(lock_url(event, seat_ids[1]))
    before = seat_states()
    body = assert_error(
        alice_api.post_json(reserve_url(event), {"seat_ids": [seat_ids[0], seat_ids[1]]}),
        409,
        "lock_not_held",
    )
    assert body["details"] == {"seat_ids": [seat_ids[1]]}
    assert seat_states() == before and not Reservation.objects.exists()


def test_reserve_after_the_hold_expired(alice_api, event, seat_ids):
    alice_api.post_json(lock_url(event, seat_ids[0]))
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        response = alice_api.post_json(reserve_url(event), {"seat_ids": [seat_ids[0]]})
    assert_error(response, 409, "lock_not_held")


def test_reserve_after_the_event_started(alice_api, alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with time_machine.travel(event.event_date + timedelta(seconds=1)):
        response = alice_api.post_json(reserve_url(event), {"seat_ids": [seat_ids[0]]})
    assert_error(response, 409, "event_closed")


def test_reserve_a_seat_of_another_event_is_not_found(alice_api, alice, event, seat_ids, make_event):
    other = make_event(1, name="Other")
    services.lock_seat(user=alice, event_id=other.pk, seat_id=other.seats.get().pk)
    response = alice_api.post_json(reserve_url(event), {"seat_ids": [other.seats.get().pk]})
    assert_error(response, 404, "not_found")


def test_reserve_needs_authentication(anon, event, seat_ids):
    assert_error(
        anon.post_json(reserve_url(event), {"seat_ids": [seat_ids[0]]}), 401, "authentication_required"
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"seat_ids": []},
        {"seat_ids": None},
        {"seat_ids": "1,2"},
        {"seat_ids": 1},
        {"seat_ids": {"id": 1}},
        {"seat_ids": ["1"]},
        {"seat_ids": [1.0]},
        {"seat_ids": [1.5]},
        {"seat_ids": [None]},
        {"seat_ids": [True]},
        {"seat_ids": [[1]]},
        {"seat_ids": [{"id": 1}]},
        {"seat_ids": [0]},
        {"seat_ids": [-1]},
        {"seat_ids": [2**63]},
        {"seat_ids": [10**30]},
        {"seat_ids": [1, 1]},
        {"seat_ids": list(range(1, 12))},
        {"seat_ids": list(range(1, 10_001))},
        [1, 2],
        "seat_ids",
        None,
    ],
    ids=repr,
)
def test_reserve_refuses_malformed_seat_ids(alice_api, alice, event, seat_ids, body):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    before = seat_states()
    response = alice_api.post(reserve_url(event), json.dumps(body), content_type="application/json")
    assert_error(response, 400, "invalid_request")
    assert seat_states() == before and not Reservation.objects.exists()


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b'{"seat_ids": [1]}', "text/plain"),
        (b"seat_ids=1", "application/x-www-form-urlencoded"),
        (b'{"seat_ids": "\xff\xfe"}', "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b'{"seat_ids": [1], "pad": "' + b"x" * 70_000 + b'"}', "application/json"),
    ],
    ids=["not-json", "empty", "text-plain", "form", "not-utf8", "deeply-nested", "too-large"],
)
def test_reserve_refuses_bodies_that_are_not_a_small_json_object(
    alice_api, alice, event, seat_ids, raw, content_type
):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    before = seat_states()
    response = alice_api.post(reserve_url(event), raw, content_type=content_type)
    assert_error(response, 400, "invalid_request")
    assert seat_states() == before and not Reservation.objects.exists()
