"""The box office end to end in real Chromium (on PostgreSQL): blocked seats and wheelchair spaces on
a customer's seat map, and the admin's report page with its charts, each checked by axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from boxoffice.tests.helpers import reserve
from reservations import services
from reservations.demo import CONCERT_BLOCKED, CONCERT_HALL
from reservations.models import Event, Venue
from reservations.tests.browser import axe_violations, log_in, seat, shoot
from reservations.tests.fixtures import PASSWORD
from tickets import services as ticket_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def concert() -> Event:
    """The demo concert: wheelchair spaces at the ends of the stalls' back row, and its blocked seats."""
    name, address, layout = CONCERT_HALL
    venue = Venue.objects.create(name=name, address=address, layout=layout)
    event = services.create_event(name="Gala", event_date=timezone.now() + timedelta(days=3), venue=venue)
    for numbers, reason in CONCERT_BLOCKED:
        ids = list(event.seats.filter(seat_number__in=numbers).values_list("pk", flat=True))
        services.block_seats(by=None, event_id=event.pk, seat_ids=ids, reason=reason)
    return event


def test_a_customer_sees_blocked_seats_and_wheelchair_spaces_for_what_they_are(open_page, make_user):
    from playwright.sync_api import expect

    event = concert()
    make_user("alice")
    page = open_page(f"/login?next=/events/{event.pk}", viewport={"width": 1280, "height": 900})
    log_in(page, "alice")
    page.get_by_role("button", name=re.compile(r"^Stalls")).click()
    expect(seat(page, "S-A16")).to_have_accessible_name(
        "S-A16, not for sale (held back by the box office), €85.00"
    )
    expect(seat(page, "S-A16")).to_have_attribute("aria-disabled", "true")
    expect(seat(page, "S-T1")).to_have_accessible_name("S-T1, wheelchair space, available, €85.00")
    expect(seat(page, "S-T1")).to_have_text("♿")
    expect(seat(page, "S-T3")).to_have_accessible_name("S-T3, companion seat, available, €85.00")
    seat(page, "S-A16").dispatch_event("click")  # aria-disabled, yet pressed: the picker says why
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text("not for sale")
    assert axe_violations(page) == [], "seat map with blocked seats and wheelchair spaces"
    shoot(page, "30-blocked-and-wheelchair-seats")


def test_staff_read_the_report_with_its_charts_and_a_seats_history_in_the_admin(open_page, make_user):
    from playwright.sync_api import expect

    event = concert()
    boss = make_user("boss", is_staff=True, is_superuser=True)
    fans = [make_user(f"fan{number}") for number in range(3)]
    seats = list(event.seats.filter(status="available").order_by("pk").values_list("pk", flat=True))
    for index, fan in enumerate(fans):
        reservation = reserve(fan, event, *seats[index * 4 : index * 4 + 3])
    ticket_services.check_in(staff=boss, event_id=event.pk, code=reservation.tickets.first().code)
    page = open_page("/admin/", viewport={"width": 1280, "height": 900})
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/reservations/event/")
    page.get_by_role("link", name="Report").first.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Report: Gala"))).to_be_visible()
    expect(page.get_by_role("img", name="Tickets sold by day")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Seats by section"))).to_be_visible()
    expect(page.get_by_role("img", name="Check-ins per quarter hour")).to_be_visible()
    assert axe_violations(page) == [], "the report page"
    shoot(page, "31-admin-report")
    page.goto(f"/admin/reservations/seat/{seats[0]}/change/")
    expect(page.locator(".seat-history")).to_contain_text("fan0")
    shoot(page, "32-admin-seat-history")
