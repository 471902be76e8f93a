"""Public reads: events, the seat grid with its ETag, one seat."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from reservations import services

pytestmark = pytest.mark.django_db

LOCK = timedelta(seconds=300)


def grid_url(event) -> str:
    return f"/api/events/{event.pk}/seats/"


# --- Events ---------------------------------------------------------------------------------------


def test_event_list_shows_upcoming_events_with_effective_counts(anon, alice, make_event):
    event = make_event(20)
    make_event(5, name="Yesterday", starts_in=timedelta(days=-1))
    seats = list(event.seats.order_by("pk"))
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seats[0].pk)
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seats[1].pk)
    services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seats[1].pk])

    response = anon.get("/api/events/")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert [e["name"] for e in body["events"]] == [event.name]
    listed = body["events"][0]
    assert listed["total_seats"] == 20
    assert (listed["available_seats"], listed["locked_seats"], listed["reserved_seats"]) == (18, 1, 1)
    assert (listed["min_price"], listed["max_price"]) == ("100.00", "100.00")
    assert listed["location"] == "Central Cinema" and listed["is_open"] is True

    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        listed = anon.get("/api/events/").json()["events"][0]
        assert (listed["available_seats"], listed["locked_seats"]) == (19, 0)


@pytest.mark.parametrize(("events", "seats"), [(1, 3), (50, 3), (2, 2000)])
def test_event_list_costs_the_same_whatever_the_number_of_events_and_seats(
    anon, make_event, events, seats, django_assert_num_queries
):
    for index in range(events):
        make_event(seats, name=f"Event {index}")
    with django_assert_num_queries(2):  # the events; their counts, cached for 2 s
        response = anon.get("/api/events/")
    assert len(response.json()["events"]) == events
    with django_assert_num_queries(0):  # the whole list comes from the cache (at most 2 s old)
        again = anon.get("/api/events/")
    assert again.json() == response.json()


def test_event_detail_and_unknown_event(anon, event):
    response = anon.get(f"/api/events/{event.pk}/")
    assert response.status_code == 200
    assert response.json()["event"]["id"] == event.pk
    missing = anon.get("/api/events/999999/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


# --- The seat grid ------------------------------------------------------------------------------


def test_seat_grid_shows_states_and_shows_the_expiry_only_to_the_holder(
    anon, alice_api, bob_api, alice, event, seat_ids
):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    mine = alice_api.get(grid_url(event)).json()
    assert mine["event_id"] == event.pk and mine["lock_seconds"] == 300
    assert len(mine["seats"]) == 20
    first = mine["seats"][0]
    assert first["seat_number"] == "A1" and first["row"] == "A" and first["number"] == 1
    assert first["status"] == "locked" and first["is_locked"] and first["locked_by_me"]
    assert first["locked_until"] is not None and first["price"] == "100.00"
    assert mine["seats"][1] == {
        "id": seat_ids[1],
        "seat_number": "A2",
        "section": "Main",
        "row": "A",
        "number": 2,
        "x": 1,
        "y": 0,
        "price": "100.00",
        "status": "available",
        "is_locked": False,
        "locked_by_me": False,
        "locked_until": None,
        "accessibility": None,
    }
    for client in (bob_api, anon):
        theirs = client.get(grid_url(event)).json()["seats"][0]
        assert theirs["status"] == "locked" and theirs["is_locked"]
        assert theirs["locked_by_me"] is False and theirs["locked_until"] is None


def test_seat_grid_shows_an_expired_hold_as_available_before_cleanup(anon, alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        seat = anon.get(grid_url(event)).json()["seats"][0]
    assert (seat["status"], seat["is_locked"], seat["locked_until"]) == ("available", False, None)


def test_seat_grid_of_unknown_event_is_not_found(anon):
    response = anon.get("/api/events/424242/seats/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_seat_grid_of_an_event_without_seats_is_empty(anon, make_event):
    event = make_event(0)
    assert anon.get(grid_url(event)).json()["seats"] == []


@pytest.mark.parametrize("seats", [10, 1000])
def test_seat_grid_uses_a_constant_number_of_queries(alice_api, make_event, seats, django_assert_num_queries):
    event = make_event(seats)
    alice_api.get("/api/events/")  # token's last_used_at is written once, not per request
    # token lookup, ETag aggregate, seat rows
    with django_assert_num_queries(3):
        response = alice_api.get(grid_url(event))
    assert len(response.json()["seats"]) == seats


# --- ETag ---------------------------------------------------------------------------------------


def test_unchanged_grid_is_answered_304_without_building_it(anon, event, django_assert_num_queries):
    first = anon.get(grid_url(event))
    etag = first["ETag"]
    assert etag and "no-cache" in first["Cache-Control"]
    with django_assert_num_queries(1):  # only the ETag aggregate
        again = anon.get(grid_url(event), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "no-cache" in again["Cache-Control"]


def test_etag_changes_after_a_hold_a_release_and_a_reservation(anon, alice, bob, event, seat_ids):
    start, tags = timezone.now(), [anon.get(grid_url(event))["ETag"]]

    def tag_after(seconds: float) -> str:  # the shared rendering is rebuilt once a second at most
        with time_machine.travel(start + timedelta(seconds=seconds)):
            return anon.get(grid_url(event))["ETag"]

    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    tags.append(tag_after(1.1))
    services.unlock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    tags.append(tag_after(2.2))
    services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[0])
    services.reserve_seats(user=bob, event_id=event.pk, seat_ids=[seat_ids[0]])
    tags.append(tag_after(3.3))
    assert len(set(tags)) == 4
    stale = anon.get(grid_url(event), HTTP_IF_NONE_MATCH=tags[0])
    assert stale.status_code == 200


def test_etag_changes_when_a_hold_expires_with_no_write(anon, alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    held_tag = anon.get(grid_url(event))["ETag"]
    with time_machine.travel(timezone.now() + LOCK + timedelta(seconds=1)):
        response = anon.get(grid_url(event), HTTP_IF_NONE_MATCH=held_tag)
        assert response.status_code == 200
        assert response["ETag"] != held_tag
        assert response.json()["seats"][0]["status"] == "available"


def test_etag_differs_per_user(anon, alice_api, bob_api, event):
    tags = {client.get(grid_url(event))["ETag"] for client in (anon, alice_api, bob_api)}
    assert len(tags) == 3


def test_grid_varies_on_credentials(anon, event):
    vary = anon.get(grid_url(event))["Vary"]
    assert "Authorization" in vary and "Cookie" in vary


# --- One seat -------------------------------------------------------------------------------------


def test_seat_detail(anon, event, seat_ids):
    response = anon.get(f"/api/events/{event.pk}/seats/{seat_ids[3]}/")
    assert response.status_code == 200
    assert response.json()["seat"]["seat_number"] == "A4"


def test_seat_of_another_event_is_not_found(anon, event, make_event):
    other = make_event(1, name="Other")
    response = anon.get(f"/api/events/{event.pk}/seats/{other.seats.get().pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_viewers_without_holds_share_one_cached_rendering(
    anon, bob_api, alice, event, seat_ids, django_assert_num_queries
):
    def shared_part(answer: dict) -> dict:
        return {key: value for key, value in answer.items() if key != "server_time"}

    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    first = anon.get(grid_url(event)).json()
    with django_assert_num_queries(1):  # the grid check only: the rows come from the cache
        again = anon.get(grid_url(event)).json()
    assert shared_part(again) == shared_part(first)
    bob_api.get("/api/events/")
    with django_assert_num_queries(2):  # token, grid check
        assert shared_part(bob_api.get(grid_url(event)).json()) == shared_part(first)
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[1])
    with django_assert_num_queries(2):  # grid check, the changed seat: written into the rendering
        newer = anon.get(grid_url(event)).json()
    assert [seat["status"] for seat in newer["seats"][:3]] == ["locked", "locked", "available"]
    assert newer["cursor"] != first["cursor"]
    with django_assert_num_queries(1):  # the rendering is current again: the grid check only
        assert shared_part(anon.get(grid_url(event)).json()) == shared_part(newer)
