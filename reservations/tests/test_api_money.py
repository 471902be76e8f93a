"""Every answer with prices or a total names their currency (the ``CURRENCY`` setting)."""

import pytest

from reservations import services
from reservations.tests.openapi import document

pytestmark = pytest.mark.django_db


@pytest.fixture
def gbp(settings):
    settings.CURRENCY = "GBP"


def test_event_answers_name_the_currency(gbp, anon, event):
    [listed] = anon.get("/api/events/").json()["events"]
    detail = anon.get(f"/api/events/{event.pk}/").json()["event"]
    assert listed["currency"] == detail["currency"] == "GBP"
    assert detail["min_price"] == "100.00"


def test_reservation_answers_name_the_currency(gbp, alice, alice_api, event, seat_ids):
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:2])
    reserved = alice_api.post_json(f"/api/events/{event.pk}/reserve/", {"seat_ids": seat_ids[:2]})
    assert reserved.status_code == 201
    assert (reserved.json()["total_price"], reserved.json()["currency"]) == ("200.00", "GBP")
    [listed] = alice_api.get("/api/reservations/").json()["reservations"]
    detail = alice_api.get(f"/api/reservations/{listed['id']}/").json()["reservation"]
    assert listed["currency"] == detail["currency"] == "GBP"


def test_the_document_requires_an_iso_currency_beside_the_prices():
    schemas = document()["components"]["schemas"]
    for name in ("EventOut", "EventWithSectionsOut", "ReservationOut", "ReserveOut", "ReportOut"):
        assert "currency" in schemas[name]["required"], name
        assert schemas[name]["properties"]["currency"]["pattern"] == "^[A-Z]{3}$", name
