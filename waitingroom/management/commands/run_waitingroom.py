"""The admitter: admits the next customers of every open queue (``waitingroom.services.
admit_open_queues``) every ``QUEUE_ADMIT_INTERVAL_SECONDS``. The Procfile's ``waitingroom`` process
runs it for ever (one is enough; more are safe: each step is atomic); ``--once`` runs one step."""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from seat_reservation.processes import run_periodically
from waitingroom import services

logger = logging.getLogger("waitingroom")


def step() -> dict[int, int] | None:
    """One admission step; None when the database does not answer (admission paused: customers
    admitted now would only meet errors)."""
    close_old_connections()  # as a request does: a database restart is survived
    try:
        return services.admit_open_queues()
    except DatabaseError as error:
        logger.warning("queue.paused: the database is unavailable (%s); nobody is admitted", error)
        return None


class Command(BaseCommand):
    help = "Admits queued customers: once, or every QUEUE_ADMIT_INTERVAL_SECONDS until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One admission step, then stop.")

    def handle(self, *args, once: bool = False, **options):
        interval = settings.QUEUE_ADMIT_INTERVAL_SECONDS
        if not once:
            self.stdout.write(self.style.SUCCESS(f"Waiting room admitter started: a step every {interval}s."))

        def admit() -> bool:
            for event_id, count in (step() or {}).items():
                if count:
                    self.stdout.write(f"Event {event_id}: admitted {count}.")
            return False  # the pace allows a second's admissions a step: wait for the next second

        run_periodically(admit, interval, once=once)
