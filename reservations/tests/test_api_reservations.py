"""Reservations through the API: own only, staff may act on any."""

from datetime import timedelta

import pytest
import time_machine

from reservations import services
from reservations.models import Reservation, Seat
from reservations.tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def reserve(user, event, *seat_ids) -> Reservation:
    for seat_id in seat_ids:
        services.lock_seat(user=user, event_id=event.pk, seat_id=seat_id)
    return services.reserve_seats(user=user, event_id=event.pk, seat_ids=list(seat_ids))


def test_reservation_list_shows_only_your_reservations_newest_first(alice_api, alice, bob, event, seat_ids):
    older = reserve(alice, event, seat_ids[0], seat_ids[1])
    newer = reserve(alice, event, seat_ids[2])
    reserve(bob, event, seat_ids[3])
    response = alice_api.get("/api/reservations/")
    assert response.status_code == 200
    listed = response.json()["reservations"]
    assert [r["id"] for r in listed] == [newer.pk, older.pk]
    assert listed[1]["seats"] == ["A1", "A2"] and listed[1]["total_price"] == "200.00"
    assert listed[1]["event_id"] == event.pk and listed[1]["event_name"] == event.name
    assert listed[1]["status"] == "confirmed" and listed[1]["event_date"]


def test_reservation_list_uses_a_constant_number_of_queries(
    alice_api, alice, event, seat_ids, django_assert_num_queries
):
    for seat_id in seat_ids[:6]:
        reserve(alice, event, seat_id)
    alice_api.get("/api/reservations/")
    # token, reservations with events, their seats, their tickets (the tickets app's one query)
    with django_assert_num_queries(4):
        assert len(alice_api.get("/api/reservations/").json()["reservations"]) == 6


def test_reservation_detail_is_yours_only_but_staff_may_read_any(
    alice_api, bob_api, staff_api, alice, event, seat_ids
):
    reservation = reserve(alice, event, seat_ids[0])
    url = f"/api/reservations/{reservation.pk}/"
    assert alice_api.get(url).json()["reservation"]["seats"] == ["A1"]
    assert_error(bob_api.get(url), 404, "not_found")
    assert staff_api.get(url).status_code == 200
    assert_error(alice_api.get("/api/reservations/987654/"), 404, "not_found")


def test_reservations_need_authentication(anon, alice, event, seat_ids):
    reservation = reserve(alice, event, seat_ids[0])
    assert_error(anon.get("/api/reservations/"), 401, "authentication_required")
    assert_error(anon.get(f"/api/reservations/{reservation.pk}/"), 401, "authentication_required")
    assert_error(
        anon.post_json(f"/api/reservations/{reservation.pk}/cancel/"), 401, "authentication_required"
    )


def test_cancel_your_reservation_frees_the_seats(alice_api, alice, event, seat_ids):
    reservation = reserve(alice, event, seat_ids[0], seat_ids[1])
    response = alice_api.post_json(f"/api/reservations/{reservation.pk}/cancel/")
    assert response.status_code == 200 and response.json()["message"] == "Reservation cancelled"
    assert set(Seat.objects.filter(pk__in=seat_ids[:2]).values_list("status", flat=True)) == {"available"}
    detail = alice_api.get(f"/api/reservations/{reservation.pk}/").json()["reservation"]
    assert detail["status"] == "cancelled" and detail["cancelled_at"]


def test_cancel_someone_elses_reservation_is_forbidden(bob_api, alice, event, seat_ids):
    reservation = reserve(alice, event, seat_ids[0])
    assert_error(bob_api.post_json(f"/api/reservations/{reservation.pk}/cancel/"), 403, "forbidden")
    assert Reservation.objects.get().status == "confirmed"


def test_staff_may_cancel_any_reservation(staff_api, alice, event, seat_ids):
    reservation = reserve(alice, event, seat_ids[0])
    assert staff_api.post_json(f"/api/reservations/{reservation.pk}/cancel/").status_code == 200
    assert Reservation.objects.get().status == "cancelled"


def test_cancel_twice_or_after_the_start_is_not_cancellable(alice_api, alice, event, seat_ids):
    first = reserve(alice, event, seat_ids[0])
    second = reserve(alice, event, seat_ids[1])
    alice_api.post_json(f"/api/reservations/{first.pk}/cancel/")
    assert_error(alice_api.post_json(f"/api/reservations/{first.pk}/cancel/"), 409, "not_cancellable")
    with time_machine.travel(event.event_date + timedelta(minutes=1)):
        response = alice_api.post_json(f"/api/reservations/{second.pk}/cancel/")
    assert_error(response, 409, "not_cancellable")
    assert Reservation.objects.get(pk=second.pk).status == "confirmed"


def test_cancel_unknown_reservation(alice_api):
    assert_error(alice_api.post_json("/api/reservations/4242/cancel/"), 404, "not_found")
