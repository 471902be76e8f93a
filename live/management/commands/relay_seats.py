import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from live import push, services

logger = logging.getLogger("live.relay")

# Lapsed channels are looked for this often (seconds): they lapse in LIVE_CHANNEL_SECONDS.
LAPSED_EVERY = 10


class Command(BaseCommand):
    help = (
        "Publish the seat changes of every event with open live maps to Pushpin (PUSH_URL), every "
        "LIVE_RELAY_INTERVAL_SECONDS. One is enough; more are harmless (each step is published once)."
    )

    def handle(self, *args, **options) -> None:
        if not settings.PUSH_URL:
            raise CommandError("PUSH_URL is empty: there is no Pushpin to publish to.")
        publisher = push.Publisher()
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.append(True))
        self.stdout.write(
            self.style.SUCCESS(
                f"Relaying seat changes to {', '.join(publisher.uris)} every "
                f"{settings.LIVE_RELAY_INTERVAL_SECONDS}s"
            )
        )
        self.stdout.flush()
        next_lapsed = 0.0
        while not stopping:
            started = time.monotonic()
            try:
                result = services.relay_tick(publisher=publisher)
                if result.messages:
                    logger.debug(
                        "relay: %d events, %d messages, %d seats in %.0f ms",
                        result.events,
                        result.messages,
                        result.seats,
                        1000 * (time.monotonic() - started),
                    )
                if started >= next_lapsed:
                    services.drop_lapsed_channels(publisher=publisher)
                    next_lapsed = started + LAPSED_EVERY
            except DatabaseError:
                # The database restarts or is busy: nothing is lost (the channels' positions are in
                # it); try again with a fresh connection after a pause.
                logger.warning("relay: database unavailable, retrying", exc_info=True)
                close_old_connections()
                time.sleep(1)
            time.sleep(max(0.0, settings.LIVE_RELAY_INTERVAL_SECONDS - (time.monotonic() - started)))
        publisher.flush()
        publisher.close()
