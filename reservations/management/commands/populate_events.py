"""Idempotent demo data: a few upcoming events with seats in rows."""

from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reservations import services
from reservations.exceptions import DomainError
from reservations.models import Event

# name, location, description, days from today, seat price
DEMO_EVENTS = [
    (
        "The Matrix - Special Screening",
        "Central Cinema",
        "A sci-fi classic on the big screen, remastered in 4K.",
        30,
        Decimal("100.00"),
    ),
    (
        "Symphony No. 9 - Gala Night",
        "City Concert Hall",
        "Beethoven's ninth with the city orchestra and choir.",
        45,
        Decimal("85.00"),
    ),
    (
        "PyCon Local 2027",
        "Convention Centre, Hall B",
        "A day of talks on Python, Django and the web.",
        60,
        Decimal("150.00"),
    ),
]


def demo_event(index: int) -> tuple[str, str, str, int, Decimal]:
    if index < len(DEMO_EVENTS):
        return DEMO_EVENTS[index]
    number = index + 1
    return (f"Demo Event {number}", "Demo Venue", "Generated demo event.", 7 * number, Decimal("50.00"))


class Command(BaseCommand):
    help = "Creates demo events with seats. Safe to run again: existing events are left alone."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=len(DEMO_EVENTS))
        parser.add_argument("--seats-per-event", type=int, default=60)
        parser.add_argument("--seats-per-row", type=int, default=services.SEATS_PER_ROW_DEFAULT)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo events (with their seats and reservations) and create them again.",
        )

    def handle(self, *args, events: int, seats_per_event: int, seats_per_row: int, reset: bool, **options):
        if events < 0 or seats_per_event < 0 or seats_per_row < 1:
            raise CommandError("--events and --seats-per-event must be >= 0, --seats-per-row >= 1.")
        today = timezone.now().replace(hour=19, minute=0, second=0, microsecond=0)
        for index in range(events):
            name, location, description, days, price = demo_event(index)
            existing = Event.objects.filter(name=name).first()
            if existing and reset:
                services.delete_event(event=existing)
                existing = None
            if existing:
                self.stdout.write(f"Exists: {name}")
                continue
            try:
                event = services.create_event(
                    name=name,
                    location=location,
                    description=description,
                    event_date=today + timedelta(days=days),
                    total_seats=seats_per_event,
                    seats_per_row=seats_per_row,
                    seat_price=price,
                )
            except DomainError as error:
                raise CommandError(error.message) from error
            self.stdout.write(self.style.SUCCESS(f"Created: {event.name} with {event.total_seats} seats"))
