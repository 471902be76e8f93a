"""Check-in at the door: once per ticket, whatever the scanners do at the same moment."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from reservations import services
from reservations.models import Seat, SeatHistory
from reservations.tests.helpers import ApiClient, assert_error, run_together
from tickets import codes
from tickets import services as ticket_services
from tickets.models import CheckIn, Ticket

pytestmark = pytest.mark.django_db


def checkin_url(event) -> str:
    return f"/api/events/{event.pk}/checkin/"


@pytest.fixture
def ticket(alice, event, seat_ids, reserve) -> Ticket:
    reserve(alice, event, seat_ids[0], seat_ids[1])
    return Ticket.objects.order_by("pk").first()


def test_a_valid_ticket_is_let_in_once(staff_api, staff, ticket, event):
    response = staff_api.post_json(checkin_url(event), {"code": ticket.code})
    assert response.status_code == 200
    admitted = response.json()["ticket"]
    assert {key: admitted[key] for key in ("id", "seat_number", "section", "row", "number", "holder")} == {
        "id": ticket.pk,
        "seat_number": "A1",
        "section": "Main",
        "row": "A",
        "number": 1,
        "holder": "alice",
    }
    ticket.refresh_from_db()
    assert ticket.status == "checked_in" and ticket.checked_in_at is not None
    assert CheckIn.objects.get().by == staff
    again = assert_error(
        staff_api.post_json(checkin_url(event), {"code": ticket.code}), 409, "already_checked_in"
    )
    assert (
        again["details"]["checked_in_at"] == admitted["checked_in_at"]
    )  # written as every answer writes times
    assert CheckIn.objects.count() == 1


def test_a_check_in_is_two_statements_on_postgresql(staff, ticket, event, django_assert_num_queries):
    # The ticket read and locked with what the door shows, then one statement that marks it, adds
    # the entry and writes the seat's history (SQLite, without data-modifying WITH: three); plus
    # SAVEPOINT and RELEASE (the test's own transaction around the service's).
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 6):
        admitted = ticket_services.check_in(staff=staff, event_id=event.pk, code=ticket.code)
    assert (admitted.seat_number, admitted.section_name, admitted.holder) == ("A1", "Main", "alice")
    assert SeatHistory.objects.get(action="check_in").by_id == staff.pk


def test_spaces_around_a_typed_code_are_ignored(staff_api, ticket, event):
    assert staff_api.post_json(checkin_url(event), {"code": f"  {ticket.code} "}).status_code == 200


@pytest.mark.parametrize(
    "mangle",
    [
        lambda code: code[:-1] + ("A" if code[-1] != "A" else "B"),  # one character changed
        lambda code: code[:30],  # truncated
        lambda code: code + "AAAAA",  # padded
        lambda code: code.lower(),
    ],
)
def test_changed_truncated_or_padded_codes_are_invalid_and_change_nothing(staff_api, ticket, event, mangle):
    assert_error(
        staff_api.post_json(checkin_url(event), {"code": mangle(ticket.code)}), 404, "invalid_ticket"
    )
    assert not CheckIn.objects.exists() and Ticket.objects.filter(status="valid").count() == 2


def test_a_genuine_code_that_no_ticket_has_is_invalid(staff_api, ticket, event):
    assert_error(staff_api.post_json(checkin_url(event), {"code": codes.new_code()}), 404, "invalid_ticket")


@pytest.mark.parametrize("code", ["", "x" * 201, "\x00\x01", 42, None])
def test_empty_binary_or_wrong_type_codes_are_400(staff_api, ticket, event, code):
    assert_error(staff_api.post_json(checkin_url(event), {"code": code}), 400, "invalid_request")
    assert not CheckIn.objects.exists()


def test_a_ticket_of_another_event_says_which(staff_api, ticket, make_event):
    other = make_event(5, name="Other")
    body = assert_error(staff_api.post_json(checkin_url(other), {"code": ticket.code}), 409, "wrong_event")
    assert body["details"] == {"event_id": ticket.event_id}
    assert not CheckIn.objects.exists()


def test_a_cancelled_reservations_ticket_is_refused(staff_api, alice, ticket, event):
    services.cancel_reservation(user=alice, reservation_id=ticket.reservation_id)
    assert_error(staff_api.post_json(checkin_url(event), {"code": ticket.code}), 409, "ticket_cancelled")
    assert not CheckIn.objects.exists()


def test_customers_cannot_check_in_and_strangers_must_sign_in(alice_api, ticket, event):
    assert_error(alice_api.post_json(checkin_url(event), {"code": ticket.code}), 403, "forbidden")
    assert_error(alice_api.get(checkin_url(event)), 403, "forbidden")
    assert_error(
        ApiClient().post_json(checkin_url(event), {"code": ticket.code}), 401, "authentication_required"
    )
    assert not CheckIn.objects.exists()


def test_the_door_counts_tickets_and_entries(staff_api, alice, ticket, event, seat_ids, reserve):
    cancelled = reserve(alice, event, seat_ids[5])
    services.cancel_reservation(user=alice, reservation_id=cancelled.pk)
    staff_api.post_json(checkin_url(event), {"code": ticket.code})
    assert staff_api.get(checkin_url(event)).json() == {"success": True, "tickets": 2, "checked_in": 1}
    assert_error(staff_api.get("/api/events/999999/checkin/"), 404, "not_found")


def test_the_database_refuses_a_second_entry_even_if_the_code_were_wrong(staff, ticket):
    CheckIn.objects.create(ticket=ticket, at=timezone.now(), by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(ticket=ticket, at=timezone.now() + timedelta(seconds=1), by=staff)


def test_the_database_refuses_a_second_live_ticket_for_a_seat(ticket):
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            reservation_id=ticket.reservation_id, seat_id=ticket.seat_id, event_id=ticket.event_id, code="X"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scanners_with_the_same_code_at_once_let_exactly_one_in(make_user, make_event, settings):
    settings.TICKET_LIMIT_PER_CUSTOMER = 40  # one customer's 40 tickets
    staff = make_user("door", is_staff=True)
    customer = make_user("fan")
    event = make_event(40)
    seat_ids = list(event.seats.order_by("pk").values_list("pk", flat=True))
    for start in range(0, 40, 10):
        services.hold_seats(user=customer, event_id=event.pk, seat_ids=seat_ids[start : start + 10])
        services.reserve_seats(user=customer, event_id=event.pk, seat_ids=seat_ids[start : start + 10])
    tickets = list(Ticket.objects.values_list("code", flat=True))
    assert len(tickets) == 40
    for code in tickets:  # 40 rounds: two scanners, one code, the same moment
        scan = partial(ticket_services.check_in, staff=staff, event_id=event.pk, code=code)
        answers = run_together([scan, scan])
        assert sorted(type(answer).__name__ for answer in answers) == ["AlreadyCheckedIn", "Ticket"], answers
    assert CheckIn.objects.count() == 40 == Ticket.objects.filter(status="checked_in").count()


def test_a_reservation_with_a_ticket_used_at_the_door_cannot_be_cancelled(alice_api, staff, ticket, event):
    ticket_services.check_in(staff=staff, event_id=event.pk, code=ticket.code)
    url = f"/api/reservations/{ticket.reservation_id}/cancel/"
    body = assert_error(alice_api.post_json(url), 409, "not_cancellable")
    assert "used at the door" in body["error"]
    assert Ticket.objects.filter(status="valid").count() == 1  # nothing changed
    assert Seat.objects.filter(status="reserved").count() == 2
