"""The on-sale's gate and its waiting room: every write, for the API, the admin, the admitter and
the commands.

- ``check_gate`` answers ``reservations.hooks.sale_gate`` before every hold, best available and
  reserve: 409 ``not_on_sale`` before ``onsale_at``, 403 ``queue_required`` for a customer not
  admitted while the queue is on. It reads the on-sale settings from the cache (at most
  ``QUEUE_SETTINGS_MAX_AGE_SECONDS`` old, Redis when ``REDIS_URL`` is set) and the customer's
  admission from the store (one Redis command); with Redis it never asks the database.
- ``join_queue``, ``queue_status``: a customer's place (``waitingroom.stores`` keeps the queue).
- ``admit_open_queues``: the admitter's step (``manage.py run_waitingroom``, in the Procfile). It
  reads the queued events from the database first: when the database does not answer, nobody is
  admitted (customers would be let into errors) until it does.
- ``end_admission``: a reservation ends its customer's admission (``reservations.hooks``).
- ``configure_sale``: the settings, for the admin and ``manage.py onsale``.
"""

import logging
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reservations.exceptions import EventClosed, InvalidRequest, NotFound, NotOnSale, QueueRequired
from reservations.models import Event

from .stores import Standing, store

logger = logging.getLogger("waitingroom")

_UNSET = object()


@dataclass(frozen=True)
class Sale:
    """What the gate and the queue need to know of an event's on-sale."""

    event_id: int
    name: str
    event_date: datetime
    onsale_at: datetime | None
    queue: bool
    per_minute: int
    max_active: int

    def is_open(self, now: datetime) -> bool:
        return self.onsale_at is None or self.onsale_at <= now


@dataclass(frozen=True)
class QueueStatus:
    """A customer's place in the queue, as ``GET/POST /api/events/{id}/queue/`` answers it.
    ``state``: ``before_onsale`` (no place yet), ``waiting``, ``admitted``, or ``ended`` (the
    admission ran out or was used; joining again queues at the end)."""

    state: str
    position: int | None
    ahead: int | None
    admitted: bool
    admitted_until: datetime | None
    estimated_wait_seconds: int | None
    opens_at: datetime | None
    per_minute: int


_SALE_FIELDS = (
    "pk",
    "name",
    "event_date",
    "onsale_at",
    "queue_enabled",
    "queue_per_minute",
    "queue_max_active",
)


def _sale_key(event_id: int) -> str:
    return f"waitingroom:sale:{event_id}"


def sale_of(event_id: int) -> Sale | None:
    """The event's on-sale settings (None: no such event), cached for at most
    ``QUEUE_SETTINGS_MAX_AGE_SECONDS``: the gate's hot path asks the database once a period per cache."""
    found = cache.get(_sale_key(event_id))
    if found is None:
        row = Event.objects.filter(pk=event_id).values_list(*_SALE_FIELDS).first()
        found = Sale(*row) if row else False
        cache.set(_sale_key(event_id), found, settings.QUEUE_SETTINGS_MAX_AGE_SECONDS)
    return found or None


def check_gate(*, user: AbstractBaseUser, event_id: int, now: datetime | None = None) -> None:
    """Raise NotOnSale before the on-sale, QueueRequired for a customer not admitted through the
    event's queue; an unknown event passes (the operation answers 404)."""
    sale = sale_of(event_id)
    if sale is None:
        return
    now = now or timezone.now()
    if not sale.is_open(now):
        raise NotOnSale(
            f"Seats for {sale.name} go on sale at {sale.onsale_at.isoformat()}.",
            details={"onsale_at": sale.onsale_at},  # as every answer writes times
        )
    if sale.queue and store().admitted_until(event_id=event_id, user_id=user.pk, now=now) is None:
        raise QueueRequired(
            "This on-sale has a waiting room: join the queue, you can choose seats when it is your turn."
        )


def _queued_sale(event_id: int, now: datetime) -> Sale:
    sale = sale_of(event_id)
    if sale is None:
        raise NotFound("Event not found.")
    if not sale.queue:
        raise NotFound(f"{sale.name} has no waiting room: choose seats straight away.")
    if sale.event_date <= now:
        raise EventClosed(f"{sale.name} has already started.")
    return sale


def join_queue(*, user: AbstractBaseUser, event_id: int, now: datetime | None = None) -> QueueStatus:
    """Join the event's queue, or keep one's place (joining again changes nothing, except for a
    customer whose admission has ended: they queue again at the end). Raises NotFound (no such
    event, or it has no queue) or EventClosed."""
    now = now or timezone.now()
    sale = _queued_sale(event_id, now)
    standing = store().join(event_id=event_id, user_id=user.pk, onsale_at=sale.onsale_at, now=now)
    logger.info("queue.join user=%s event=%s place=%s", user.pk, event_id, standing.place)
    return _status(sale, standing, now)


def queue_status(*, user: AbstractBaseUser, event_id: int, now: datetime | None = None) -> QueueStatus | None:
    """The caller's place, or None if they are not in the queue (or the event has none). Raises
    NotFound for an unknown event."""
    now = now or timezone.now()
    sale = sale_of(event_id)
    if sale is None:
        raise NotFound("Event not found.")
    if not sale.queue:
        return None
    standing = store().standing(event_id=event_id, user_id=user.pk, onsale_at=sale.onsale_at, now=now)
    return None if standing is None else _status(sale, standing, now)


def _status(sale: Sale, standing: Standing, now: datetime) -> QueueStatus:
    admitted = standing.admitted_until is not None and standing.admitted_until > now
    opens_at = sale.onsale_at if not sale.is_open(now) else None
    common = {"admitted_until": standing.admitted_until, "opens_at": opens_at, "per_minute": sale.per_minute}
    if admitted:
        return QueueStatus("admitted", None, 0, True, estimated_wait_seconds=0, **common)
    if standing.place is None:
        return QueueStatus("before_onsale", None, None, False, estimated_wait_seconds=None, **common)
    if standing.place <= standing.serving:
        return QueueStatus("ended", None, None, False, estimated_wait_seconds=None, **common)
    position = standing.place - standing.serving
    wait = estimated_wait(position, sale, standing)
    return QueueStatus("waiting", position, position - 1, False, estimated_wait_seconds=wait, **common)


def estimated_wait(position: int, sale: Sale, standing: Standing) -> int:
    """Seconds until the ``position``-th customer waiting is admitted, from the admission rate: the
    free slots fill at ``per_minute``; beyond them customers come in as slots free up, at the rate
    measured over the last minute, and never slower than every slot being used for the whole
    ``QUEUE_ADMISSION_SECONDS``. Plus one admitter step."""
    rate = sale.per_minute / 60
    free = max(0, sale.max_active - standing.active)
    fast = min(position, free)
    slow_rate = min(
        rate, max(sale.max_active / settings.QUEUE_ADMISSION_SECONDS, standing.admitted_last_minute / 60)
    )
    seconds = fast / rate + (position - fast) / slow_rate
    return math.ceil(seconds) + settings.QUEUE_ADMIT_INTERVAL_SECONDS


def admit(*, event_id: int, now: datetime | None = None) -> int:
    """One admission step for the event (see ``waitingroom.stores``); how many were admitted."""
    now = now or timezone.now()
    sale = sale_of(event_id)
    if sale is None or not sale.queue or sale.event_date <= now:
        return 0
    return _admit(sale, now)


def _admit(sale: Sale, now: datetime) -> int:
    count = store().admit(
        event_id=sale.event_id,
        onsale_at=sale.onsale_at,
        now=now,
        per_minute=sale.per_minute,
        max_active=sale.max_active,
    )
    if count:
        logger.info("queue.admit event=%s admitted=%s", sale.event_id, count)
    return count


def admit_open_queues(now: datetime | None = None) -> dict[int, int]:
    """The admitter's step: one admission step for every event whose queued on-sale has opened, with
    the settings read from the database now (a rate changed by staff counts from this step). The
    read fails when the database is down: then this raises and nobody is admitted."""
    now = now or timezone.now()
    open_sales = (
        Event.objects.filter(queue_enabled=True, event_date__gt=now)
        .filter(Q(onsale_at__isnull=True) | Q(onsale_at__lte=now))
        .values_list(*_SALE_FIELDS)
    )
    return {sale.event_id: _admit(sale, now) for sale in (Sale(*row) for row in open_sales)}


def end_admission(*, user_id: int, event_id: int, now: datetime | None = None) -> None:
    """The customer's admission ends (they reserved): their slot is free for the next customer. In a
    transaction, in the database's store it ends with the transaction's commit; in Redis after it."""
    sale = sale_of(event_id)
    if sale is None or not sale.queue:
        return
    now = now or timezone.now()
    queue = store()

    def end() -> None:
        queue.end_admission(event_id=event_id, user_id=user_id, now=now)

    if settings.REDIS_URL:
        transaction.on_commit(end)
    else:
        end()


def configure_sale(
    *,
    event_id: int,
    onsale_at: datetime | object | None = _UNSET,
    queue_enabled: bool | None = None,
    per_minute: int | None = None,
    max_active: int | None = None,
) -> Event:
    """Set an event's on-sale time (None: on sale now) and its queue settings; what is not given stays.
    Takes effect on every node within ``QUEUE_SETTINGS_MAX_AGE_SECONDS`` (at once on this one).
    Raises NotFound or InvalidRequest."""
    changes: dict = {}
    if onsale_at is not _UNSET:
        changes["onsale_at"] = onsale_at
    for field, value in (
        ("queue_enabled", queue_enabled),
        ("queue_per_minute", per_minute),
        ("queue_max_active", max_active),
    ):
        if value is not None:
            changes[field] = value
    for field in ("queue_per_minute", "queue_max_active"):
        if field in changes and changes[field] < 1:
            raise InvalidRequest(f"'{field}' must be at least 1.", details={field: ["At least 1."]})
    with transaction.atomic():
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            raise NotFound("Event not found.")
        for field, value in changes.items():
            setattr(event, field, value)
        event.save(update_fields=[*changes, "updated_at"])
        # Now for this transaction's own reads, and again once committed (a read meanwhile may have
        # cached the settings as they were).
        cache.delete(_sale_key(event_id))
        transaction.on_commit(lambda: cache.delete(_sale_key(event_id)))
    logger.info("onsale.configure event=%s %s", event_id, " ".join(f"{k}={v}" for k, v in changes.items()))
    return event


def queue_stats(*, event_id: int, now: datetime | None = None):
    """Waiting, admitted now, admitted in the last minute, places served, the seed: for staff."""
    now = now or timezone.now()
    sale = sale_of(event_id)
    return store().stats(event_id=event_id, onsale_at=sale.onsale_at if sale else None, now=now)


def clear_queue(*, event_id: int) -> None:
    """Forget the event's queue (everyone's place and admission): for an on-sale set up again."""
    store().clear(event_id=event_id)
