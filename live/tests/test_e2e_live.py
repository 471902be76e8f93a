"""Live seat maps in real Chromium: through Pushpin, a hold made elsewhere appears on an open map
within a second without the map polling; without push (the stream answers 503), the map polls the
change feed as before."""

import pytest

from reservations import services
from reservations.tests.browser import page_opener, seat

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

POLL = 5_000  # the app polls the seat grid every 5 s when it has no stream


def requests_to(page, pattern: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if pattern in request.url else None)
    return seen


def test_a_hold_made_elsewhere_appears_on_an_open_map_within_a_second_without_a_poll(
    browser, site, make_user, make_event
):
    from playwright.sync_api import expect

    pushpin = site[0]
    event = make_event(20)
    with page_opener(browser, pushpin.url) as open_:
        page = open_("/")
        polls = requests_to(page, f"/api/events/{event.pk}/seats/?since=")
        streams = requests_to(page, "/seats/stream/")
        with page.expect_request(lambda request: "/seats/stream/" in request.url):
            page.goto(f"/events/{event.pk}")
        expect(seat(page, "A1")).to_have_accessible_name("A1, available, €100.00")
        alice = make_user("alice")
        services.lock_seat(user=alice, event_id=event.pk, seat_id=event.seats.get(seat_number="A1").pk)
        expect(seat(page, "A1")).to_have_accessible_name("A1, held by someone else, €100.00", timeout=1000)
        assert polls == []  # it came by push: the map never polled the feed
        assert len(streams) == 1  # one stream per open map


def test_the_map_polls_the_feed_when_the_stream_answers_unavailable(
    browser, live_server, make_user, make_event
):
    from playwright.sync_api import expect

    event = make_event(20)
    with page_opener(browser, live_server.url) as open_:  # no Pushpin here: PUSH_URL is empty
        page = open_("/")
        polls = requests_to(page, f"/api/events/{event.pk}/seats/?since=")
        with page.expect_response(lambda response: "/seats/stream/" in response.url) as stream:
            page.goto(f"/events/{event.pk}")
        assert stream.value.status == 503
        expect(seat(page, "A1")).to_have_accessible_name("A1, available, €100.00")
        alice = make_user("alice")
        services.lock_seat(user=alice, event_id=event.pk, seat_id=event.seats.get(seat_number="A1").pk)
        expect(seat(page, "A1")).to_have_accessible_name(
            "A1, held by someone else, €100.00", timeout=POLL + 3000
        )
        assert polls  # by the feed
