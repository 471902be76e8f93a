"""The mailer: sends the queued e-mail (``tickets.services.send_queued_emails``). The Procfile's
``mailer`` process runs it for ever; ``--once`` sends what is due and stops."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from seat_reservation.processes import run_periodically
from tickets import services


class Command(BaseCommand):
    help = "Sends queued e-mail: once, or every MAILER_INTERVAL_SECONDS until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due, then stop.")

    def handle(self, *args, once: bool = False, **options):
        if not once:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Mailer started: looking for e-mail every {settings.MAILER_INTERVAL_SECONDS}s."
                )
            )

        def step() -> bool:
            close_old_connections()  # as a request does: a database restart is survived
            result = services.send_queued_emails()
            if result.sent or result.failed:
                self.stdout.write(f"Sent {result.sent} e-mail(s), {result.failed} to try again later.")
            return bool(result.sent)  # a full batch may be waiting: go on at once

        run_periodically(step, settings.MAILER_INTERVAL_SECONDS, once=once)
