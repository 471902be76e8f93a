"""Django admin: staff create events with generated seats; actions go through the services."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reservations import services
from reservations.models import Event, Reservation, Seat, SeatChange, Venue
from reservations.selectors import invariant_violations

pytestmark = pytest.mark.django_db


def add_event(client: Client, **fields):
    data = {
        "name": "Jazz Night",
        "description": "",
        "event_date_0": (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d"),
        "event_date_1": "20:00:00",
        "location": "Blue Room",
        "seat_price": "25.00",
        "total_seats": "",
        "rows": "",
        "seats_per_row": "10",
        **fields,
    }
    return client.post(reverse("admin:reservations_event_add"), data)


def test_staff_creates_an_event_by_rows_and_its_seats_are_generated(admin_client_):
    response = add_event(admin_client_, rows="3", seats_per_row="4")
    assert response.status_code == 302
    event = Event.objects.get(name="Jazz Night")
    assert event.total_seats == 12
    assert list(event.seats.order_by("pk").values_list("seat_number", flat=True))[:5] == [
        "A1",
        "A2",
        "A3",
        "A4",
        "B1",
    ]
    assert set(event.seats.values_list("price", flat=True)) == {25}


def test_staff_creates_an_event_from_total_seats_in_rows_of_ten(admin_client_):
    assert add_event(admin_client_, total_seats="25").status_code == 302
    event = Event.objects.get(name="Jazz Night")
    assert event.seats.count() == 25
    assert event.seats.order_by("-pk").first().seat_number == "C5"


def test_an_event_in_a_venue_is_created_by_the_service_as_the_api_would(admin_client_):
    layout = {
        "sections": [
            {"name": "Stalls", "code": "S", "price": "80.00", "rows": [{"rows": "A-B", "seats": 4}]},
            {"name": "Circle", "code": "C", "price": "40.00", "rows": [{"rows": "A", "seats": 3}]},
        ]
    }
    venue = Venue.objects.create(name="Hall", layout=layout)
    response = add_event(admin_client_, venue=str(venue.pk), location="", seat_price="99.00")
    assert response.status_code == 302
    event = Event.objects.get(name="Jazz Night")
    made = services.create_event(name="Same", event_date=event.event_date, venue=venue)
    fields = ["location", "total_seats", "seat_price", "venue_id"]
    assert [getattr(event, f) for f in fields] == [getattr(made, f) for f in fields]
    assert [getattr(event, f) for f in fields] == ["Hall", 11, 40, venue.pk]
    assert LogEntry.objects.get().object_id == str(event.pk)  # the admin's record names the event made


def test_a_venue_whose_layout_cannot_be_used_is_refused_on_the_form(admin_client_):
    venue = Venue.objects.create(name="Broken", layout={"sections": []})  # saved around Venue.clean
    response = add_event(admin_client_, venue=str(venue.pk), location="")
    assert response.status_code == 200
    assert "The layout of Broken cannot be used" in response.content.decode()
    assert not Event.objects.exists()


def change_price(client: Client, seat_id: int, price: str):
    return client.post(reverse("admin:reservations_seat_change", args=[seat_id]), {"price": price})


def test_staff_change_the_price_of_a_free_seat_and_the_feed_sees_it(admin_client_, event, seat_ids):
    before = SeatChange.objects.count()
    assert change_price(admin_client_, seat_ids[0], "55.00").status_code == 302
    seat = Seat.objects.get(pk=seat_ids[0])
    assert (seat.price, seat.version, seat.status) == (55, 1, "available")
    assert SeatChange.objects.count() == before + 1


@pytest.mark.parametrize("state", ["reserved", "held"])
def test_the_price_of_a_reserved_or_held_seat_cannot_change(admin_client_, alice, event, seat_ids, state):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    if state == "reserved":
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    version = Seat.objects.get(pk=seat_ids[0]).version
    response = change_price(admin_client_, seat_ids[0], "1.00")
    assert response.status_code == 200
    assert "The price of a held or reserved seat cannot change (A1)." in response.content.decode()
    seat = Seat.objects.get(pk=seat_ids[0])
    assert (seat.price, seat.version) == (100, version)
    assert not any(invariant_violations().values())


def test_a_seat_whose_hold_ran_out_can_be_repriced(admin_client_, alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        assert change_price(admin_client_, seat_ids[0], "70.00").status_code == 302
    assert Seat.objects.get(pk=seat_ids[0]).price == 70


def test_a_negative_price_is_refused(admin_client_, event, seat_ids):
    assert change_price(admin_client_, seat_ids[0], "-1.00").status_code == 200
    assert Seat.objects.get(pk=seat_ids[0]).price == 100


def test_event_without_any_seat_count_is_refused(admin_client_):
    response = add_event(admin_client_)
    assert response.status_code == 200
    assert "Give the total number of seats" in response.content.decode()
    assert not Event.objects.exists()


def test_event_changelist_shows_effective_counts(admin_client_, alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[1])
    services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[1]])
    response = admin_client_.get(reverse("admin:reservations_event_changelist"))
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert (row.seat_count, row.held_count, row.reserved_count) == (20, 1, 1)
    with time_machine.travel(timezone.now() + timedelta(seconds=301)):
        row = admin_client_.get(reverse("admin:reservations_event_changelist")).context["cl"].result_list[0]
        assert row.held_count == 0


def test_seat_changelist_stays_cheap_for_a_stadium(admin_client_, make_event, django_assert_max_num_queries):
    stadium = make_event(50000, seats_per_row=100, name="Stadium")
    url = reverse("admin:reservations_seat_changelist") + f"?event__id__exact={stadium.pk}"
    with django_assert_max_num_queries(12):
        response = admin_client_.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 100
    assert response.context["cl"].result_count == 50000


def test_seat_admin_release_actions_go_through_the_services(admin_client_, alice, event, seat_ids):
    for seat_id in seat_ids[:3]:
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_id)
    url = reverse("admin:reservations_seat_changelist")
    response = admin_client_.post(
        url, {"action": "release_selected_holds", "_selected_action": [seat_ids[0]]}, follow=True
    )
    assert "Released 1 hold(s)." in response.content.decode()
    assert Seat.objects.get(pk=seat_ids[0]).status == "available"
    Seat.objects.filter(pk=seat_ids[1]).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = admin_client_.post(
        url, {"action": "release_expired_holds", "_selected_action": [seat_ids[5]]}, follow=True
    )
    assert "Released 1 expired hold(s)." in response.content.decode()
    assert list(Seat.objects.filter(status="locked").values_list("pk", flat=True)) == [seat_ids[2]]


def test_reservation_admin_cancels_through_the_service(admin_client_, alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    reservation = services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    url = reverse("admin:reservations_reservation_changelist")
    page = admin_client_.get(url)
    assert "A1" in page.content.decode()
    action = {"action": "cancel_reservations", "_selected_action": [reservation.pk]}
    response = admin_client_.post(url, action, follow=True)
    assert "Cancelled 1 reservation(s)." in response.content.decode()
    assert Reservation.objects.get().status == "cancelled"
    assert Seat.objects.get(pk=seat_ids[0]).status == "available"
    again = admin_client_.post(url, action, follow=True)
    assert "already cancelled" in again.content.decode()


def test_admin_is_for_staff_only(alice):
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("admin:reservations_event_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
