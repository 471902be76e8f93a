"""Venues: events created in them get the layout's sections and seats; the admin builds and draws
them; the API shows sections and positions and serves one section's grid."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from reservations import services
from reservations.demo import arena
from reservations.exceptions import InvalidRequest
from reservations.models import Event, Seat, Venue
from reservations.tests.helpers import assert_error

pytestmark = pytest.mark.django_db

HALL = {
    "sections": [
        {
            "name": "Stalls",
            "code": "S",
            "price": "85.00",
            "rows": [{"rows": "A-B", "seats": 6, "aisle_after": [3]}, {"rows": "C", "seats": 4}],
        },
        {"name": "Circle", "code": "C", "price": "60.00", "rows": [{"rows": "A", "seats": 5}]},
    ]
}


@pytest.fixture
def hall() -> Venue:
    return Venue.objects.create(name="City Concert Hall", address="2 Harmony Square", layout=HALL)


def create_in(venue: Venue, name: str = "Gala") -> Event:
    return services.create_event(name=name, event_date=timezone.now() + timedelta(days=5), venue=venue)


@pytest.fixture
def gala(hall) -> Event:
    return create_in(hall)


# --- Seat generation -----------------------------------------------------------------------------------


def test_an_event_in_a_venue_gets_its_sections_seats_positions_and_prices(hall, gala):
    assert (gala.location, gala.venue, gala.total_seats) == ("City Concert Hall", hall, 21)
    sections = list(gala.sections.order_by("position").values_list("name", "x", "y", "width", "height"))
    assert sections == [("Stalls", 0, 0, 7, 3), ("Circle", 1, 4, 5, 1)]
    seats = {
        number: (section, row, n, x, y, str(price))
        for number, section, row, n, x, y, price in gala.seats.values_list(
            "seat_number", "section__name", "row", "number", "x", "y", "price"
        )
    }
    assert seats["S-A3"] == ("Stalls", "A", 3, 2, 0, "85.00")
    assert seats["S-A4"] == ("Stalls", "A", 4, 4, 0, "85.00")  # past the aisle
    assert seats["S-C1"] == ("Stalls", "C", 1, 1, 2, "85.00")  # the short row is centred
    assert seats["C-A5"] == ("Circle", "A", 5, 5, 4, "60.00")
    assert len(seats) == 21


def test_changing_a_venue_later_leaves_existing_events_alone(hall, gala):
    before = list(gala.seats.order_by("pk").values_list("seat_number", "price", "x", "y"))
    hall.layout = {"sections": [{"name": "Main", "price": "10.00", "rows": [{"rows": "A", "seats": 2}]}]}
    hall.full_clean()
    hall.save()
    assert list(gala.seats.order_by("pk").values_list("seat_number", "price", "x", "y")) == before
    assert create_in(hall, "Matinee").seats.count() == 2


def test_one_place_per_section_row_and_number_in_the_database(gala):
    seat = gala.seats.get(seat_number="S-A1")
    with pytest.raises(IntegrityError):
        Seat.objects.create(
            event=gala, section=seat.section, seat_number="S-A1b", row="A", number=1, price=seat.price
        )


def test_a_venue_with_a_broken_layout_cannot_be_saved_or_used():
    venue = Venue(name="Broken", layout={"sections": [{"name": "X", "price": "1", "rows": []}]})
    with pytest.raises(Exception, match=r"Section 1 \(X\)"):
        venue.full_clean()
    venue.save()  # written around the form, e.g. by a script
    with pytest.raises(InvalidRequest, match="The layout of Broken cannot be used: Section 1"):
        create_in(venue)
    assert not Event.objects.exists()


def test_the_simple_path_makes_one_main_section(make_event):
    event = make_event(12, seats_per_row=5)
    (main,) = event.sections.all()
    assert (main.name, main.width, main.height) == ("Main", 5, 3)
    assert event.seats.get(seat_number="C2").x == 1


# --- API -------------------------------------------------------------------------------------------------


def test_event_detail_lists_sections_with_counts_prices_and_boxes(anon, alice, gala):
    seat = gala.seats.get(seat_number="C-A1")
    services.lock_seat(user=alice, event_id=gala.pk, seat_id=seat.pk)
    event = anon.get(f"/api/events/{gala.pk}/").json()["event"]
    assert (event["min_price"], event["max_price"], event["total_seats"]) == ("60.00", "85.00", 21)
    assert event["sections"] == [
        {
            "name": "Stalls",
            "total_seats": 16,
            "available_seats": 16,
            "locked_seats": 0,
            "reserved_seats": 0,
            "blocked_seats": 0,
            "min_price": "85.00",
            "max_price": "85.00",
            "x": 0,
            "y": 0,
            "width": 7,
            "height": 3,
            "angle": 0,
        },
        {
            "name": "Circle",
            "total_seats": 5,
            "available_seats": 4,
            "locked_seats": 1,
            "reserved_seats": 0,
            "blocked_seats": 0,
            "min_price": "60.00",
            "max_price": "60.00",
            "x": 1,
            "y": 4,
            "width": 5,
            "height": 1,
            "angle": 0,
        },
    ]
    # No field in the layout: a stage above the seats, half the hall wide, as the hall always had.
    assert event["stage"] == {"label": "Stage", "x": 1, "y": -3, "width": 3, "height": 2}


def test_a_bowl_gives_each_block_its_angle_and_the_event_its_pitch(anon):
    bowl = {
        "sections": [
            {
                "name": "North",
                "code": "N",
                "price": "50.00",
                "x": 0,
                "y": 0,
                "angle": 180,
                "rows": [{"rows": "A-B", "seats": 4}],
            },
            {
                "name": "South",
                "code": "S",
                "price": "50.00",
                "x": 0,
                "y": 10,
                "rows": [{"rows": "A-B", "seats": 4}],
            },
            {
                "name": "East corner",
                "code": "E",
                "price": "30.00",
                "x": 8,
                "y": 10,
                "angle": -45,
                "rows": [{"rows": "A-B", "seats": 2}],
            },
        ],
        "stage": {"label": "PITCH", "x": 0, "y": 3, "width": 4, "height": 6},
    }
    event = create_in(Venue.objects.create(name="Ground", layout=bowl))
    body = anon.get(f"/api/events/{event.pk}/").json()["event"]
    assert [(s["name"], s["x"], s["y"], s["width"], s["height"], s["angle"]) for s in body["sections"]] == [
        ("North", 0, 0, 4, 2, 180),
        ("South", 0, 10, 4, 2, 0),
        ("East corner", 8, 10, 2, 2, -45),
    ]
    assert body["stage"] == {"label": "PITCH", "x": 0, "y": 3, "width": 4, "height": 6}
    # The seats stay straight: row A of the turned North block is its top line, seat 1 on the left.
    seats = {
        seat["seat_number"]: (seat["x"], seat["y"])
        for seat in anon.get(f"/api/events/{event.pk}/seats/").json()["seats"]
    }
    assert (seats["N-A1"], seats["N-B4"]) == ((0, 0), (3, 1))


def test_seats_carry_their_section_and_position(anon, gala):
    seats = anon.get(f"/api/events/{gala.pk}/seats/").json()["seats"]
    first = seats[0]
    assert (first["seat_number"], first["section"], first["x"], first["y"]) == ("S-A1", "Stalls", 0, 0)
    assert {seat["section"] for seat in seats} == {"Stalls", "Circle"}


def test_one_sections_grid_with_its_own_etag(anon, alice, gala):
    url = f"/api/events/{gala.pk}/seats/"
    circle = anon.get(url, {"section": "Circle"})
    assert [seat["seat_number"] for seat in circle.json()["seats"]] == [f"C-A{n}" for n in range(1, 6)]
    stalls_tag = anon.get(url, {"section": "Stalls"})["ETag"]
    assert circle["ETag"] != stalls_tag
    # A hold in the Circle changes the Circle's ETag, not the Stalls'.
    services.lock_seat(user=alice, event_id=gala.pk, seat_id=gala.seats.get(seat_number="C-A2").pk)
    with time_machine.travel(timezone.now() + timedelta(seconds=1.1)):  # past the shared rendering's second
        assert anon.get(url, {"section": "Circle"}, HTTP_IF_NONE_MATCH=circle["ETag"]).status_code == 200
        assert anon.get(url, {"section": "Stalls"}, HTTP_IF_NONE_MATCH=stalls_tag).status_code == 304


def test_an_unknown_or_malformed_section_is_refused(anon, gala):
    url = f"/api/events/{gala.pk}/seats/"
    assert_error(anon.get(url, {"section": "Gallery"}), 404, "not_found")
    assert_error(anon.get(url, {"section": ""}), 400, "invalid_request")
    assert_error(anon.get(url, {"section": "x" * 61}), 400, "invalid_request")


@pytest.mark.parametrize("rows", [1, 40])
def test_a_section_grid_costs_the_same_queries_whatever_the_size(
    anon, make_user, rows, django_assert_num_queries
):
    layout = {
        "sections": [
            {"name": "Stalls", "code": "S", "price": "10.00", "rows": [{"rows": f"1-{rows}", "seats": 25}]},
            {"name": "Circle", "code": "C", "price": "5.00", "rows": [{"rows": "A", "seats": 3}]},
        ]
    }
    event = create_in(Venue.objects.create(name=f"Hall {rows}", layout=layout))
    with django_assert_num_queries(2):  # the section's grid state, its seats
        response = anon.get(f"/api/events/{event.pk}/seats/", {"section": "Stalls"})
    assert len(response.json()["seats"]) == rows * 25


# --- Admin -------------------------------------------------------------------------------------------


@pytest.fixture
def admin(admin_client_):
    return admin_client_


def test_staff_build_a_venue_and_see_its_drawing(admin):
    add = admin.get(reverse("admin:reservations_venue_add"))
    assert b"aisle_after" in add.content  # the example layout to start from
    response = admin.post(
        reverse("admin:reservations_venue_add"),
        {
            "name": "Blue Room",
            "address": "",
            "layout": '{"sections": [{"name": "Main", "price": "12.00", '
            '"rows": [{"rows": "A-C", "seats": 8, "aisle_after": [4]}]}]}',
        },
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="Blue Room")
    page = admin.get(reverse("admin:reservations_venue_change", args=[venue.pk])).content.decode()
    assert "<svg" in page and "Main: 24 seats at €12.00" in page


def test_the_drawing_of_a_bowl_turns_its_blocks_and_labels_the_pitch(admin):
    name, address, layout = arena(rows=4, seats=10)  # small blocks: quick to create
    venue = Venue.objects.create(name=name, address=address, layout=layout)
    page = admin.get(reverse("admin:reservations_venue_change", args=[venue.pk])).content.decode()
    block_106 = next(section for section in layout["sections"] if section["name"] == "Block 106")
    centre = f"{block_106['x'] + 5} {block_106['y'] + 2}"
    assert f'<g transform="rotate(-135 {centre})">' in page  # a corner block, facing the pitch
    assert page.count('<g transform="rotate(') == 15  # all but the five blocks below the pitch
    assert ">PITCH</text>" in page
    event = create_in(venue, "Cup Final")
    page = admin.get(reverse("admin:reservations_event_change", args=[event.pk])).content.decode()
    assert f'<g transform="rotate(-135 {centre})">' in page and ">PITCH</text>" in page


def test_a_bad_layout_is_refused_in_the_admin_with_the_place(admin):
    response = admin.post(
        reverse("admin:reservations_venue_add"),
        {
            "name": "Blue Room",
            "layout": '{"sections": [{"name": "Main", "price": "12.00", "rows": [{"rows": "A"}]}]}',
        },
    )
    assert response.status_code == 200
    assert "Section 1 (Main), row group 1: &quot;seats&quot; is missing" in response.content.decode()
    assert not Venue.objects.exists()


def test_staff_create_an_event_by_picking_a_venue_and_a_date(admin, hall):
    response = admin.post(
        reverse("admin:reservations_event_add"),
        {
            "name": "Gala",
            "description": "",
            "event_date_0": (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d"),
            "event_date_1": "20:00:00",
            "venue": hall.pk,
            "location": "",
            "seat_price": "100.00",
            "total_seats": "",
            "rows": "",
            "seats_per_row": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(name="Gala")
    assert (event.location, event.total_seats, event.sections.count()) == ("City Concert Hall", 21, 2)


@pytest.mark.parametrize("rows", [2, 60])
def test_the_event_page_shows_counts_per_section_and_a_drawing_in_bounded_queries(
    admin, alice, rows, django_assert_max_num_queries
):
    layout = {"sections": [{"name": "Main", "price": "10.00", "rows": [{"rows": f"1-{rows}", "seats": 50}]}]}
    event = create_in(Venue.objects.create(name="Arena", layout=layout))
    services.lock_seat(user=alice, event_id=event.pk, seat_id=event.seats.first().pk)
    with django_assert_max_num_queries(12):
        page = admin.get(reverse("admin:reservations_event_change", args=[event.pk])).content.decode()
    assert "<svg" in page and "Held</title>" in page
    assert f"<td>Main</td><td>{rows * 50}</td><td>{rows * 50 - 1}</td><td>1</td><td>0</td>" in page
