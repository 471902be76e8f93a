"""Venues, events, their sections and seats, reservations and API tokens.

Models hold fields, constraints and small read-only helpers. Every write that matters for
correctness lives in ``reservations.services``.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .layouts import LayoutError, plan


class Venue(models.Model):
    """A hall described once and reused by every event in it. ``layout`` is the JSON document of
    ``reservations.layouts`` (sections, prices, rows, aisles), checked against its JSON Schema."""

    name = models.CharField(max_length=200, unique=True)
    address = models.TextField(blank=True)
    layout = models.JSONField(
        help_text="Sections in display order with their price and rows; see the example."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            plan(self.layout)
        except LayoutError as error:
            raise ValidationError({"layout": str(error)}) from None


class Event(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    event_date = models.DateTimeField(db_index=True)
    location = models.CharField(max_length=200)
    # The hall the seats were generated from. Its later changes do not touch this event's seats.
    venue = models.ForeignKey(Venue, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    total_seats = models.PositiveIntegerField(
        default=0, help_text="Number of seats generated for this event."
    )
    seat_price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("100.00"),
        help_text="Price given to each seat when the seats are generated.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The on-sale (the ``waitingroom`` app keeps the gate and the queue; staff set these there).
    onsale_at = models.DateTimeField(
        null=True, blank=True, help_text="Seats can be held from this moment on; empty: on sale now."
    )
    queue_enabled = models.BooleanField(
        default=False, help_text="Customers wait in a queue and are admitted a few at a time."
    )
    queue_per_minute = models.PositiveIntegerField(default=600, help_text="The most admitted a minute.")
    queue_max_active = models.PositiveIntegerField(default=1000, help_text="The most admitted at once.")
    # The field as the venue's layout named it ({"label", "x", "y", "width", "height"}, copied like
    # the sections); null: a stage above the seats (``layouts.stage``).
    stage = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["event_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(seat_price__gte=0), name="event_seat_price_not_negative"),
            models.CheckConstraint(
                condition=Q(queue_per_minute__gte=1, queue_max_active__gte=1),
                name="event_queue_rates_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event_date:%Y-%m-%d %H:%M})"

    def has_started(self, now: datetime) -> bool:
        return self.event_date <= now


class Section(models.Model):
    """A section of one event's hall (a copy of the venue's section when the event was created):
    its name, display order and the box its seats occupy, in seat-widths from the hall's top-left,
    turned by ``angle`` degrees clockwise around its centre to face the field (``layouts``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(max_length=60)
    position = models.PositiveIntegerField(help_text="Display order, from 0.")
    x = models.PositiveIntegerField(default=0)
    y = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    angle = models.FloatField(default=0)

    class Meta:
        ordering = ["event_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="section_name_unique_per_event"),
            models.UniqueConstraint(fields=["event", "position"], name="section_position_unique_per_event"),
        ]

    def __str__(self) -> str:
        return self.name


# --- When a hold is active and a seat is free: the one definition --------------------------------------
#
# A hold counts until ``locked_until``; from that instant the seat is free for everyone, in every read
# and for the next hold, before any job rewrites the row. Python, the ORM and the hand-written SQL of
# the hot paths (selectors, services) all take the rule from here.


def hold_is_active(status: str, locked_until: datetime | None, now: datetime) -> bool:
    """A seat row's hold still counts at ``now`` (``status`` and ``locked_until`` as stored)."""
    return status == "locked" and locked_until > now


def shown_status(status: str, locked_until: datetime | None, now: datetime) -> str:
    """The status customers see: a hold that has run out is ``available``."""
    return "available" if status == "locked" and not hold_is_active(status, locked_until, now) else status


def active_hold_q(now: datetime, prefix: str = "") -> Q:
    """ORM: seats (``prefix`` for a relation, e.g. ``"seats__"``) whose hold counts at ``now``."""
    return Q(**{f"{prefix}status": "locked", f"{prefix}locked_until__gt": now})


def free_q(now: datetime, prefix: str = "") -> Q:
    """ORM: seats anyone may hold at ``now``: available, or held by a hold that has run out."""
    return Q(**{f"{prefix}status": "available"}) | Q(
        **{f"{prefix}status": "locked", f"{prefix}locked_until__lte": now}
    )


def active_hold_sql(alias: str, now: str = "%s") -> str:
    """SQL: the seat row ``alias`` has a hold that counts at the parameter ``now`` (a placeholder)."""
    return f"({alias}.status = 'locked' AND {alias}.locked_until > {now})"


def free_sql(alias: str, now: str = "%s") -> str:
    """SQL: the seat row ``alias`` is free at the parameter ``now`` (a placeholder)."""
    return f"({alias}.status = 'available' OR ({alias}.status = 'locked' AND {alias}.locked_until <= {now}))"


def ran_out_sql(alias: str, since: str, now: str) -> str:
    """SQL: the seat row ``alias`` has a hold that counted at ``since`` and no longer does at ``now``
    (a range on the partial index of holds by expiry: these holds change state without a write)."""
    return f"({alias}.status = 'locked' AND {alias}.locked_until > {since} AND {alias}.locked_until <= {now})"


class SeatQuerySet(models.QuerySet):
    def free(self, now: datetime) -> "SeatQuerySet":
        return self.filter(free_q(now))

    def held(self, now: datetime) -> "SeatQuerySet":
        """Seats whose hold counts at ``now``."""
        return self.filter(active_hold_q(now))


class Seat(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", "Available"
        LOCKED = "locked", "Held"
        RESERVED = "reserved", "Reserved"
        BLOCKED = "blocked", "Blocked"  # held back from sale by staff (house seats, a camera position)

    class Accessibility(models.TextChoices):
        WHEELCHAIR = "wheelchair", "Wheelchair space"
        COMPANION = "companion", "Companion seat"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seats")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="seats")
    seat_number = models.CharField(max_length=16)
    row = models.CharField(max_length=8)
    number = models.PositiveIntegerField()
    # Position in seat-widths from the hall's top-left (the stage at the top): aisles are gaps.
    x = models.PositiveIntegerField(default=0)
    y = models.PositiveIntegerField(default=0)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    # A wheelchair space or a companion seat, from the venue's layout (best available leaves
    # wheelchair spaces out); empty for any other seat.
    accessibility = models.CharField(max_length=10, choices=Accessibility.choices, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    # A hold: who holds the seat, since when (caps extensions) and until when.
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_seats",
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reserved_seats",
    )
    reserved_at = models.DateTimeField(null=True, blank=True)
    # The customer whose hold of this seat ended last, and when (given up, released, or run out at
    # its locked_until): that customer may not hold it again for a lock period (``hold_cooldown``).
    previous_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # only read with the seat's row: no index to keep up on every hold
    )
    previous_hold_ended_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every service write: how many times the row was written (a failed or refused write
    # leaves it as it was, which the tests use to prove nothing was written). The grid's ETag comes
    # from the change feed (SeatChange), not from this.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["event_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "seat_number"], name="seat_unique_per_event"),
            models.UniqueConstraint(
                fields=["event", "section", "row", "number"], name="seat_place_unique_per_event"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="seat_price_not_negative"),
            # Each status carries exactly the fields it needs, so no code path can leave a
            # "locked" seat without a holder or a "reserved" seat that still looks held.
            models.CheckConstraint(
                condition=(
                    Q(
                        status="available",
                        locked_by__isnull=True,
                        locked_at__isnull=True,
                        locked_until__isnull=True,
                        reserved_by__isnull=True,
                        reserved_at__isnull=True,
                    )
                    | Q(
                        status="locked",
                        locked_by__isnull=False,
                        locked_at__isnull=False,
                        locked_until__isnull=False,
                        reserved_by__isnull=True,
                        reserved_at__isnull=True,
                    )
                    | Q(
                        status="reserved",
                        locked_by__isnull=True,
                        locked_at__isnull=True,
                        locked_until__isnull=True,
                        reserved_by__isnull=False,
                        reserved_at__isnull=False,
                    )
                    # A blocked seat is neither held nor owned by anyone.
                    | Q(
                        status="blocked",
                        locked_by__isnull=True,
                        locked_at__isnull=True,
                        locked_until__isnull=True,
                        reserved_by__isnull=True,
                        reserved_at__isnull=True,
                    )
                ),
                name="seat_status_fields_consistent",
            ),
        ]
        indexes = [
            # The release job's scan: held seats by expiry.
            models.Index(
                fields=["locked_until"],
                condition=Q(status="locked"),
                name="seat_held_expiry_idx",
            ),
            # A user's holds in one event (the hold limit).
            models.Index(
                fields=["locked_by", "event"],
                condition=Q(status="locked"),
                name="seat_holder_event_idx",
            ),
            # A user's seats in one event (the ticket limit).
            models.Index(
                fields=["reserved_by", "event"],
                condition=Q(status="reserved"),
                name="seat_owner_event_idx",
            ),
            # An event's holds by expiry: the next hold to run out, and holds that ran out since a
            # poll (the change feed reports them with no write).
            models.Index(
                fields=["event", "locked_until"],
                condition=Q(status="locked"),
                name="seat_event_hold_expiry_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat_number} ({self.event.name})"

    def is_hold_active(self, now: datetime) -> bool:
        """True while the seat is held and the hold has not run out."""
        return hold_is_active(self.status, self.locked_until, now)

    def is_held_by(self, user_id: int, now: datetime) -> bool:
        return self.is_hold_active(now) and self.locked_by_id == user_id

    def effective_status(self, now: datetime) -> str:
        """The status customers see: a hold that has run out counts as available at once."""
        return shown_status(self.status, self.locked_until, now)


class SeatChange(models.Model):
    """One seat whose state changed: the change feed's log, written by a database trigger on every
    UPDATE of a seat's state or price (migration 0003), whoever runs it, in the writer's transaction.

    ``txid`` orders changes by transaction: on PostgreSQL the writer's ``pg_current_xact_id()``, so a
    reader that takes ``pg_snapshot_xmin(pg_current_snapshot())`` as its cursor never skips a write
    that began before its poll and committed after it; on SQLite, whose writers take turns, one more
    than the last. Rows older than ``SEAT_FEED_RETENTION_SECONDS`` are pruned by the scheduler.
    """

    # Plain columns for the trigger to fill (no foreign-key checks or indexes of their own on this
    # write-hot table); the rows go with their event, and seats and sections only ever go with it.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    section = models.ForeignKey(
        Section, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    seat = models.ForeignKey(
        Seat, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    txid = models.BigIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["event", "txid"], name="seatchange_event_txid_idx"),
            models.Index(fields=["section", "txid"], name="seatchange_section_txid_idx"),
            models.Index(fields=["changed_at"], name="seatchange_changed_at_idx"),
        ]

    def __str__(self) -> str:
        return f"seat {self.seat_id} changed in transaction {self.txid}"


def _someone() -> models.ForeignKey:
    """A user named in the history: a plain column (no foreign-key check on the hold path)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )


class SeatHistory(models.Model):
    """One thing that happened to a seat, for staff settling a dispute ("who had B12, and when did
    it go?"). Written by the service that made the change, in its transaction and (on the hot
    paths) in the same statement as the seat's UPDATE (``services.rows.write_seats``), so no write
    of a seat is missing from it. Kept as long as the event; never pruned.

    Read in ``id`` order: entries of one seat are written under that seat's row lock, so the order of
    the ids is the order of the changes (an ``expire`` is written by whatever touched the seat next,
    before it, dated at the hold's ``locked_until``).
    """

    class Action(models.TextChoices):
        HOLD = "hold", "Held"
        RELEASE = "release", "Released by the holder"
        EXPIRE = "expire", "Hold ran out"
        RESERVE = "reserve", "Reserved"
        CANCEL = "cancel", "Reservation cancelled"
        BLOCK = "block", "Blocked"
        UNBLOCK = "unblock", "Unblocked"
        CHECK_IN = "check_in", "Checked in"

    class Via(models.TextChoices):
        API = "api", "API"
        ADMIN = "admin", "Admin"
        SCHEDULER = "scheduler", "Scheduler"
        COMMAND = "command", "Command"

    # Plain columns (no foreign-key checks, one index): the hold path inserts here on every hold.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    seat = models.ForeignKey(Seat, on_delete=models.DO_NOTHING, related_name="history", db_constraint=False)
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField()
    # The customer concerned, and who did it (null: the system).
    user = _someone()
    by = _someone()
    via = models.CharField(max_length=10, choices=Via.choices)
    reason = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["seat_id", "id"]
        verbose_name_plural = "seat history"

    def __str__(self) -> str:
        return f"{self.action} of seat {self.seat_id} at {self.at:%Y-%m-%d %H:%M:%S}"


class Reservation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reservations")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="reservations")
    seats = models.ManyToManyField(Seat, through="ReservationSeat", related_name="reservations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total_price = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="reservation_user_recent_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(total_price__gte=0), name="reservation_total_not_negative"),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="reservation_cancelled_at_iff_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"Reservation #{self.pk} ({self.get_status_display()})"


class ReservationSeat(models.Model):
    """A seat in a reservation.

    ``is_active`` mirrors "the reservation is not cancelled" so that a partial unique index can
    guarantee, in the database itself, that a seat is in at most one live reservation.
    """

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="reservation_seats")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="reservation_seats")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reservation", "seat"], name="reservation_seat_unique"),
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(is_active=True),
                name="seat_in_one_active_reservation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat_id} in reservation #{self.reservation_id}"


class IdempotentRequest(models.Model):
    """The answer to a request sent with an ``Idempotency-Key``: a repeat by the same user with the
    same key to the same path gets it again, and nothing is done twice (``reservations.idempotency``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status = models.PositiveSmallIntegerField()
    answer = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "path"], name="idempotent_request_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.path})"


class ApiToken(models.Model):
    """A Bearer token for API clients. Only the SHA-256 digest of the token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token of {self.user} ({self.created_at:%Y-%m-%d})"
