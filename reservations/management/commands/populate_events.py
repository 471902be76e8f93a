"""Idempotent demo data: venues with sections, and upcoming events in them."""

from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reservations import services
from reservations.demo import CINEMA, CONCERT_BLOCKED, CONCERT_HALL, arena
from reservations.exceptions import DomainError
from reservations.models import Event, Seat, SeatHistory, Venue

# name, description, days from today, venue (name, address, layout) or None for rows x seats
DEMO_EVENTS = [
    ("The Matrix - Special Screening", "A sci-fi classic on the big screen, remastered in 4K.", 30, CINEMA),
    ("Symphony No. 9 - Gala Night", "Beethoven's ninth with the city orchestra and choir.", 45, CONCERT_HALL),
    ("PyCon Local 2027", "A day of talks on Python, Django and the web.", 60, None),
]
STADIUM_EVENT = ("Cup Final", "The season's last match, in the National Arena.", 90)
SIMPLE_LOCATION, SIMPLE_PRICE = "Convention Centre, Hall B", Decimal("150.00")


class Command(BaseCommand):
    help = (
        "Creates demo venues and events: a cinema, a concert hall with three sections and a conference "
        "with plain rows (--stadium adds a 50,000-seat arena). Existing ones are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=len(DEMO_EVENTS), help="how many demo events")
        parser.add_argument("--seats-per-event", type=int, default=60, help="for events without a venue")
        parser.add_argument("--seats-per-row", type=int, default=services.SEATS_PER_ROW_DEFAULT)
        parser.add_argument("--stadium", action="store_true", help="also the 50,000-seat arena and a match")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo events (with their seats and reservations) and create them again.",
        )

    def handle(self, *args, events, seats_per_event, seats_per_row, stadium, reset, **options):
        if events < 0 or seats_per_event < 0 or seats_per_row < 1:
            raise CommandError("--events and --seats-per-event must be >= 0, --seats-per-row >= 1.")
        today = timezone.now().replace(hour=19, minute=0, second=0, microsecond=0)
        wanted = [self.demo_event(index) for index in range(events)]
        if stadium:
            wanted.append((*STADIUM_EVENT, arena()))
        for name, description, days, hall in wanted:
            existing = Event.objects.filter(name=name).first()
            if existing and reset:
                services.delete_event(event=existing)
            elif existing:
                self.stdout.write(f"Exists: {name}")
                continue
            try:
                event = services.create_event(
                    name=name,
                    description=description,
                    event_date=today + timedelta(days=days),
                    venue=self.venue(*hall) if hall else None,
                    location="" if hall else SIMPLE_LOCATION,
                    total_seats=seats_per_event,
                    seats_per_row=seats_per_row,
                    seat_price=SIMPLE_PRICE,
                )
                if hall is CONCERT_HALL:
                    self.block_demo_seats(event)
            except DomainError as error:
                raise CommandError(error.message) from error
            where = f"in {event.venue.name}" if event.venue else "in rows"
            self.stdout.write(
                self.style.SUCCESS(f"Created: {event.name} with {event.total_seats} seats {where}")
            )

    @staticmethod
    def block_demo_seats(event: Event) -> None:
        """The concert's house seats and camera position, held back from sale as staff would."""
        for numbers, reason in CONCERT_BLOCKED:
            ids = Seat.objects.filter(event=event, seat_number__in=numbers).values_list("pk", flat=True)
            services.block_seats(
                by=None, event_id=event.pk, seat_ids=list(ids), reason=reason, via=SeatHistory.Via.COMMAND
            )

    @staticmethod
    def demo_event(index: int) -> tuple:
        if index < len(DEMO_EVENTS):
            return DEMO_EVENTS[index]
        return (f"Demo Event {index + 1}", "Generated demo event.", 7 * (index + 1), None)

    def venue(self, name: str, address: str, layout: dict) -> Venue:
        venue, created = Venue.objects.get_or_create(
            name=name, defaults={"address": address, "layout": layout}
        )
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created venue: {name}"))
        return venue
