"""End to end in real Chromium: tickets with their QR codes, the door's check-in page on a phone
(typed, scanned and read by the camera), account recovery and the account page; axe-core finds
nothing at a desktop's and a phone's width, and no page breaks its Content-Security-Policy.

Modelled on reservations/tests/test_e2e_browser.py: the built React app served by Django's live
server, on PostgreSQL, driven by Playwright with Debian's Chromium. Chromium's fake camera plays a
Y4M video of a ticket's QR code, so the camera path (getUserMedia, then the browser's
BarcodeDetector or the bundled zxing WebAssembly) is exercised for real. Screenshots go to
test-artifacts/.
"""

import io
import re
from pathlib import Path

import numpy as np
import pytest
import segno
import zxingcpp
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image

from reservations.models import Reservation
from reservations.tests.browser import (
    assert_page_clean,
    axe_violations,
    chromium,
    log_in,
    page_opener,
    shoot,
)
from reservations.tests.fixtures import PASSWORD
from tickets.models import OutgoingEmail, Ticket

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def camera_video(tmp_path_factory) -> Path:
    """The file Chromium's fake camera plays: written by `film` before the camera opens."""
    return tmp_path_factory.mktemp("camera") / "ticket.y4m"


def film(video: Path, code: str) -> None:
    """A Y4M video (what Chromium's fake camera reads) of a ticket's QR code held up to the camera:
    640x480, the code about 300 px wide on white, in a few identical frames (the file loops)."""
    width, height = 640, 480
    matrix = np.array(list(segno.make(code, error="m", micro=False).matrix), dtype=bool)
    scale = 300 // len(matrix)
    modules = np.kron(matrix, np.ones((scale, scale), dtype=bool))
    luma = np.full((height, width), 235, dtype=np.uint8)
    top, left = (height - len(modules)) // 2, (width - len(modules)) // 2
    luma[top : top + len(modules), left : left + len(modules)][modules] = 16
    chroma = np.full((height // 2) * (width // 2), 128, dtype=np.uint8).tobytes()
    frame = b"FRAME\n" + luma.tobytes() + chroma + chroma
    video.write_bytes(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 10)


@pytest.fixture(scope="module")
def browser(camera_video):
    film(camera_video, "NOT-A-TICKET")  # a camera that shows something until a test films a ticket
    with chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_video}",
    ) as browser:
        yield browser


@pytest.fixture
def open_page(browser, live_server):
    with page_opener(browser, live_server.url) as open_:
        yield open_


def decoded_qr_codes(png: bytes) -> set[str]:
    """The text of every QR code in a screenshot."""
    return {result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))}


@pytest.fixture
def reserved(make_event, make_user, reserve):
    """An event of 20 seats; alice (with an e-mail address) holds a reservation of A1, A2, A3; the
    door's staff account."""
    event = make_event(20, name="Jazz Night")
    alice = make_user("alice", email="alice@example.com")
    make_user("door", is_staff=True)
    seats = list(event.seats.order_by("pk").values_list("pk", flat=True))
    reserve(alice, event, *seats[:3])
    reservation = Reservation.objects.get(user=alice)
    tickets = list(Ticket.objects.filter(reservation=reservation).order_by("pk"))
    return event, reservation, tickets


def test_a_customer_sees_a_qr_code_per_ticket_and_gets_the_pdf(open_page, reserved):
    from playwright.sync_api import expect

    event, reservation, tickets = reserved
    page = open_page(f"/login?next=/reservations/{reservation.pk}")
    log_in(page, "alice")
    expect(page.get_by_role("heading", level=1, name=f"#{reservation.pk} · {event.name}")).to_be_visible()
    codes = page.get_by_role("img", name=re.compile(r"^Ticket for .+, QR code$"))
    expect(codes).to_have_count(len(tickets))
    for ticket in tickets:
        expect(page.get_by_role("img", name=f"Ticket for {ticket.seat.seat_number}, QR code")).to_be_visible()
    # Crisp enough to read off the screen: every ticket's code, decoded from the screenshot.
    assert decoded_qr_codes(page.screenshot(full_page=True)) == {ticket.code for ticket in tickets}
    shoot(page, "tickets-reservation-qr-codes")

    pdf_link = page.get_by_role("link", name="Download tickets (PDF)")
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    calendar = page.request.get(page.get_by_role("link", name="Add to calendar (.ics)").get_attribute("href"))
    assert calendar.status == 200 and calendar.headers["content-type"].startswith("text/calendar")

    page.get_by_role("button", name="Resend confirmation e-mail").click()
    expect(page.get_by_role("status")).to_contain_text("We have sent the confirmation")
    assert OutgoingEmail.objects.filter(reservation=reservation, kind="confirmation").count() == 2

    # From "My reservations", each reservation leads to this page.
    page.get_by_role("link", name="My reservations", exact=True).click()
    page.get_by_role("link", name=f"Tickets and details of reservation #{reservation.pk}").click()
    expect(page).to_have_url(re.compile(rf"/reservations/{reservation.pk}$"))
    expect(codes).to_have_count(len(tickets))
    assert_page_clean(open_page)


def test_staff_check_tickets_in_at_the_door_on_a_phone(open_page, reserved):
    from playwright.sync_api import expect

    event, _, tickets = reserved
    page = open_page(f"/login?next=/checkin/{event.pk}", **PHONE)
    log_in(page, "door")
    expect(page.get_by_role("heading", level=1, name=f"Check-in: {event.name}")).to_be_visible()
    field = page.get_by_role("textbox", name="Ticket code")
    expect(field).to_be_focused()  # a USB or Bluetooth scanner types wherever the focus is
    expect(page.get_by_text("0 of 3 checked in")).to_be_visible()
    result = page.get_by_role("status")

    page.keyboard.type(tickets[0].code)  # as a scanner does: the code, then Enter
    page.keyboard.press("Enter")
    expect(result).to_contain_text("Come in")
    expect(result).to_contain_text("Main · Row A · Seat 1")
    expect(result).to_contain_text("Ticket of alice")
    expect(page.get_by_text("1 of 3 checked in")).to_be_visible()
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    headline = page.locator(".verdict__headline")
    assert float(headline.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 36  # at arm's length
    assert headline.evaluate("e => getComputedStyle(e.parentElement).backgroundColor") == "rgb(30, 122, 60)"
    shoot(page, "checkin-phone-come-in")

    page.keyboard.type(tickets[0].code)
    page.keyboard.press("Enter")
    expect(result).to_contain_text("Already checked in")
    expect(result).to_contain_text("This ticket came in at")
    assert headline.evaluate("e => getComputedStyle(e.parentElement).backgroundColor") == "rgb(179, 38, 30)"
    shoot(page, "checkin-phone-already-checked-in")

    changed = tickets[1].code[:-1] + ("A" if tickets[1].code[-1] != "A" else "B")
    field.fill(changed)  # typed by a person
    page.get_by_role("button", name="Check in").click()
    expect(result).to_contain_text("Not a ticket")
    expect(field).to_be_focused()
    expect(page.get_by_text("1 of 3 checked in")).to_be_visible()
    shoot(page, "checkin-phone-not-a-ticket")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    assert Ticket.objects.filter(status="checked_in").count() == 1
    assert_page_clean(open_page)


def test_the_phone_camera_reads_a_ticket_and_lets_it_in(open_page, reserved, camera_video, live_server):
    """Chromium's fake camera films the ticket's QR code: the code is read (by the browser's own
    BarcodeDetector, or else the zxing WebAssembly served from this site) and checked in once."""
    from playwright.sync_api import expect

    event, _, tickets = reserved
    film(camera_video, tickets[2].code)
    page = open_page(f"/login?next=/checkin/{event.pk}", permissions=["camera"], **PHONE)
    requested, checkins = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "request",
        lambda request: (
            request.method == "POST"
            and request.url.endswith("/checkin/")
            and checkins.append(request.post_data_json["code"])
        ),
    )
    log_in(page, "door")
    page.get_by_role("button", name="Scan with camera").click()
    result = page.get_by_role("status")
    expect(result).to_contain_text("Come in", timeout=20_000)
    expect(result).to_contain_text("Main · Row A · Seat 3")
    expect(page.get_by_text("1 of 3 checked in")).to_be_visible()
    shoot(page, "checkin-phone-camera")
    # A second more of frames showing the same code (five reads or so): it is not sent again.
    video = page.get_by_label("Camera view")
    shown = video.evaluate("video => video.currentTime")
    page.wait_for_function("shown => document.querySelector('video').currentTime > shown + 1", arg=shown)
    page.get_by_role("button", name="Stop camera").click()
    expect(video).to_have_count(0)
    expect(result).to_contain_text("Come in")
    assert checkins == [tickets[2].code]
    assert Ticket.objects.get(pk=tickets[2].pk).status == "checked_in"
    assert all(url.startswith(live_server.url) for url in requested), requested  # nothing from a CDN
    if not page.evaluate("'BarcodeDetector' in window"):
        assert any(re.search(r"/assets/zxing_reader-[\w-]+\.wasm$", url) for url in requested), requested
    assert_page_clean(open_page)


def test_a_customer_is_told_only_staff_check_in(open_page, reserved):
    from playwright.sync_api import expect

    event, _, _ = reserved
    page = open_page(f"/checkin/{event.pk}")
    expect(page).to_have_url(re.compile(r"/login\?next="))  # signed out: log in first
    log_in(page, "alice")
    expect(page.get_by_text("Only staff can check tickets in.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Ticket code")).to_have_count(0)
    assert_page_clean(open_page)


def test_forgotten_password_to_a_new_one_by_the_reset_link(open_page, make_user):
    from playwright.sync_api import expect

    dora = make_user("dora", email="dora@example.com")
    page = open_page("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1, name="Forgot your password?")).to_be_focused()
    page.get_by_role("textbox", name="E-mail address").fill("dora@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text(
        "If an account has this address, we have sent it a link"
    )
    assert OutgoingEmail.objects.filter(user=dora, kind="password_reset").count() == 1
    shoot(page, "tickets-forgot-password")

    # The link of the e-mail, made as the mailer makes it.
    uid, token = urlsafe_base64_encode(force_bytes(dora.pk)), default_token_generator.make_token(dora)
    page.goto(f"/reset-password/{uid}/{token}")
    new_password = "a-brand-new-passphrase-42"
    page.get_by_label("New password").fill("password")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_label("New password")).to_have_attribute("aria-invalid", "true")  # too common
    page.get_by_label("New password").fill(new_password)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("status")).to_contain_text("Password changed, you can sign in")
    shoot(page, "tickets-reset-password-done")
    page.get_by_role("link", name="Log in with your new password").click()
    log_in(page, "dora", new_password)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(f"/reset-password/{uid}/{token}")  # a link works once
    page.get_by_label("New password").fill("yet-another-passphrase-7")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("alert")).to_contain_text("not valid")
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()
    assert_page_clean(open_page)


def test_account_page_sets_the_address_and_the_password(open_page, make_user):
    from playwright.sync_api import expect

    make_user("erin")
    page = open_page("/login?next=/account")
    log_in(page, "erin")
    expect(page.get_by_role("heading", level=1, name="Account settings")).to_be_visible()
    page.get_by_role("textbox", name="E-mail address").fill("erin@example.com")
    page.get_by_role("button", name="Save e-mail address").click()
    expect(page.get_by_role("region", name="E-mail address").get_by_role("status")).to_contain_text(
        "erin@example.com"
    )
    password = page.get_by_role("region", name="Change password")
    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_label("New password").fill("a-brand-new-passphrase-42")
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_role("status")).to_contain_text("Password changed")
    page.reload()  # still signed in here
    expect(page.get_by_role("textbox", name="E-mail address")).to_have_value("erin@example.com")
    assert_page_clean(open_page)


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing_on_the_new_pages(open_page, reserved, make_user, width):
    from playwright.sync_api import expect

    event, reservation, tickets = reserved
    options = {"viewport": {"width": width, "height": 900}}
    page = open_page(f"/login?next=/reservations/{reservation.pk}", **options)
    # The login page comes in a chunk of its own: what axe reads is the page once it is there.
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()
    assert axe_violations(page) == [], "login page with the reset link"
    log_in(page, "alice")
    expect(page.get_by_role("img", name=re.compile("QR code$"))).to_have_count(len(tickets))
    assert axe_violations(page) == [], "reservation page"
    shoot(page, f"tickets-reservation-{width}")
    page.goto("/account")
    expect(page.get_by_role("heading", level=1, name="Account settings")).to_be_visible()
    assert axe_violations(page) == [], "account page"

    door = open_page(f"/login?next=/checkin/{event.pk}", **options)
    log_in(door, "door")
    field = door.get_by_role("textbox", name="Ticket code")
    expect(field).to_be_focused()
    assert axe_violations(door) == [], "check-in page, nothing scanned yet"
    for code, answer in (
        (tickets[0].code, "Come in"),
        (tickets[0].code, "Already checked in"),
        ("X", "Not a ticket"),
    ):
        field.fill(code)
        field.press("Enter")
        expect(door.get_by_role("status")).to_contain_text(answer)
        assert axe_violations(door) == [], f"check-in page: {answer}"
    shoot(door, f"checkin-{width}")

    visitor = open_page("/forgot-password", **options)
    expect(visitor.get_by_role("heading", level=1, name="Forgot your password?")).to_be_visible()
    assert axe_violations(visitor) == [], "forgot password page"
    visitor.goto("/reset-password/MQ/not-a-token")
    visitor.get_by_label("New password").fill("a-brand-new-passphrase-42")
    visitor.get_by_role("button", name="Set new password").click()
    expect(visitor.get_by_role("alert")).to_be_visible()
    assert axe_violations(visitor) == [], "reset password page with its error"
    for seen in (page, door, visitor):
        scroll = seen.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{seen.url} scrolls sideways ({scroll}px)"
    assert_page_clean(open_page)
