"""The queue's state in the database, used when ``REDIS_URL`` is not set (the laptop, SQLite
included); with Redis the same state lives in Redis keys (``waitingroom.stores``). The on-sale's
settings themselves are fields of ``reservations.Event`` (``onsale_at``, ``queue_*``).
"""

from django.conf import settings
from django.db import models

from reservations.models import Event


class Queue(models.Model):
    """One event's queue: places issued (``tail``) and admitted so far (``serving``, in place order),
    the seed of the random order drawn at the on-sale, and the admission pace."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, primary_key=True, related_name="+")
    seed = models.CharField(max_length=64, blank=True, help_text="Drawn at the on-sale; orders the lobby.")
    drawn_at = models.DateTimeField(null=True, blank=True)
    arrivals = models.PositiveBigIntegerField(default=0, help_text="Joined before the draw.")
    tail = models.PositiveBigIntegerField(default=0, help_text="Places issued.")
    serving = models.PositiveBigIntegerField(default=0, help_text="Places admitted.")
    credit_at = models.DateTimeField(null=True, blank=True, help_text="The admission pace's clock.")
    clock = models.DateTimeField(null=True, blank=True, help_text="The latest admission step's time.")

    def __str__(self) -> str:
        return f"Queue of event {self.event_id}"


class QueueEntry(models.Model):
    """A customer in an event's queue: their arrival before the draw, then their place (1, 2, ...)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    arrival = models.PositiveBigIntegerField(null=True, blank=True)
    place = models.PositiveBigIntegerField(null=True, blank=True)
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="queue_entry_once_per_customer"),
            models.UniqueConstraint(fields=["event", "place"], name="queue_place_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.place}"


class Admission(models.Model):
    """One admission of a customer: it counts until ``until`` (ended early by a reservation). The
    rows of the last minute are the pace's log."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    place = models.PositiveBigIntegerField()
    admitted_at = models.DateTimeField()
    until = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["event", "user", "until"], name="admission_of_customer"),
            models.Index(fields=["event", "until"], name="admission_active"),
            models.Index(fields=["event", "admitted_at"], name="admission_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} until {self.until:%H:%M:%S}"


class OnSale(Event):
    """Events as the admin's "On-sales" page shows them: the settings and the live queue."""

    class Meta:
        proxy = True
        verbose_name = "on-sale"
