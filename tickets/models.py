"""Tickets (one per seat of a confirmed reservation), entries at the door, and the e-mail queue."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reservations.models import Event, Reservation, Seat


class Ticket(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        CHECKED_IN = "checked_in", "Checked in"
        CANCELLED = "cancelled", "Cancelled"

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="tickets")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="tickets")
    # The seat's event, kept here so that the door's lookups and counts never join the seats.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tickets")
    # The text of the QR code (``tickets.codes``): random, signed, unique.
    code = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reservation_id", "seat_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="checked_in", checked_in_at__isnull=False)
                | (~Q(status="checked_in") & Q(checked_in_at__isnull=True)),
                name="ticket_checked_in_at_iff_checked_in",
            ),
            # A seat has at most one ticket that can still open the door.
            models.UniqueConstraint(
                fields=["seat"], condition=~Q(status="cancelled"), name="ticket_one_live_per_seat"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="ticket_event_status_idx")]

    def __str__(self) -> str:
        return f"Ticket {self.pk} for seat {self.seat_id}"


class CheckIn(models.Model):
    """One entry through the door. The one-to-one makes a second entry of the same ticket
    impossible in the database itself, whatever the code does."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="check_in")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Ticket {self.ticket_id} in at {self.at:%H:%M:%S}"


class OutgoingEmail(models.Model):
    """An e-mail waiting to leave: written in the transaction that makes it necessary, sent after
    the commit by the mailer (``manage.py send_emails``), at least once, under a ``Message-ID``
    fixed here so that a repeat after a crash is recognisably the same message."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Reservation confirmed"
        CANCELLATION = "cancellation", "Reservation cancelled"
        PASSWORD_RESET = "password_reset", "Password reset"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message_id = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Not before this time: set again after a failed attempt (backing off).
    send_after = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["send_after"], condition=Q(sent_at__isnull=True), name="email_waiting_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to user {self.user_id}"
