"""End to end in real Chromium: the built React app served by Django's live server, on PostgreSQL.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright from PyPI: browser downloads are not
possible here. Screenshots of the main screens go to test-artifacts/.
"""

import math
import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from reservations.models import Event, Reservation
from reservations.tests.browser import (
    ARTIFACTS,
    CHROMIUM,
    axe_violations,
    device,
    log_in,
    seat,
    shoot,
)
from reservations.tests.fixtures import PASSWORD

POLL = 5_000  # the app polls the seat grid every 5 s

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_customers_race_for_a_seat_reserve_and_cancel(open_page, make_user, make_event):
    from playwright.sync_api import expect

    event = make_event(20)
    make_user("alice")
    make_user("bob")

    alice = open_page("/")
    expect(alice.get_by_role("link", name=event.name)).to_be_visible()
    expect(alice.get_by_text("20 of 20 seats available")).to_be_visible()
    shoot(alice, "01-events")
    alice.get_by_role("link", name=event.name).click()
    # Logged out: choosing a seat leads to the login form, then back to the event.
    seat(alice, "A1").click()
    expect(alice).to_have_url(re.compile(r"/login\?next="))
    shoot(alice, "02-login")
    log_in(alice, "alice")
    expect(alice).to_have_url(re.compile(rf"/events/{event.pk}$"))

    bob = open_page(f"/login?next=/events/{event.pk}")
    log_in(bob, "bob")
    expect(seat(bob, "A1")).to_have_accessible_name("A1, available, €100.00")

    # Alice holds A1; Bob sees it held within one poll, without reloading.
    seat(alice, "A1").click()
    expect(seat(alice, "A1")).to_have_accessible_name("A1, held by you, €100.00")
    expect(alice.get_by_role("status")).to_contain_text("Seat A1 locked")
    expect(seat(bob, "A1")).to_have_accessible_name("A1, held by someone else, €100.00", timeout=POLL + 3000)
    expect(seat(bob, "A1")).to_have_attribute("aria-disabled", "true")

    # Both click A2 before either page has polled: one wins, the other is told inline.
    seat(alice, "A2").click()
    expect(seat(alice, "A2")).to_have_accessible_name("A2, held by you, €100.00")
    seat(bob, "A2").click()
    expect(bob.get_by_role("alert")).to_contain_text("held by another customer")
    expect(seat(bob, "A2")).to_have_accessible_name("A2, held by someone else, €100.00")
    shoot(bob, "03-seat-taken-by-someone-else")

    # Alice gives A2 back and reserves A1.
    seat(alice, "A2").click()
    expect(seat(alice, "A2")).to_have_accessible_name("A2, available, €100.00")
    expect(alice.get_by_text("Total:")).to_contain_text("€100.00")
    shoot(alice, "04-holding")
    alice.get_by_role("button", name=re.compile(r"^Reserve")).click()
    confirmation = alice.get_by_role("region", name="Reservation confirmed")
    expect(confirmation).to_contain_text("seats A1")
    expect(confirmation).to_contain_text("€100.00")
    expect(seat(alice, "A1")).to_have_accessible_name("A1, reserved, €100.00")
    expect(alice.get_by_role("region", name="Your seats")).to_have_count(0)
    shoot(alice, "05-confirmation")
    reservation = Reservation.objects.get()
    assert reservation.user.username == "alice" and reservation.status == "confirmed"

    # My reservations: cancel, with a confirmation step.
    alice.get_by_role("link", name="My reservations").first.click()
    expect(alice.get_by_role("heading", name=f"#{reservation.pk} · {event.name}")).to_be_visible()
    shoot(alice, "06-my-reservations")
    alice.get_by_role("button", name=f"Cancel reservation #{reservation.pk}").click()
    alice.get_by_role("button", name="Yes, cancel it").click()
    expect(alice.get_by_role("status")).to_contain_text("cancelled")
    expect(alice.get_by_text("cancelled", exact=True)).to_be_visible()
    reservation.refresh_from_db()
    assert reservation.status == "cancelled"

    # Bob sees A1 free again within one poll and can take it.
    expect(seat(bob, "A1")).to_have_accessible_name("A1, available, €100.00", timeout=POLL + 3000)
    seat(bob, "A1").click()
    expect(seat(bob, "A1")).to_have_accessible_name("A1, held by you, €100.00")


def test_a_hold_that_runs_out_frees_the_seat_on_screen(open_page, make_user, make_event, settings):
    from playwright.sync_api import expect

    settings.SEAT_LOCK_SECONDS = 3
    event = make_event(10)
    make_user("alice")
    page = open_page(f"/login?next=/events/{event.pk}")
    log_in(page, "alice")
    seat(page, "A1").click()
    expect(seat(page, "A1")).to_have_accessible_name("A1, held by you, €100.00")
    expect(page.locator(".countdown")).to_contain_text("held for 0:0")
    expect(seat(page, "A1")).to_have_accessible_name("A1, available, €100.00", timeout=6000)
    expect(page.get_by_role("button", name=re.compile(r"^Reserve"))).to_have_count(0)


def test_phone_width_and_keyboard_only(open_page, make_user, make_event):
    from playwright.sync_api import expect

    event = make_event(20)
    make_user("alice")
    page = open_page(
        f"/login?next=/events/{event.pk}", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page.get_by_label("Username").focus()
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(seat(page, "A1")).to_be_visible()
    seat(page, "A1").focus()
    page.keyboard.press("Enter")
    expect(seat(page, "A1")).to_have_accessible_name("A1, held by you, €100.00")
    shoot(page, "07-phone-seat-map")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"


def test_the_page_stays_put_at_phone_width_when_the_log_in_links_arrive(open_page, make_event):
    from playwright.sync_api import expect

    make_event(20)
    page = open_page("/robots.txt", viewport={"width": 390, "height": 844}, is_mobile=True)
    asked = []  # who is signed in: held back, so the page is first drawn without the links
    page.route("**/api/auth/me/", lambda route: asked.append(route))
    page.goto("/")
    heading = page.get_by_role("heading", name="Upcoming events")
    expect(page.get_by_text("20 of 20 seats available")).to_be_visible()
    for _ in range(600):  # Playwright hands the held request over while it talks to the page
        if asked:
            break
        page.evaluate("() => new Promise(requestAnimationFrame)")
    expect(page.get_by_role("link", name="Log in")).to_have_count(0)
    before = heading.bounding_box()["y"]
    asked[0].continue_()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert heading.bounding_box()["y"] == before, "the log-in links pushed the page down"


def test_staff_creates_an_event_in_the_admin_and_customers_see_it(open_page, make_user):
    from playwright.sync_api import expect

    make_user("boss", is_staff=True, is_superuser=True)
    admin = open_page("/admin/")
    admin.get_by_label("Username").fill("boss")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.goto("/admin/reservations/event/add/")
    admin.get_by_label("Name").fill("Jazz Night")
    when = timezone.localtime() + timedelta(days=5)
    admin.locator("#id_event_date_0").fill(when.strftime("%Y-%m-%d"))
    admin.locator("#id_event_date_1").fill("20:00:00")
    admin.get_by_label("Location").fill("Blue Room")
    admin.get_by_label("Rows").fill("2")
    admin.get_by_label("Seats per row").fill("5")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")
    shoot(admin, "08-admin-events")
    event = Event.objects.get(name="Jazz Night")
    assert event.seats.count() == 10

    customer = open_page("/")
    customer.get_by_role("link", name="Jazz Night").click()
    expect(customer.get_by_role("button", name=re.compile(r"^B5, available"))).to_be_visible()
    expect(customer.get_by_role("button", name=re.compile(r"^[A-Z]+\d+, "))).to_have_count(10)
    shoot(customer, "09-new-event-seat-map")


def test_api_docs_work_offline_and_show_every_operation(open_page, live_server):
    """Swagger UI at /api/docs loads everything from this server (no CDN) and renders the document."""
    from reservations.tests.openapi import document

    requested = []
    page = open_page("/")
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs")
    operations = sum(len(item) for item in document()["paths"].values())
    page.wait_for_function(f"document.querySelectorAll('.opblock').length === {operations}")
    assert page.get_by_text("Seat reservation API").first.is_visible()
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
    shoot(page, "api-docs")


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing_on_any_page_in_any_seat_state(open_page, make_user, make_event, width):
    from playwright.sync_api import expect

    from reservations import services

    event = make_event(20)
    alice, bob = make_user("alice"), make_user("bob")
    seats = list(event.seats.order_by("pk").values_list("pk", flat=True))
    services.hold_seats(user=bob, event_id=event.pk, seat_ids=[seats[2]])
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seats[3]])
    services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seats[3]])
    page = open_page("/", viewport={"width": width, "height": 900})
    expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible()
    assert axe_violations(page) == [], "events page"
    page.goto("/register")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    assert axe_violations(page) == [], "register page"
    page.goto(f"/login?next=/events/{event.pk}")
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()  # its chunk is in
    assert axe_violations(page) == [], "login page"
    log_in(page, "alice")
    seat(page, "A1").click()  # held by me; A3 held by someone else; A4 reserved
    expect(seat(page, "A1")).to_have_accessible_name("A1, held by you, €100.00")
    expect(seat(page, "A3")).to_have_accessible_name("A3, held by someone else, €100.00")
    assert axe_violations(page) == [], "seat map with every state"
    page.get_by_role("link", name="My reservations").first.click()
    expect(page.get_by_role("heading", name="My reservations")).to_be_visible()
    assert axe_violations(page) == [], "reservations page"
    shoot(page, f"10-reservations-{width}")


def concert_hall_event(name: str = "Gala") -> Event:
    from reservations import services
    from reservations.demo import CONCERT_HALL
    from reservations.models import Venue

    hall, address, layout = CONCERT_HALL
    venue = Venue.objects.create(name=hall, address=address, layout=layout)
    return services.create_event(name=name, event_date=timezone.now() + timedelta(days=3), venue=venue)


def in_view(page, locator) -> bool:
    """Whether the element is wholly inside the viewport as the page is scrolled now."""
    box, size = locator.bounding_box(), page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def test_concert_hall_with_the_keyboard_alone_from_the_overview_to_the_confirmation(open_page, make_user):
    """The 2,008-seat concert hall: its sections first, then the Stalls; a seat is chosen, held and
    reserved with the keyboard alone, in a handful of key presses (counted and printed)."""
    from playwright.sync_api import expect

    event = concert_hall_event()
    make_user("alice")
    page = open_page(f"/login?next=/events/{event.pk}")
    log_in(page, "alice")
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
    expect(page).to_have_title("Gala · Seat reservations")
    expect(page.get_by_role("heading", name="Gala", level=1)).to_be_focused()

    def tab_to(locator, most: int) -> int:
        presses = 0
        while not locator.evaluate("element => element === document.activeElement"):
            page.keyboard.press("Tab")
            presses += 1
            assert presses <= most, f"more than {most} Tab presses to reach {locator}"
        return presses

    to_section = tab_to(page.get_by_role("button", name=re.compile(r"^Stalls")), 4)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Stalls")).to_be_focused()
    to_map = tab_to(seat(page, "S-A1"), 4)  # the map is one Tab stop: its first seat
    moves = ["ArrowDown", "ArrowRight", "ArrowRight"]  # to row B, then along it
    for key in moves:
        page.keyboard.press(key)
    expect(seat(page, "S-B3")).to_be_focused()
    page.keyboard.press("Enter")
    expect(seat(page, "S-B3")).to_have_accessible_name("S-B3, held by you, €85.00")
    expect(page.get_by_role("status")).to_contain_text("Seat S-B3 locked")
    to_reserve = tab_to(page.get_by_role("button", name=re.compile(r"^Reserve 1")), 3)
    page.keyboard.press("Enter")
    confirmation = page.get_by_role("region", name="Reservation confirmed")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_contain_text("S-B3")
    total = to_section + 1 + to_map + len(moves) + 1 + to_reserve + 1
    print(
        f"keyboard: {to_section} Tab + Enter to the Stalls, {to_map} Tab to the map, {len(moves)} arrows, "
        f"Enter to hold, {to_reserve} Tab + Enter to reserve: {total} presses in all"
    )
    assert Reservation.objects.get().seats.get().seat_number == "S-B3"


@pytest.mark.parametrize("width", [1280, 390])
def test_concert_hall_overview_section_list_hold_and_reserve_at_both_widths(open_page, make_user, width):
    """Every main screen of the concert hall at a desktop's and a phone's width: looked at (the
    screenshots), checked by axe, the page never wider than the screen, seats big enough to tap,
    and on a phone the hold and Reserve in view right after the tap."""
    from playwright.sync_api import expect

    event = concert_hall_event()
    make_user("alice")
    phone = width < 600
    page = open_page(f"/login?next=/events/{event.pk}", **device(width))
    log_in(page, "alice")
    press = (lambda locator: locator.tap()) if phone else (lambda locator: locator.click())

    def screen(name: str) -> None:
        shoot(page, f"20-{name}-{width}")
        assert axe_violations(page) == [], name
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name}: the page scrolls sideways ({scroll}px)"

    expect(page.get_by_role("button", name=re.compile(r"^Circle.*left"))).to_be_visible()
    screen("overview")
    press(page.get_by_role("button", name=re.compile(r"^Stalls")))
    expect(seat(page, "S-A1")).to_be_visible()
    screen("section-map")
    box = seat(page, "S-F10").bounding_box()
    assert (box["width"] >= 24 and box["height"] >= 24) or not phone, box
    if not phone:  # the whole section fits a desktop's frame
        frame = page.locator(".zoom-pane__viewport")
        assert frame.evaluate("frame => frame.scrollWidth <= frame.clientWidth")
    page.get_by_role("heading", name="Stalls").scroll_into_view_if_needed()
    target = seat(page, "S-J10")
    target.scroll_into_view_if_needed()
    press(target)
    expect(target).to_have_accessible_name("S-J10, held by you, €85.00")
    reserve = page.get_by_role("button", name="Reserve 1 seat(s)")
    expect(reserve).to_be_visible()
    assert in_view(page, reserve), "Reserve is out of view after the tap"
    assert in_view(page, page.get_by_text("Seat S-J10 locked for 5 minutes")), "the message is out of view"
    screen("seat-held")
    page.get_by_role("button", name="List by row").click()
    rows = page.get_by_role("combobox", name="Row")
    rows.select_option(label=rows.locator("option", has_text=re.compile(r"^Row K:")).text_content())
    press(page.get_by_role("button", name="S-K7, available, €85.00"))
    expect(page.get_by_role("button", name="S-K7, held by you, €85.00")).to_be_visible()
    screen("section-list")
    press(page.get_by_role("button", name="Reserve 2 seat(s)"))
    confirmation = page.get_by_role("region", name="Reservation confirmed")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_contain_text("S-J10, S-K7")
    screen("reserved")
    page.get_by_role("button", name="← All sections").click()
    expect(page.get_by_role("heading", name="Choose a section")).to_be_focused()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_arena_is_drawn_as_a_bowl_around_its_pitch_at_both_widths(open_page, width):
    """The 50,000-seat demo arena's overview as a fan sees it (screenshots 22-arena-*): the blocks
    around the pitch, each turned to face it, the corner blocks at 45 degrees; a turned block is
    chosen by a click on it; axe finds nothing; the page never scrolls sideways."""
    from playwright.sync_api import expect

    from reservations import services
    from reservations.demo import arena
    from reservations.models import Venue

    name, address, layout = arena()
    venue = Venue.objects.create(name=name, address=address, layout=layout)
    event = services.create_event(
        name="Cup Final", event_date=timezone.now() + timedelta(days=3), venue=venue
    )
    phone = width < 600
    page = open_page(f"/events/{event.pk}", **device(width))
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections.get_by_role("button", name=re.compile(r"^Block 1\d\d, "))).to_have_count(20)
    shoot(page, f"22-arena-{width}")
    assert axe_violations(page) == []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways ({scroll}px)"

    def corners(name: str) -> list[tuple[float, float]]:
        """The block's corners on the screen, turned (front row's edge first): its box through the
        transform the browser applies."""
        block = sections.get_by_role("button", name=re.compile(rf"^{name}, ")).locator(".section-shape__box")
        return block.evaluate(
            """shape => {
                const screen = shape.getScreenCTM(), {x, y, width, height} = shape.getBBox();
                return [[x, y], [x + width, y], [x + width, y + height], [x, y + height]]
                    .map(([px, py]) => new DOMPoint(px, py).matrixTransform(screen)).map((p) => [p.x, p.y]);
            }"""
        )

    def box(name: str) -> dict:
        xs, ys = zip(*corners(name), strict=True)
        return {"x": min(xs), "y": min(ys), "width": max(xs) - min(xs), "height": max(ys) - min(ys)}

    transform = sections.get_by_role("button", name=re.compile(r"^Block 110, ")).locator(
        ".section-shape__box"
    )
    assert transform.get_attribute("transform").startswith("rotate(-45 ")
    straight, corner = box("Block 113"), box("Block 110")
    # The same 50 x 50 block, turned 45 degrees: a diamond, about 1.41 times as wide.
    assert 1.38 < corner["width"] / straight["width"] < 1.45, (corner, straight)
    pitch = page.locator(".section-overview__field > rect").bounding_box()
    bottom = lambda shape: shape["y"] + shape["height"]  # noqa: E731
    right = lambda shape: shape["x"] + shape["width"]  # noqa: E731
    assert bottom(box("Block 103")) < pitch["y"] < bottom(pitch) < box("Block 113")["y"]  # touchlines
    assert right(box("Block 118")) < pitch["x"] < right(pitch) < box("Block 108")["x"]  # goal ends
    assert corner["x"] > right(pitch) and corner["y"] > bottom(pitch)  # a corner
    # Every block's front row (its box's top edge before turning) is nearer the pitch than its back.
    middle = (pitch["x"] + pitch["width"] / 2, pitch["y"] + pitch["height"] / 2)
    for number in range(101, 121):
        front_left, front_right, back_right, back_left = corners(f"Block {number}")
        away = lambda a, b: math.dist(middle, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))  # noqa: E731
        assert away(front_left, front_right) < away(back_left, back_right), number
    # The drawing's height follows from its width before anything is measured: no shift.
    drawing = page.locator("svg.section-overview__drawing")
    size = drawing.bounding_box()
    _, _, view_width, view_height = map(float, drawing.get_attribute("viewBox").split())
    assert abs(size["height"] - size["width"] * view_height / view_width) < 1, size

    # A turned block is chosen where it is drawn (its centre), by mouse or finger.
    (page.touchscreen.tap if phone else page.mouse.click)(
        corner["x"] + corner["width"] / 2, corner["y"] + corner["height"] / 2
    )
    expect(page.get_by_role("heading", name="Block 110")).to_be_visible()


def test_best_available_holds_seats_together_and_shows_them_where_they_are(open_page, make_user):
    from playwright.sync_api import expect

    event = concert_hall_event()
    make_user("alice")
    page = open_page(f"/login?next=/events/{event.pk}")
    log_in(page, "alice")
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
    page.get_by_role("spinbutton", name="Seats").fill("4")
    page.get_by_role("combobox", name="Section").select_option("Circle")
    page.get_by_role("button", name="Find 4 together").click()
    expect(page.get_by_role("status")).to_contain_text("Holding 4 seats for 5 minutes")
    expect(page.get_by_role("heading", name="Circle")).to_be_visible()  # opened where they are
    held = page.get_by_role("button", name=re.compile(r", held by you, "))
    expect(held).to_have_count(4)
    numbers = [name.split(",")[0] for name in held.evaluate_all("seats => seats.map(s => s.ariaLabel)")]
    rows = {number.rsplit("-", 1)[1].rstrip("0123456789") for number in numbers}
    places = sorted(int(number.rsplit("-", 1)[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for number in numbers)
    assert len(rows) == 1 and places == list(range(places[0], places[0] + 4)), numbers
    shoot(page, "21-best-available")
    page.get_by_role("button", name="Reserve 4 seat(s)").click()
    expect(page.get_by_role("region", name="Reservation confirmed")).to_contain_text(", ".join(numbers))


def test_the_stadium_timings_script_prints_every_figure(live_server, browser):
    """`bench/browser.py` (the issue's stadium targets, printed) on the 50,000-seat demo arena, so
    the script keeps working; its figures are saved in test-artifacts/stadium-timings.txt, never
    asserted (this machine is shared and noisy)."""
    import subprocess
    import sys

    from django.core.management import call_command

    call_command("populate_events", "--stadium", "--events", "0", verbosity=0)
    assert Event.objects.get(name="Cup Final").seats.count() == 50_000
    script = django_settings.BASE_DIR / "bench" / "browser.py"
    command = [sys.executable, str(script), "--base", live_server.url, "--chromium", CHROMIUM]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    (ARTIFACTS / "stadium-timings.txt").write_text(result.stdout)  # read with the screenshots
    print(result.stdout)
    for figure in (
        r"overview of sections visible after navigation: \d+ ms",
        r"a section's seats after choosing it: \d+ ms",
        r"click until 'held by you': \d+ ms",
        r"long tasks over 100 ms in 10 s of a counting-down hold: \d+",
        r"seat answers in those 10 s: \d+, \d+ bytes",
    ):
        assert re.search(figure, result.stdout), figure
