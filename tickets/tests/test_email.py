"""E-mail through a real SMTP server: queued in the reservation's transaction, sent after it by the
mailer, none lost and none doubled when the server is down; tickets decoded from the PDF's QR codes
open the door."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.db import connection

from reservations import services
from reservations.tests.helpers import assert_error
from tickets import services as ticket_services
from tickets.models import OutgoingEmail, Ticket
from tools.servers import database_url, procfile

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def customer(make_user):
    return make_user("carol", email="carol@example.com")


@pytest.fixture
def customer_api(api_for, customer):
    return api_for(customer)


def send() -> ticket_services.Sent:
    return ticket_services.send_queued_emails()


def qr_codes(pdf: bytes) -> list[str]:
    """The text of every QR code in the PDF, page by page (rendered at 200 dpi and decoded)."""
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=200 / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def test_the_confirmation_arrives_with_the_tickets_and_the_calendar(smtp, customer, event, seat_ids, reserve):
    reservation = reserve(customer, event, seat_ids[0], seat_ids[1])
    assert smtp.inbox.messages == []  # nothing leaves inside the request
    assert send() == ticket_services.Sent(1, 0)
    [message] = smtp.inbox.messages
    assert message["To"] == "carol@example.com"
    assert message["Subject"] == f"Your tickets for {event.name}"
    assert message["Message-ID"] == OutgoingEmail.objects.get().message_id
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"https://tickets.example.com/reservations/{reservation.pk}"
    for body in (text, html):
        assert link in body and "A1" in body and "A2" in body and "€200.00" in body  # the total
    assert text.count("€100.00") == 2  # each seat's price
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {f"tickets-{reservation.pk}.pdf", f"event-{reservation.pk}.ics"}
    ics = attachments[f"event-{reservation.pk}.ics"].get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert ics.count("BEGIN:VEVENT") == 1 and f"SUMMARY:{event.name}" in ics
    codes = qr_codes(attachments[f"tickets-{reservation.pk}.pdf"].get_content())
    assert codes == list(Ticket.objects.order_by("seat_id").values_list("code", flat=True))
    assert send() == ticket_services.Sent(0, 0)  # sent once


def test_the_confirmation_and_its_tickets_name_the_currency_of_the_setting(
    smtp, settings, customer, event, seat_ids, reserve
):
    settings.CURRENCY = "CHF"
    reservation = reserve(customer, event, seat_ids[0], seat_ids[1])
    send()
    [message] = smtp.inbox.messages
    for kind in ("plain", "html"):
        body = message.get_body((kind,)).get_content()
        assert "200.00 CHF" in body and "€" not in body and "EUR" not in body
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    pdf = pypdfium2.PdfDocument(attachments[f"tickets-{reservation.pk}.pdf"].get_content())
    pages = [" ".join(page.get_textpage().get_text_range().split()) for page in pdf]
    assert ["Price 100.00 CHF" in page for page in pages] == [True, True]


def test_the_decoded_qr_codes_open_the_door(
    smtp, customer, customer_api, staff_api, event, seat_ids, reserve
):
    reservation = reserve(customer, event, seat_ids[0], seat_ids[1])
    pdf = customer_api.get(f"/api/reservations/{reservation.pk}/tickets.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert len(pypdfium2.PdfDocument(pdf.content)) == 2  # one page a ticket
    for code in qr_codes(pdf.content):
        assert staff_api.post_json(f"/api/events/{event.pk}/checkin/", {"code": code}).status_code == 200
    assert Ticket.objects.filter(status="checked_in").count() == 2


def test_with_the_mail_server_down_the_reservation_succeeds_and_the_mail_follows_once(
    smtp, customer, customer_api, event, seat_ids
):
    smtp.stop()  # it stops answering
    services.hold_seats(user=customer, event_id=event.pk, seat_ids=seat_ids[:2])
    response = customer_api.post_json(f"/api/events/{event.pk}/reserve/", {"seat_ids": seat_ids[:2]})
    assert response.status_code == 201  # the request never waits for SMTP
    assert send() == ticket_services.Sent(0, 1)
    waiting = OutgoingEmail.objects.get()
    assert waiting.sent_at is None and waiting.attempts == 1 and "timed out" in waiting.last_error
    smtp.start()
    assert send() == ticket_services.Sent(0, 0)  # not due yet: it backs off
    OutgoingEmail.objects.update(send_after=waiting.created_at)
    assert send() == ticket_services.Sent(1, 0)
    assert send() == ticket_services.Sent(0, 0)
    assert smtp.inbox.message_ids() == [waiting.message_id]


def test_no_mail_for_an_account_without_an_address_and_one_for_a_cancellation(
    smtp, alice, customer, event, seat_ids, reserve
):
    reserve(alice, event, seat_ids[0])  # alice has no address
    reservation = reserve(customer, event, seat_ids[1])
    services.cancel_reservation(user=customer, reservation_id=reservation.pk)
    assert send() == ticket_services.Sent(2, 0)
    assert [message["To"] for message in smtp.inbox.messages] == ["carol@example.com"] * 2
    cancellation = smtp.inbox.messages[1]
    assert cancellation["Subject"] == f"Reservation cancelled: {event.name}"
    assert "no longer open the door" in cancellation.get_body(("plain",)).get_content()
    assert not list(cancellation.iter_attachments())
    assert Ticket.objects.get(reservation=reservation).status == "cancelled"


def test_resend_queues_the_confirmation_again_for_the_owner_or_staff(
    smtp, settings, customer, customer_api, bob_api, staff_api, event, seat_ids, reserve
):
    reservation = reserve(customer, event, seat_ids[0])
    url = f"/api/reservations/{reservation.pk}/resend/"
    assert customer_api.post_json(url).status_code == 202
    assert staff_api.post_json(url).status_code == 202
    assert_error(bob_api.post_json(url), 404, "not_found")
    assert send() == ticket_services.Sent(3, 0)
    assert len(set(smtp.inbox.message_ids())) == 3  # a new message each time
    services.cancel_reservation(user=customer, reservation_id=reservation.pk)
    assert_error(customer_api.post_json(url), 400, "invalid_request")
    settings.RATE_LIMITS_ENABLED, settings.RATE_LIMITS = True, {**settings.RATE_LIMITS, "resend": "1/3600"}
    other = reserve(customer, event, seat_ids[1])
    assert customer_api.post_json(f"/api/reservations/{other.pk}/resend/").status_code == 202
    assert_error(customer_api.post_json(f"/api/reservations/{other.pk}/resend/"), 429, "rate_limited")


def other_sessions() -> set[int]:
    """The server processes of the other sessions on this test database (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_mailer_killed_in_the_middle_of_sending_loses_nothing(
    smtp, customer, event, seat_ids, reserve, tmp_path
):

    reserve(customer, event, seat_ids[0])
    smtp.inbox.hold = True  # the server takes the message and does not answer yet
    before = other_sessions()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "mailer-tests-only",
        "DJANGO_SECURE": "0",
    }
    mailer = subprocess.Popen(
        procfile("mailer"),
        cwd=PROJECT,
        env=env,
        stdout=(tmp_path / "mailer.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        assert smtp.inbox.holding.wait(30), (tmp_path / "mailer.log").read_text()
        mailer.send_signal(signal.SIGKILL)  # killed mid-send
        mailer.wait(10)
    finally:
        if mailer.poll() is None:
            mailer.kill()
    smtp.inbox.hold = False
    smtp.inbox.release.set()  # the held DATA answers "451" to a client that is gone: nothing taken
    # PostgreSQL rolls the killed mailer's transaction back when its session sees the connection
    # close, a moment after the process is gone (longer on a busy machine): until then the row is
    # still locked, and a mailer passes over locked rows.
    deadline = time.monotonic() + 30
    while other_sessions() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not other_sessions() - before, "the killed mailer's session did not end"
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None  # still queued: the kill rolled its transaction back
    assert send() == ticket_services.Sent(1, 0)
    assert smtp.inbox.message_ids() == [email.message_id]
