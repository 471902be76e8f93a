"""The sales report (API and admin page with its charts) and the attendee list as CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from boxoffice.exports import cell
from boxoffice.tests.helpers import hold, reserve
from reservations import services
from reservations.demo import arena
from reservations.models import Venue
from reservations.tests.helpers import assert_error
from tickets import services as ticket_services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(make_user):
    """A two-section hall with a sale yesterday, one today, a cancellation, a hold, a run-out hold,
    a block and a check-in."""
    venue = Venue.objects.create(
        name="Small Hall",
        layout={
            "sections": [
                {"name": "Stalls", "code": "S", "price": "50.00", "rows": [{"rows": "A-B", "seats": 5}]},
                {"name": "Circle", "code": "C", "price": "20.00", "rows": [{"rows": "A", "seats": 5}]},
            ]
        },
    )
    event = services.create_event(name="Gala", event_date=timezone.now() + timedelta(days=30), venue=venue)
    ids = {seat.seat_number: seat.pk for seat in event.seats.all()}
    carol, dave, staff = (
        make_user("carol"),
        make_user("=dave", email="@evil"),
        make_user("door", is_staff=True),
    )
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        reserve(carol, event, ids["S-A1"], ids["S-A2"])
    kept = reserve(dave, event, ids["C-A1"])
    gone = reserve(carol, event, ids["S-B1"])
    services.cancel_reservation(user=carol, reservation_id=gone.pk)
    hold(carol, event, ids["S-B2"])
    with time_machine.travel(timezone.now() - timedelta(seconds=400)):
        hold(dave, event, ids["S-B3"])  # has run out by now
    services.block_seats(by=staff, event_id=event.pk, seat_ids=[ids["C-A5"], ids["C-A4"]])
    ticket_services.check_in(staff=staff, event_id=event.pk, code=Ticket.objects.get(reservation=kept).code)
    return event


def test_the_report_adds_up_to_the_capacity(staff_api, hall):
    response = staff_api.get(f"/api/events/{hall.pk}/report/")
    assert response.status_code == 200
    report = response.json()["report"]
    assert {key: report[key] for key in report if key not in ("sections", "sales_by_day")} == {
        "capacity": 15,
        "tickets_sold": 3,
        "revenue": "120.00",
        "currency": "EUR",
        "checked_in": 1,
        "blocked": 2,
        "held": 1,
        "available": 9,
    }
    assert (
        report["tickets_sold"] + report["held"] + report["blocked"] + report["available"]
        == report["capacity"]
    )
    assert report["sections"] == [
        {
            "name": "Stalls",
            "capacity": 10,
            "sold": 2,
            "revenue": "100.00",
            "held": 1,
            "blocked": 0,
            "available": 7,
        },
        {
            "name": "Circle",
            "capacity": 5,
            "sold": 1,
            "revenue": "20.00",
            "held": 0,
            "blocked": 2,
            "available": 2,
        },
    ]
    today = timezone.localdate()
    assert report["sales_by_day"] == [
        {"date": str(today - timedelta(days=1)), "tickets": 2, "revenue": "100.00"},
        {"date": str(today), "tickets": 1, "revenue": "20.00"},
    ]


def test_the_report_costs_three_statements_whatever_the_hall(staff_api, hall, django_assert_num_queries):
    staff_api.get(f"/api/events/{hall.pk}/report/")
    with django_assert_num_queries(4):  # the token, the event, the seats' aggregate, the check-ins
        staff_api.get(f"/api/events/{hall.pk}/report/")


def test_the_attendee_list_has_every_ticket_that_opens_the_door_and_no_formulas(staff_api, hall):
    response = staff_api.get(f"/api/events/{hall.pk}/attendees.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="attendees-{hall.pk}.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "reservation",
        "ticket",
        "section",
        "row",
        "seat",
        "price",
        "username",
        "email",
        "checked_in_at",
    ]
    assert [(row[2], row[4], row[5], row[6]) for row in rows[1:]] == [
        ("Stalls", "S-A1", "50.00", "carol"),
        ("Stalls", "S-A2", "50.00", "carol"),
        ("Circle", "C-A1", "20.00", "'=dave"),
    ]
    assert rows[3][7] == "'@evil" and rows[3][8] and not rows[1][8]  # checked in, and not


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("alice", "alice"),
        ("a=b", "a=b"),
        (Decimal("5"), "5.00"),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, written):
    assert cell(value) == written


def test_the_report_and_the_list_are_for_staff_of_a_real_event(alice_api, anon, staff_api, hall):
    for path in ("report/", "attendees.csv"):
        assert_error(alice_api.get(f"/api/events/{hall.pk}/{path}"), 403, "forbidden")
        assert_error(anon.get(f"/api/events/{hall.pk}/{path}"), 401, "authentication_required")
        assert_error(staff_api.get(f"/api/events/987654/{path}"), 404, "not_found")


def test_the_admin_report_page_draws_the_charts(admin_client_, hall):
    page = admin_client_.get(f"/admin/reservations/event/{hall.pk}/report/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<svg class="chart" role="img"') == 3
    assert "Tickets sold by day" in html and "Check-ins per quarter hour" in html
    assert "Circle: 2 blocked" in html  # a part of the section chart, named
    assert f"/admin/reservations/event/{hall.pk}/attendees.csv" in html
    assert "Revenue <strong>€120.00</strong>" in html and "<td>€100.00</td>" in html  # total, a section
    listing = admin_client_.get("/admin/reservations/event/").content.decode()
    assert f"/admin/reservations/event/{hall.pk}/report/" in listing


def test_the_admin_downloads_the_attendee_list(admin_client_, hall):
    response = admin_client_.post(
        "/admin/reservations/event/", {"action": "download_attendees", "_selected_action": [hall.pk]}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"'=dave" in b"".join(response.streaming_content)
    direct = admin_client_.get(f"/admin/reservations/event/{hall.pk}/attendees.csv")
    assert len(b"".join(direct.streaming_content).splitlines()) == 4


def test_customers_get_no_admin_report(client, make_user, hall):
    client.force_login(make_user("mallory"))
    assert client.get(f"/admin/reservations/event/{hall.pk}/report/").status_code == 302  # to the login
    assert client.get(f"/admin/reservations/event/{hall.pk}/attendees.csv").status_code == 302


def test_the_admin_pages_of_a_stadium_render_with_their_charts(
    admin_client_, make_user, django_assert_max_num_queries
):
    name, _, layout = arena()
    event = services.create_event(
        name="Cup Final",
        event_date=timezone.now() + timedelta(days=9),
        venue=Venue.objects.create(name=name, layout=layout),
    )
    first = list(event.seats.order_by("pk").values_list("pk", flat=True)[:4])
    sold = reserve(make_user("fan"), event, *first[:2])
    services.block_seats(by=None, event_id=event.pk, seat_ids=first[2:])
    door = make_user("door", is_staff=True)
    ticket_services.check_in(staff=door, event_id=event.pk, code=sold.tickets.first().code)
    with django_assert_max_num_queries(12):
        page = admin_client_.get(f"/admin/reservations/event/{event.pk}/report/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count('<svg class="chart"') == 3
    assert "Block 120" in html and ">50000<" in html
    change = admin_client_.get(f"/admin/reservations/event/{event.pk}/change/")
    assert change.status_code == 200 and b"Blocked" in change.content


def test_the_csv_is_handed_to_the_server_in_chunks_of_whole_lines():
    from boxoffice.exports import csv_lines

    rows = [(number, f"=name {number}") for number in range(1_200)]
    chunks = list(csv_lines(("ticket", "username"), rows))
    assert [chunk.count("\r\n") for chunk in chunks] == [500, 500, 201]  # the header and 1,200 rows
    assert all(chunk.endswith("\r\n") for chunk in chunks)
    lines = "".join(chunks).splitlines()
    assert lines[0] == "ticket,username" and lines[-1] == "1199,'=name 1199"
