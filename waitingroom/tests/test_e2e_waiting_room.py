"""End to end in real Chromium: a customer waits in the queue, is admitted, holds a seat; before an
on-sale the page counts down. The built React app on Django's live server, on PostgreSQL."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from reservations.tests.browser import axe_violations, log_in, seat, shoot
from waitingroom import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

POLL = 12_000  # the waiting page asks again within 2.5 s when the turn is near; generous for CI


def test_a_customer_waits_is_admitted_and_holds_a_seat(open_page, make_user, make_event, settings):
    from playwright.sync_api import expect

    settings.REDIS_URL = ""  # the database's store: the live server runs in this process
    event = make_event(20)
    services.configure_sale(event_id=event.pk, queue_enabled=True, per_minute=60, max_active=1)
    make_user("alice")

    page = open_page(f"/login?next=/events/{event.pk}")
    log_in(page, "alice")
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}$"))
    page.get_by_role("button", name="Join the queue").click()
    expect(page.get_by_role("heading", name="You are in the queue")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("You are number 1 in the queue; 0 people ahead of you")
    expect(page.get_by_role("progressbar", name="Your progress in the queue")).to_be_visible()
    expect(seat(page, "A1")).to_have_count(0)
    assert axe_violations(page) == [], "waiting room"
    shoot(page, "20-waiting-room")

    # The admitter's step lets her in: the page notices by itself and opens the seat map.
    assert services.admit(event_id=event.pk) == 1
    expect(page.get_by_role("note")).to_contain_text("It is your turn", timeout=POLL)
    seat(page, "A1").click()
    expect(seat(page, "A1")).to_have_accessible_name("A1, held by you, €100.00")
    assert axe_violations(page) == [], "seat map after the queue"
    shoot(page, "21-admitted")


def test_before_the_onsale_the_page_counts_down(open_page, make_event, settings):
    from playwright.sync_api import expect

    settings.REDIS_URL = ""
    event = make_event(20)
    services.configure_sale(event_id=event.pk, onsale_at=timezone.now() + timedelta(hours=2))
    page = open_page(f"/events/{event.pk}")
    expect(page.get_by_role("heading", name=re.compile("Seats go on sale"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Opens in [12]:\d\d:\d\d"))).to_be_visible()
    expect(seat(page, "A1")).to_have_count(0)
    assert axe_violations(page) == [], "on-sale countdown"
