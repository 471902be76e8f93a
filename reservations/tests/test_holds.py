"""Holding several seats at once, best available, and giving up my holds."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from reservations import hooks, services
from reservations.best_available import FreeSeat, best_blocks
from reservations.models import Seat, Venue
from reservations.tests.helpers import ApiClient, assert_error

pytestmark = pytest.mark.django_db


def holds_url(event) -> str:
    return f"/api/events/{event.pk}/holds/"


def states(event) -> list[tuple]:
    return list(event.seats.order_by("pk").values_list("status", "locked_by", "locked_until"))


# --- Named seats: all or none ---------------------------------------------------------------------


def test_holding_several_seats_at_once(alice_api, alice, event, seat_ids):
    response = alice_api.post_json(holds_url(event), {"seat_ids": seat_ids[:4]})
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Holding 4 seats for 5 minutes"
    assert [seat["seat_number"] for seat in body["seats"]] == ["A1", "A2", "A3", "A4"]
    assert {(seat["section"], seat["status"], seat["price"]) for seat in body["seats"]} == {
        ("Main", "locked", "100.00")
    }
    assert body["locked_until"] == min(seat["locked_until"] for seat in body["seats"]) and body["server_time"]
    assert Seat.objects.filter(locked_by=alice, status="locked").count() == 4


def test_one_taken_seat_means_none_is_held_and_the_taken_ones_are_named(alice_api, bob, event, seat_ids):
    services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[2])
    services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[3])
    before = states(event)
    body = assert_error(
        alice_api.post_json(holds_url(event), {"seat_ids": seat_ids[:5]}), 409, "seat_unavailable"
    )
    assert body["details"] == {"seat_ids": seat_ids[2:4]} and "A3, A4" in body["error"]
    assert states(event) == before


def test_own_holds_are_extended_and_count_once_against_the_limit(alice_api, alice, event, seat_ids):
    with override_settings(SEAT_HOLD_LIMIT=3):
        first = services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
        with time_machine.travel(timezone.now() + timedelta(seconds=60)):
            response = alice_api.post_json(holds_url(event), {"seat_ids": seat_ids[:3]})
            assert response.status_code == 200
            seats = {seat["id"]: seat for seat in response.json()["seats"]}
            assert seats[seat_ids[0]]["locked_until"] > first.locked_until.isoformat()  # extended
            assert_error(
                alice_api.post_json(holds_url(event), {"seat_ids": [seat_ids[3]]}), 409, "hold_limit_reached"
            )


def test_a_seat_of_another_event_or_a_closed_event(alice_api, event, seat_ids, make_event):
    other = make_event(2, name="Other")
    assert_error(
        alice_api.post_json(holds_url(event), {"seat_ids": [seat_ids[0], other.seats.first().pk]}),
        404,
        "not_found",
    )
    past = make_event(2, name="Past", starts_in=timedelta(hours=-1))
    assert_error(
        alice_api.post_json(holds_url(past), {"seat_ids": [past.seats.first().pk]}), 409, "event_closed"
    )
    assert not Seat.objects.filter(status="locked").exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"seat_ids": [1], "count": 1},
        {"count": 0},
        {"count": 11},
        {"count": "2"},
        {"count": 2, "max_price": 100},
        {"count": 2, "max_price": "cheap"},
        {"count": 2, "section": ""},
        {"seat_ids": [1], "section": "Main"},
        {"count": 2, "colour": "red"},
    ],
    ids=repr,
)
def test_bad_hold_requests_are_400(alice_api, event, body):
    assert_error(alice_api.post_json(holds_url(event), body), 400, "invalid_request")
    assert not Seat.objects.filter(status="locked").exists()


def test_holds_need_authentication(event, seat_ids):
    browser = ApiClient(enforce_csrf_checks=True)
    assert_error(browser.post_json(holds_url(event), {"count": 2}), 401, "authentication_required")
    assert_error(browser.delete(holds_url(event)), 401, "authentication_required")


# --- Best available ---------------------------------------------------------------------------------


def free(*places: tuple[str, int, int], section: int = 1) -> list[FreeSeat]:
    """Free seats from (row, number, x); y follows the row letter."""
    return [
        FreeSeat(i, section, row, number, x, ord(row) - ord("A")) for i, (row, number, x) in enumerate(places)
    ]


def seats_of(blocks, pool) -> list[list[str]]:
    by_id = {seat.id: f"{seat.row}{seat.number}" for seat in pool}
    return [[by_id[i] for i in block] for block in blocks]


def test_blocks_are_side_by_side_in_one_row_with_no_aisle_between():
    # Row A: 1-3, an aisle, 4-6. Row B: 1, 3 (2 is taken).
    pool = free(
        ("A", 1, 0), ("A", 2, 1), ("A", 3, 2), ("A", 4, 4), ("A", 5, 5), ("A", 6, 6), ("B", 1, 0), ("B", 3, 2)
    )
    blocks = seats_of(best_blocks(pool, 2, {1: 3.5}), pool)
    # Every pair of neighbours and nothing else: not A3-A4 (the aisle), not B1-B3 (B2 between).
    assert sorted(blocks) == [["A1", "A2"], ["A2", "A3"], ["A4", "A5"], ["A5", "A6"]]


def test_front_rows_first_then_nearest_the_middle():
    pool = free(*((row, n, n - 1) for row in "AB" for n in range(1, 9)))
    blocks = seats_of(best_blocks(pool, 2, {1: 4.0}), pool)
    assert blocks[0] == ["A4", "A5"] and all(block[0][0] == "A" for block in blocks[:5])


def test_no_single_seat_is_stranded_when_another_block_avoids_it():
    # Row A has 3 free seats (a block of 2 would strand one); row B has 4 free further back.
    pool = free(("A", 1, 0), ("A", 2, 1), ("A", 3, 2), ("B", 1, 0), ("B", 2, 1), ("B", 3, 2), ("B", 4, 3))
    best = seats_of(best_blocks(pool, 2, {1: 1.5}), pool)[0]
    assert best in (["B1", "B2"], ["B3", "B4"])
    # With nothing else left, a block that strands a seat is still offered.
    only = free(("A", 1, 0), ("A", 2, 1), ("A", 3, 2))
    assert seats_of(best_blocks(only, 2, {1: 1.0}), only)[0] in (["A1", "A2"], ["A2", "A3"])


@pytest.fixture
def hall():
    layout = {
        "sections": [
            {
                "name": "Stalls",
                "code": "S",
                "price": "80.00",
                "rows": [{"rows": "A-C", "seats": 8, "aisle_after": [4]}],
            },
            {"name": "Circle", "code": "C", "price": "40.00", "rows": [{"rows": "A-B", "seats": 6}]},
        ]
    }
    venue = Venue.objects.create(name="Hall", layout=layout)
    return services.create_event(name="Gig", event_date=timezone.now() + timedelta(days=2), venue=venue)


def test_best_available_through_the_api(alice_api, bob_api, hall):
    body = alice_api.post_json(holds_url(hall), {"count": 4}).json()
    assert [seat["seat_number"] for seat in body["seats"]] == ["S-A1", "S-A2", "S-A3", "S-A4"]
    cheap = bob_api.post_json(holds_url(hall), {"count": 3, "max_price": "50.00"}).json()
    assert {seat["section"] for seat in cheap["seats"]} == {"Circle"}
    circle = bob_api.post_json(holds_url(hall), {"count": 2, "section": "Circle"}).json()
    assert {seat["section"] for seat in circle["seats"]} == {"Circle"}
    assert not {s["id"] for s in cheap["seats"]} & {s["id"] for s in circle["seats"]}


def test_best_available_refuses_what_cannot_be_had(alice_api, hall):
    assert_error(
        alice_api.post_json(holds_url(hall), {"count": 7}), 409, "not_enough_seats"
    )  # rows of 6, 4|4
    assert_error(
        alice_api.post_json(holds_url(hall), {"count": 2, "max_price": "10.00"}), 409, "not_enough_seats"
    )
    assert_error(alice_api.post_json(holds_url(hall), {"count": 2, "section": "Gallery"}), 404, "not_found")
    assert not Seat.objects.filter(status="locked").exists()


@override_settings(SEAT_HOLD_LIMIT=5)
def test_the_hold_limit_counts_both_forms(alice_api, hall):
    seat = hall.seats.get(seat_number="C-B1").pk
    assert alice_api.post_json(holds_url(hall), {"seat_ids": [seat]}).status_code == 200
    assert_error(alice_api.post_json(holds_url(hall), {"count": 5}), 409, "hold_limit_reached")
    assert alice_api.post_json(holds_url(hall), {"count": 4}).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_best_available_requests_never_share_a_seat(make_user, make_event):
    event = make_event(200, seats_per_row=20)
    users = [make_user(f"fan{i}") for i in range(16)]
    results, errors = {}, []

    def ask(user):
        try:
            hold = services.hold_best_available(user=user, event_id=event.pk, count=4)
            results[user.pk] = [seat.pk for seat in hold.seats]
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and len(results) == 16
    held = [seat for seats in results.values() for seat in seats]
    assert len(held) == len(set(held)) == 64
    rows = dict(Seat.objects.filter(pk__in=held).values_list("pk", "row"))
    for seats in results.values():  # each answer is side by side in one row
        assert len({rows[seat] for seat in seats}) == 1 and seats == list(range(seats[0], seats[0] + 4))


# --- Giving up my holds --------------------------------------------------------------------------------


def test_giving_up_all_my_holds_of_the_event(alice_api, alice, bob, event, seat_ids):
    for seat_id in seat_ids[:3]:
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_id)
    services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[5])
    response = alice_api.delete(holds_url(event))
    assert response.json() == {"success": True, "released": 3}
    assert list(Seat.objects.filter(status="locked").values_list("pk", flat=True)) == [seat_ids[5]]
    assert alice_api.delete(holds_url(event)).json()["released"] == 0


def test_my_holds_lists_the_seats_i_hold_now_in_every_section(alice_api, alice, bob, event, seat_ids):
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[2:4])
    services.lock_seat(user=bob, event_id=event.pk, seat_id=seat_ids[5])
    with time_machine.travel(timezone.now() + timedelta(seconds=60)):
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[7])
    response = alice_api.get(holds_url(event))
    assert response.status_code == 200
    body = response.json()
    assert [seat["seat_number"] for seat in body["seats"]] == ["A3", "A4", "A8"]
    first = body["seats"][0]
    assert first["locked_by_me"] and first["status"] == "locked" and first["section"] == "Main"
    assert set(first) == {
        "id", "seat_number", "section", "row", "number", "x", "y", "price", "status", "is_locked",
        "locked_by_me", "locked_until", "accessibility",
    }  # fmt: skip
    assert body["server_time"]
    # Five minutes on, the first two have run out (the cleanup has not run): only A8 is still held.
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert [seat["seat_number"] for seat in alice_api.get(holds_url(event)).json()["seats"]] == ["A8"]


def test_my_holds_cost_one_statement_and_the_event_check_only_when_there_are_none(
    alice_api, alice, event, seat_ids, django_assert_num_queries
):
    alice_api.get("/api/events/")  # the token's last use is written once
    # The on-sale's settings are read once a period (QUEUE_SETTINGS_MAX_AGE_SECONDS), not per request.
    hooks.check_sale(user=alice, event_id=event.pk)
    with django_assert_num_queries(3):  # the token, my holds, none: is there such an event?
        assert alice_api.get(holds_url(event)).json()["seats"] == []
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:3])
    with django_assert_num_queries(2):  # the token, my holds
        assert len(alice_api.get(holds_url(event)).json()["seats"]) == 3


def test_my_holds_of_an_unknown_event_or_without_signing_in(alice_api, event):
    assert_error(alice_api.get("/api/events/999999/holds/"), 404, "not_found")
    assert_error(ApiClient().get(holds_url(event)), 401, "authentication_required")


# --- Query budgets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4, 10])
def test_a_hold_costs_the_same_statements_however_many_seats(
    alice, alice_api, event, seat_ids, count, django_assert_num_queries
):
    alice_api.get("/api/events/")  # the token's last use is written once
    # The on-sale's settings are read once a period (QUEUE_SETTINGS_MAX_AGE_SECONDS), not per request.
    hooks.check_sale(user=alice, event_id=event.pk)
    # token; then the transaction (a savepoint inside the test's: SAVEPOINT ... RELEASE): the
    # user's lock (PostgreSQL only: SQLite's writers take turns), the seats' locks with the user's
    # hold count, one UPDATE with the seats' history (SQLite: one INSERT more)
    with django_assert_num_queries(6):
        assert alice_api.post_json(holds_url(event), {"seat_ids": seat_ids[:count]}).status_code == 200


def test_a_503_is_logged_once(alice_api, event, seat_ids, caplog):
    from unittest import mock

    from django.db import OperationalError

    with mock.patch(
        "reservations.services.hold_seats", side_effect=OperationalError("server closed the connection")
    ):
        with caplog.at_level("WARNING"):
            assert_error(
                alice_api.post_json(holds_url(event), {"seat_ids": [seat_ids[0]]}), 503, "unavailable"
            )
    assert len([record for record in caplog.records if record.levelno >= 30]) == 1
