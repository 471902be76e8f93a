"""The writes of the live app: a stream request keeps its channel wanted; the relay reads the change
feed of every wanted channel and publishes what changed, one merged message per channel and tick.

Nothing here runs inside a seat write: the relay reads the feed (``reservations.selectors``) after
the writers have committed, and writers never wait for it. Its own bookkeeping (the ``Channel``
rows) is claimed before a message is published, so two relays never publish the same step twice,
and a relay that dies between the claim and the publish leaves a gap in cursors that clients see
and fill from the feed: nothing is lost.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from reservations import grids, selectors
from reservations.exceptions import NotFound
from reservations.selectors import FeedState
from reservations.serializers import seat_json

from . import push
from . import selectors as live_selectors
from .models import Channel

logger = logging.getLogger("live.relay")


def _state_fields(prefix: str, state: FeedState) -> dict:
    return {f"{prefix}_xid": state.xid, f"{prefix}_time": state.time, f"{prefix}_seen": state.seen}


def open_stream(*, event_id: int, section: str | None, now: datetime | None = None) -> FeedState:
    """Keep the channel of a new stream wanted for ``LIVE_CHANNEL_SECONDS`` and return the position
    its messages continue from (the cursor the stream's first message names). A channel new to an
    event already followed starts where the event's other channels have been read to, so that the
    relay's next read covers it; a channel of an event not followed yet starts now. At most one
    write per channel in half a lifetime, however many streams open (a crowd reconnecting at once
    after a restart reads one row each). NotFound for an unknown event or section."""
    now = now or timezone.now()
    wanted_until = now + timedelta(seconds=settings.LIVE_CHANNEL_SECONDS)
    channel = Channel.objects.filter(event_id=event_id, section=section or "").first()
    if channel is not None:
        _check_scope(event_id, section, None, now)
        if channel.wanted_until < now + timedelta(seconds=settings.LIVE_CHANNEL_SECONDS / 2):
            Channel.objects.filter(pk=channel.pk).update(wanted_until=wanted_until)
        return live_selectors.published_state(channel)
    sibling = Channel.objects.filter(event_id=event_id).order_by("read_xid").first()
    start = live_selectors.read_state(sibling) if sibling else None
    position = _check_scope(event_id, section, start, now).position
    start = start or position
    try:
        with transaction.atomic():
            channel = Channel.objects.create(
                event_id=event_id,
                section=section or "",
                wanted_until=wanted_until,
                **_state_fields("read", start),
                **_state_fields("published", start),
            )
    except IntegrityError:  # another request made it a moment ago
        channel = Channel.objects.get(event_id=event_id, section=section or "")
    return live_selectors.published_state(channel)


def _check_scope(
    event_id: int, section: str | None, since: FeedState | None, now: datetime
) -> selectors.GridCheck:
    check = selectors.grid_check(event_id, section, None, since, now)
    if check is None:
        raise NotFound("Section not found for this event." if section else "Event not found.")
    return check


def cursor_of(channel_event: int, section: str, state: FeedState) -> str:
    """The feed cursor of ``state`` for a channel's grid. A section's cursor says it has seen none of
    the changes at its position (``seen`` 0): ``state`` counted the whole event's, and a count too
    high could hide a change from a poll, while one too low only costs reading a few rows again."""
    scope = grids.Scope(channel_event, section or None)
    return grids.encode_cursor(scope, state if not section else FeedState(state.xid, state.time, 0))


@dataclass
class TickResult:
    events: int = 0
    messages: int = 0
    seats: int = 0


def relay_tick(*, publisher: "push.Publisher", now: datetime | None = None) -> TickResult:
    """One step of the relay: for each event with wanted channels, read what changed since the
    channels were last read (one check of index lookups when nothing did; the changed seats when
    something did, holds that ran out by time included) and publish one message per channel whose
    grid it touches. Its cost grows with the events followed and the changes, not with the seats or
    the streams."""
    now = now or timezone.now()
    result = TickResult()
    for event_id, channels in live_selectors.wanted_channels(now).items():
        result.events += 1
        groups: dict[FeedState, list[Channel]] = defaultdict(list)
        for channel in channels:  # normally one group: a channel new this tick may be behind
            groups[live_selectors.read_state(channel)].append(channel)
        for since, group in groups.items():
            messages, seats = _relay_event(publisher, event_id, since, group, now)
            result.messages += messages
            result.seats += seats
    return result


def _relay_event(
    publisher: "push.Publisher", event_id: int, since: FeedState, channels: list[Channel], now: datetime
) -> tuple[int, int]:
    # The feed still has every change since (``grids`` keeps a margin of 60 s for long transactions).
    followable = since.time >= now - timedelta(seconds=settings.SEAT_FEED_RETENTION_SECONDS - 60)
    check = selectors.grid_check(event_id, None, None, since if followable else None, now)
    if check is None:  # the event is gone
        Channel.objects.filter(pk__in=[channel.pk for channel in channels]).delete()
        return 0, 0
    refresh_before = now - timedelta(seconds=settings.SEAT_FEED_RETENTION_SECONDS / 2)
    stale = [c for c in channels if live_selectors.published_state(c).time < refresh_before]
    if followable and not check.changed and not stale:
        return 0, 0
    rows = selectors.changed_seat_rows(event_id, None, since, now) if followable and check.changed else []
    seats = [seat_json(row, None, now) for row in rows]
    sections = {seat["section"] for seat in seats}
    # A channel gets a message when its grid changed, or when its cursor would soon be too old to
    # poll from; when the relay was away longer than the feed keeps changes, every channel gets an
    # empty message that continues from nothing: its clients see the gap and read the whole grid.
    touched = [
        channel
        for channel in channels
        if not followable or channel in stale or not channel.section or channel.section in sections
    ]
    if not _claim(channels, touched, since, check.position):
        return 0, 0  # another relay took this step
    for channel in touched:
        in_scope = seats if not channel.section else [s for s in seats if s["section"] == channel.section]
        message = {
            "success": True,
            "event_id": event_id,
            "lock_seconds": settings.SEAT_LOCK_SECONDS,
            "cursor": cursor_of(event_id, channel.section, check.position),
            "since": cursor_of(event_id, channel.section, live_selectors.published_state(channel))
            if followable
            else None,
            "server_time": now,
            "full": False,
            "seats": in_scope,
        }
        publisher.publish(push.channel_name(event_id, channel.section), push.sse_event(message))
    return len(touched), len(seats)


def _claim(channels: list[Channel], touched: list[Channel], since: FeedState, position: FeedState) -> bool:
    """Move the channels' read position (and the touched ones' published position) from ``since`` to
    ``position``, if no other relay has moved them meanwhile. Before publishing: a relay that stops
    in between leaves a gap its clients see, never a silent loss."""
    with transaction.atomic():
        moved = Channel.objects.filter(
            pk__in=[channel.pk for channel in channels], **_state_fields("read", since)
        ).update(**_state_fields("read", position))
        if moved and touched:
            Channel.objects.filter(pk__in=[channel.pk for channel in touched]).update(
                **_state_fields("published", position)
            )
    return bool(moved)


def drop_lapsed_channels(*, publisher: "push.Publisher", now: datetime | None = None) -> int:
    """Forget channels nobody has opened a stream on for ``LIVE_CHANNEL_SECONDS``, after telling
    their streams (if any are left) to reconnect: a reconnect wants the channel again, continuing
    from the stream's cursor. So the relay follows only what someone is looking at."""
    lapsed = live_selectors.lapsed_channels(now or timezone.now())
    for channel in lapsed:
        name = push.channel_name(channel.event_id, channel.section)
        publisher.publish(name, push.sse_event({"reconnect": True}, event="reconnect"))
        publisher.publish(name, b"", close=True)
    Channel.objects.filter(pk__in=[c.pk for c in lapsed], wanted_until__lte=now or timezone.now()).delete()
    return len(lapsed)
