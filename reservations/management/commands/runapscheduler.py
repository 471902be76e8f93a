"""Run the periodic jobs in the foreground until SIGTERM or Ctrl+C. Production runs exactly one of
these processes."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reservations.scheduler import build_scheduler
from seat_reservation.processes import run_until_stopped


class Command(BaseCommand):
    help = "Runs the scheduler: releases expired holds every RELEASE_INTERVAL_SECONDS."

    def handle(self, *args, **options):
        scheduler = build_scheduler()
        self.stdout.write(
            self.style.SUCCESS(
                f"Scheduler started: releasing expired holds every "
                f"{settings.RELEASE_INTERVAL_SECONDS}s. Press Ctrl+C to stop."
            )
        )
        run_until_stopped(scheduler.start, scheduler.shutdown)  # shutdown waits for a running job
        self.stdout.write("Scheduler stopped.")
