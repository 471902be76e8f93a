"""Release holds whose time has run out (the scheduler does this every minute)."""

from django.core.management.base import BaseCommand

from reservations import services
from reservations.models import SeatHistory


class Command(BaseCommand):
    help = "Releases expired seat holds and prints what was released."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print only the total.")

    def handle(self, *args, quiet: bool = False, **options):
        released = services.release_expired_locks(via=SeatHistory.Via.COMMAND)
        if not quiet:
            for hold in released:
                self.stdout.write(f"Released lock on seat {hold.seat_number} (event: {hold.event_name})")
        self.stdout.write(self.style.SUCCESS(f"Total locks released: {len(released)}"))
