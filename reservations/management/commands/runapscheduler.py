"""Run the periodic jobs in the foreground. Production runs exactly one of these processes."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reservations.scheduler import build_scheduler


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
        try:
            scheduler.start()
        except KeyboardInterrupt:
            scheduler.shutdown()
            self.stdout.write("Scheduler stopped.")
