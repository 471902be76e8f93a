"""A reservation's tickets as a PDF and its event as an .ics: for the owner and staff only."""

import pypdfium2
import pytest
from icalendar import Calendar

from reservations import services
from reservations.tests.helpers import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def reservation(alice, event, seat_ids, reserve):
    return reserve(alice, event, seat_ids[0], seat_ids[1], seat_ids[2])


def test_the_owner_and_staff_download_the_documents_and_others_do_not(
    alice_api, bob_api, staff_api, reservation
):
    for path, content_type in (("tickets.pdf", "application/pdf"), ("calendar.ics", "text/calendar")):
        url = f"/api/reservations/{reservation.pk}/{path}"
        for client in (alice_api, staff_api):
            response = client.get(url)
            assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
            assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
            assert "attachment" in response["Content-Disposition"]
        assert_error(bob_api.get(url), 404, "not_found")
    assert_error(alice_api.get("/api/reservations/999999/tickets.pdf"), 404, "not_found")


@pytest.mark.parametrize(
    ("currency", "price"), [("EUR", "€100.00"), ("GBP", "£100.00"), ("CHF", "100.00 CHF")]
)
def test_each_ticket_shows_its_price_in_the_currency(alice_api, settings, reservation, currency, price):
    settings.CURRENCY = currency
    pdf = pypdfium2.PdfDocument(alice_api.get(f"/api/reservations/{reservation.pk}/tickets.pdf").content)
    pages = [" ".join(page.get_textpage().get_text_range().split()) for page in pdf]
    assert len(pages) == 3 and all(f"Price {price}" in page for page in pages), pages


def test_the_calendar_has_one_event_with_the_seats_and_the_link(alice_api, settings, reservation, event):
    settings.SITE_URL = "https://tickets.example.com"
    calendar = Calendar.from_ical(alice_api.get(f"/api/reservations/{reservation.pk}/calendar.ics").content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.name
    assert entry.decoded("DTSTART") == event.event_date.replace(microsecond=0)
    assert "A1, A2, A3" in str(entry["DESCRIPTION"])
    assert str(entry["URL"]) == f"https://tickets.example.com/reservations/{reservation.pk}"


def test_reservation_answers_carry_one_ticket_per_seat_for_the_owner(alice_api, alice, reservation):
    [listed] = alice_api.get("/api/reservations/").json()["reservations"]
    detail = alice_api.get(f"/api/reservations/{reservation.pk}/").json()["reservation"]
    assert listed["tickets"] == detail["tickets"]
    assert [(t["seat_number"], t["section"], t["status"], t["checked_in_at"]) for t in detail["tickets"]] == [
        ("A1", "Main", "valid", None),
        ("A2", "Main", "valid", None),
        ("A3", "Main", "valid", None),
    ]
    assert len({t["code"] for t in detail["tickets"]}) == 3
    services.cancel_reservation(user=alice, reservation_id=reservation.pk)
    detail = alice_api.get(f"/api/reservations/{reservation.pk}/").json()["reservation"]
    assert {t["status"] for t in detail["tickets"]} == {"cancelled"}


def test_a_reservation_is_not_confirmed_when_its_tickets_cannot_be_issued(
    alice, event, seat_ids, monkeypatch
):
    from reservations.models import Reservation, Seat
    from tickets import services as ticket_services

    def broken(**kwargs):
        raise RuntimeError("the ticket printer is on fire")

    monkeypatch.setattr(ticket_services, "issue_tickets", broken)
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    with pytest.raises(RuntimeError):
        services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    assert not Reservation.objects.exists()  # one transaction: no reservation without its tickets
    assert Seat.objects.get(pk=seat_ids[0]).status == "locked"
