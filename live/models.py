"""The channels of open seat-map streams that the relay follows, and where each one stands."""

from django.db import models

from reservations.models import Event


class Channel(models.Model):
    """Streams of one event's whole grid (``section`` empty) or of one of its sections, held open by
    Pushpin. A stream request keeps its channel wanted (``wanted_until``); the relay follows wanted
    channels and forgets lapsed ones after telling their streams to reconnect.

    ``read_*`` is the feed position up to which the relay has read changes for this channel, and
    ``published_*`` the position named by the last message published on it (the cursor a client of
    the channel holds): a message says it continues from ``published`` (its ``since``), so a client
    that missed one sees the gap. Both are ``reservations.selectors.FeedState`` (of the whole event).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(max_length=60, blank=True, help_text="Empty: the whole event.")
    wanted_until = models.DateTimeField()
    read_xid = models.BigIntegerField()
    read_time = models.DateTimeField()
    read_seen = models.IntegerField()
    published_xid = models.BigIntegerField()
    published_time = models.DateTimeField()
    published_seen = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "section"], name="live_channel_unique")]
        indexes = [models.Index(fields=["wanted_until"], name="live_channel_wanted_idx")]

    def __str__(self) -> str:
        return f"event {self.event_id} {self.section or '(all sections)'}"
