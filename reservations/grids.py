"""The seat grid over HTTP: whole grids, the change feed, revalidation, and the shared rendering.

A grid answer carries a ``cursor``: the reader's position (``selectors.FeedState``), taken before the
seats were read. ``?since=<cursor>`` answers only the seats that may have changed since; an unknown,
malformed or too old cursor gets the whole grid (``"full": true``). The ETag is the same position
plus the viewer: revalidating costs one statement of index lookups (``selectors.grid_check``), and
an unchanged grid is a 304 that builds nothing.

The whole grid of an event (or a section), as everyone without a hold there sees it, is rendered
once per change and kept in the cache, shared by every worker, with its gzip encoding: a viewer gets
those bytes with their own ``server_time``, and nothing is compressed again.
"""

import base64
import hashlib
import struct
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import selectors
from .exceptions import NotFound
from .selectors import FeedState
from .serializers import seat_json

# A cursor older than this may point at pruned changes: such a reader gets the whole grid. The margin
# covers the longest transaction whose changes can still appear after its position was taken.
_CURSOR_MARGIN = timedelta(seconds=60)


@dataclass(frozen=True)
class Scope:
    event_id: int
    section: str | None


def answer(request: HttpRequest, scope: Scope, viewer: int | None, since: str | None) -> HttpResponse:
    now = timezone.now()
    known = _state_from_etag(request, scope, viewer, now)
    cursor = decode_cursor(since, scope, now) if since else None
    shared = None if cursor or known else _shared(scope)
    baseline = known or cursor or (shared.state if shared else None)
    check = _check(scope, viewer, baseline, now)
    if (known or cursor) and baseline.xid > check.position.xid:  # from the future: forged
        known = cursor = None
        shared = _shared(scope)
        baseline = shared.state if shared else None
        check = _check(scope, viewer, baseline, now)
    if known is not None and not check.changed:
        return _finish(HttpResponse(status=304), scope, known, viewer)
    if known is not None and cursor is None and (shared := _shared(scope)) is not None:
        # A copy that is out of date (a page reloaded in an on-sale): the shared rendering is
        # probably current. One more check of index lookups instead of reading every seat.
        baseline, check = shared.state, _check(scope, viewer, shared.state, now)
    if cursor is not None:
        fresh = check.changed or baseline is not cursor
        rows = selectors.changed_seat_rows(scope.event_id, scope.section, cursor, now) if fresh else []
        body = _body(scope, check.position, now, [seat_json(row, viewer, now) for row in rows], full=False)
        return _finish(HttpResponse(body, content_type="application/json"), scope, check.position, viewer)
    if shared is not None and baseline is shared.state and not check.changed and not check.viewer_holds:
        return _finish(shared.response(request, scope, now), scope, shared.state, viewer)
    rows = selectors.seat_rows(scope.event_id, section=scope.section)
    if check.viewer_holds:  # their own holds show their expiry: a grid of their own
        seats = [seat_json(row, viewer, now) for row in rows]
        body = _body(scope, check.position, now, seats, full=True)
        return _finish(HttpResponse(body, content_type="application/json"), scope, check.position, viewer)
    shared = SharedGrid.render(check.position, [seat_json(row, None, now) for row in rows])
    cache.set(_shared_key(scope), shared, timeout=settings.SEAT_FEED_RETENTION_SECONDS)
    return _finish(shared.response(request, scope, now), scope, shared.state, viewer)


def _check(
    scope: Scope, viewer: int | None, baseline: FeedState | None, now: datetime
) -> selectors.GridCheck:
    check = selectors.grid_check(scope.event_id, scope.section, viewer, baseline, now)
    if check is None:
        raise NotFound("Section not found for this event." if scope.section else "Event not found.")
    return check


def _body(scope: Scope, state: FeedState, now: datetime, seats: list[dict], *, full: bool) -> bytes:
    return orjson.dumps({"seats": seats, **_envelope(scope, state, now, full=full)})


def _envelope(scope: Scope, state: FeedState, now: datetime, *, full: bool) -> dict:
    return {
        "success": True,
        "event_id": scope.event_id,
        "lock_seconds": settings.SEAT_LOCK_SECONDS,
        "cursor": encode_cursor(scope, state),
        "server_time": now,
        "full": full,
    }


def _finish(response: HttpResponse, scope: Scope, state: FeedState, viewer: int | None) -> HttpResponse:
    response["ETag"] = f'W/"{encode_cursor(scope, state)}.{viewer or 0}.{settings.SEAT_LOCK_SECONDS}"'
    patch_cache_control(response, no_cache=True, private=True)
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


# --- Cursors and ETags ---------------------------------------------------------------------------------


def encode_cursor(scope: Scope, state: FeedState) -> str:
    raw = orjson.dumps([1, scope.event_id, scope.section, state.xid, _ms(state.time), state.seen])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, scope: Scope, now: datetime) -> FeedState | None:
    """The cursor's state, or None when it is malformed, of another grid, too old to follow, or holds
    numbers no cursor of ours can (total: any string gets an answer, never an exception)."""
    try:
        version, event_id, section, xid, ms, seen = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * 3))
        state = FeedState(int(xid), datetime.fromtimestamp(int(ms) / 1000, tz=UTC), int(seen))
    except (ValueError, TypeError, OverflowError, OSError):
        return None
    if version != 1 or (event_id, section) != (scope.event_id, scope.section):
        return None
    return state if _followable(state, now) else None


# What a cursor this server made can hold: a transaction id below selectors' "never" mark and a count
# of changes no grid reaches. Anything else was not made here.
_MAX_XID, _MAX_SEEN = 2**62, 2**31


def _state_from_etag(
    request: HttpRequest, scope: Scope, viewer: int | None, now: datetime
) -> FeedState | None:
    """The position named by If-None-Match, if it is one of ours for this grid and viewer."""
    tag = request.META.get("HTTP_IF_NONE_MATCH", "").removeprefix("W/").strip('"')
    cursor, _, rest = tag.partition(".")
    if rest != f"{viewer or 0}.{settings.SEAT_LOCK_SECONDS}":
        return None
    return decode_cursor(cursor, scope, now)


def _followable(state: FeedState, now: datetime) -> bool:
    oldest = now - timedelta(seconds=settings.SEAT_FEED_RETENTION_SECONDS) + _CURSOR_MARGIN
    return (
        oldest <= state.time <= now + _CURSOR_MARGIN
        and 0 <= state.seen < _MAX_SEEN
        and 0 < state.xid < _MAX_XID
    )


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


# --- The shared rendering -------------------------------------------------------------------------------

# A gzip member header: deflate, no name, no time, unknown OS (RFC 1952).
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


@dataclass(frozen=True)
class SharedGrid:
    """The whole grid as everyone without a hold sees it, as of ``state``: ``{"seats": [...]`` in
    JSON, and the same deflated up to a byte boundary, so that each answer only appends its own
    envelope (cursor, server time) and the gzip trailer instead of compressing megabytes again."""

    state: FeedState
    seats: bytes
    gzip_start: bytes
    crc: int

    @classmethod
    def render(cls, state: FeedState, seats: list[dict]) -> "SharedGrid":
        start = orjson.dumps({"seats": seats})[:-1]  # without the closing brace
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        deflated = compressor.compress(start) + compressor.flush(zlib.Z_SYNC_FLUSH)
        return cls(state, start, _GZIP_HEADER + deflated, zlib.crc32(start))

    def response(self, request: HttpRequest, scope: Scope, now: datetime) -> HttpResponse:
        end = b"," + orjson.dumps(_envelope(scope, self.state, now, full=True))[1:]
        patch = {"Vary": "Accept-Encoding"}
        if "gzip" not in request.META.get("HTTP_ACCEPT_ENCODING", ""):
            response = HttpResponse(self.seats + end, content_type="application/json", headers=patch)
            return response
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        trailer = struct.pack("<II", zlib.crc32(end, self.crc), (len(self.seats) + len(end)) & 0xFFFFFFFF)
        body = self.gzip_start + compressor.compress(end) + compressor.flush() + trailer
        return HttpResponse(
            body, content_type="application/json", headers={**patch, "Content-Encoding": "gzip"}
        )


def _shared_key(scope: Scope) -> str:
    section = (
        "" if scope.section is None else hashlib.blake2b(scope.section.encode(), digest_size=8).hexdigest()
    )
    return f"seat-grid:{scope.event_id}:{section}"  # any section name, as a key every cache accepts


def _shared(scope: Scope) -> SharedGrid | None:
    shared = cache.get(_shared_key(scope))
    return shared if isinstance(shared, SharedGrid) else None
