"""``manage.py onsale EVENT_ID [--at ISO_TIME] [--queue --per-minute N --max-active M | --no-queue]``:
set an event's on-sale time and waiting room (``waitingroom.services.configure_sale``)."""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reservations.exceptions import DomainError
from waitingroom import services


def _moment(value: str) -> datetime | None:
    if value.lower() in {"now", "none"}:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--at: {value!r} is not an ISO 8601 time (e.g. 2030-06-01T10:00:00+02:00)"
        ) from error
    return moment if moment.tzinfo else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Sets when an event goes on sale and whether customers queue for it."

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument("--at", help="ISO 8601 time the seats go on sale ('now': on sale now).")
        queue = parser.add_mutually_exclusive_group()
        queue.add_argument(
            "--queue", action="store_true", default=None, help="Customers queue to hold seats."
        )
        queue.add_argument("--no-queue", dest="queue", action="store_false", help="No waiting room.")
        parser.add_argument("--per-minute", type=int, help="The most customers admitted a minute.")
        parser.add_argument("--max-active", type=int, help="The most customers admitted at once.")
        parser.add_argument("--reset", action="store_true", help="Forget the queue's places and admissions.")

    def handle(self, *args, event_id: int, at, queue, per_minute, max_active, reset, **options):
        changes = {"queue_enabled": queue, "per_minute": per_minute, "max_active": max_active}
        if at is not None:
            changes["onsale_at"] = _moment(at)
        try:
            event = services.configure_sale(event_id=event_id, **changes)
        except DomainError as error:
            raise CommandError(error.message) from error
        if reset:
            services.clear_queue(event_id=event_id)
        opens = event.onsale_at.astimezone(UTC).isoformat() if event.onsale_at else "now"
        queue_text = (
            f"queue on: {event.queue_per_minute} a minute, at most {event.queue_max_active} at once"
            if event.queue_enabled
            else "no queue"
        )
        self.stdout.write(self.style.SUCCESS(f"{event.name}: on sale {opens}; {queue_text}."))
