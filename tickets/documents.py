"""What a customer takes to the door and to their calendar: the tickets as a PDF (one page a
ticket, with its QR code) and the event as an iCalendar file."""

from datetime import timedelta
from io import BytesIO

import segno
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from reportlab.lib.pagesizes import A6, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from reservations.models import Reservation
from reservations.money import format_money

from .models import Ticket

PAGE = landscape(A6)  # 148 x 105 mm: prints on a quarter of A4, fills a phone's screen
# An event's length when nothing says otherwise (for the calendar entry).
EVENT_LENGTH = timedelta(hours=2)
QR_MASK = 0  # see _qr


def tickets_pdf(reservation: Reservation) -> bytes:
    """One page per ticket of ``reservation`` (``selectors.reservation_with_tickets``): event,
    date, venue, section, row, seat, price, holder, status, and the QR code of its ``code``."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(f"Tickets for {reservation.event.name}")
    canvas.setAuthor(settings.DEFAULT_FROM_EMAIL)
    for ticket in reservation.ticket_list:
        _page(canvas, reservation, ticket)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _page(canvas: Canvas, reservation: Reservation, ticket: Ticket) -> None:
    width, height = PAGE
    event, seat = reservation.event, ticket.seat
    left, top = 8 * mm, height - 10 * mm
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(left, top, event.name[:48])
    canvas.setFont("Helvetica", 9)
    lines = [
        f"{timezone.localtime(event.event_date):%A %d %B %Y, %H:%M}",
        event.venue.name if event.venue else event.location,
        "",
        f"Section  {seat.section.name}",
        f"Row  {seat.row}    Seat  {seat.number}   ({seat.seat_number})",
        f"Price  {format_money(seat.price)}",
        f"Holder  {reservation.user.get_username()}",
        f"Reservation  #{reservation.pk}   Ticket  #{ticket.pk}",
    ]
    if ticket.status == Ticket.Status.CANCELLED:
        lines.append("CANCELLED: this ticket opens no door.")
    for index, line in enumerate(lines):
        canvas.drawString(left, top - 7 * mm - index * 4.6 * mm, line)
    side = 52 * mm
    _qr(canvas, ticket.code, x=width - side - 6 * mm, y=(height - side) / 2, side=side)
    canvas.setFont("Courier", 5.5)
    canvas.drawCentredString(width - side / 2 - 6 * mm, (height - side) / 2 - 3 * mm, ticket.code)


def _qr(canvas: Canvas, text: str, *, x: float, y: float, side: float) -> None:
    """The QR code of ``text`` (segno, error correction M) drawn as one vector path of squares,
    with its quiet zone: sharp at any zoom and on any printer.

    The mask is fixed rather than chosen by segno's penalty scoring (80% of the encoding's time):
    scoring exists to break up patterns in structured data, and a ticket's code is 200 bits of
    random bytes and their MAC, so every mask gives the same balance of dark and light."""
    matrix = segno.make_qr(text, error="m", mask=QR_MASK).matrix
    border, count = 4, len(matrix)
    module = side / (count + 2 * border)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row, modules in enumerate(matrix):
        top = y + side - (border + row + 1) * module
        column = 0
        while column < count:  # one rectangle per run of dark modules
            if not modules[column]:
                column += 1
                continue
            start = column
            while column < count and modules[column]:
                column += 1
            path.rect(x + (border + start) * module, top, (column - start) * module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def calendar_ics(reservation: Reservation) -> bytes:
    """One VEVENT for the reservation's event, with the seats and a link to the reservation."""
    event = reservation.event
    seats = ", ".join(ticket.seat.seat_number for ticket in reservation.ticket_list)
    calendar = Calendar()
    calendar.add("prodid", "-//Seat reservations//tickets//EN")
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"reservation-{reservation.pk}@{settings.SITE_URL.split('://')[-1]}")
    entry.add("dtstamp", reservation.created_at)
    entry.add("dtstart", event.event_date)
    entry.add("dtend", event.event_date + EVENT_LENGTH)
    entry.add("summary", event.name)
    entry.add("location", event.venue.name if event.venue else event.location)
    entry.add("description", f"Seats: {seats}\nReservation #{reservation.pk}: {reservation_url(reservation)}")
    entry.add("url", reservation_url(reservation))
    if reservation.status == Reservation.Status.CANCELLED:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    return calendar.to_ical()


def reservation_url(reservation: Reservation) -> str:
    return f"{settings.SITE_URL}/reservations/{reservation.pk}"
