"""Reads of the live app: the channels the relay follows."""

from collections import defaultdict
from datetime import datetime

from reservations.selectors import FeedState

from .models import Channel


def read_state(channel: Channel) -> FeedState:
    return FeedState(channel.read_xid, channel.read_time, channel.read_seen)


def published_state(channel: Channel) -> FeedState:
    return FeedState(channel.published_xid, channel.published_time, channel.published_seen)


def wanted_channels(now: datetime) -> dict[int, list[Channel]]:
    """The channels someone still wants (a stream opened within ``LIVE_CHANNEL_SECONDS``), by event:
    one query, whatever the number of streams."""
    by_event: dict[int, list[Channel]] = defaultdict(list)
    for channel in Channel.objects.filter(wanted_until__gt=now).order_by("event_id", "section"):
        by_event[channel.event_id].append(channel)
    return dict(by_event)


def lapsed_channels(now: datetime) -> list[Channel]:
    return list(Channel.objects.filter(wanted_until__lte=now).order_by("pk"))
