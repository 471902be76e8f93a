"""The seat grid over HTTP: whole grids, the change feed, revalidation, and the shared rendering.

A grid answer carries a ``cursor``: the reader's position (``selectors.FeedState``), taken before the
seats were read. ``?since=<cursor>`` answers only the seats that may have changed since; an unknown,
malformed or too old cursor gets the whole grid (``"full": true``). The ETag is the same position
plus the viewer: revalidating costs one statement of index lookups (``selectors.grid_check``), and
an unchanged grid is a 304 that builds nothing.

The whole grid of an event (or a section), as everyone without a hold there sees it, is rendered at
most every ``SEAT_GRID_REBUILD_SECONDS`` and kept in the cache, shared by every worker, with its gzip
encoding: a viewer gets those bytes with the seats that changed since (the feed) and their own holds
laid over them, and only the pieces those fall in are compressed again.
"""

import base64
import hashlib
import struct
import threading
import time
import zlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass, replace
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
    # The whole grid: the shared rendering, rebuilt at most every SEAT_GRID_REBUILD_SECONDS however
    # many writes arrive, with what changed since it was made and the viewer's own holds (as they see
    # them) laid over it: every answer is as current as the feed, whatever the rendering's age.
    behind = check.changed  # here ``check`` is from the shared rendering's position
    changed = []
    if behind and shared is not None:
        changed = selectors.changed_seat_rows(scope.event_id, scope.section, shared.state, now)
    if shared is not None and behind and shared.can_roll(len(changed)):
        # Rolled forward in this worker at once, so each change is compressed once per worker rather
        # than laid over again for every request; the other workers get it at most every
        # SEAT_GRID_REBUILD_SECONDS through the cache (they roll their own copies meanwhile).
        shared = shared.rolled(check.position, [seat_json(row, None, now) for row in changed])
        _keep(scope, shared, share=_share_due(scope))
        behind, changed = False, []
    elif shared is None or (behind and _rebuild_due(scope, shared)):
        rows = selectors.seat_rows(scope.event_id, section=scope.section)
        shared = SharedGrid.render(check.position, [seat_json(row, None, now) for row in rows])
        _keep(scope, shared, share=True)
        behind, changed = False, []
    over = {row[0]: seat_json(row, viewer, now) for row in changed}
    if check.viewer_holds:  # at most SEAT_HOLD_LIMIT seats: the partial index on holder and event
        for row in selectors.seat_rows(scope.event_id, section=scope.section, held_by=viewer, now=now):
            over[row[0]] = seat_json(row, viewer, now)
    state = check.position if behind else shared.state  # the same cursor for all while nothing changes
    return _finish(shared.response(request, scope, state, now, list(over.values())), scope, state, viewer)


def _rebuild_due(scope: Scope, shared: "SharedGrid") -> bool:
    """The shared rendering (too far behind to roll forward) is old enough to be made again from
    every seat, and this request is the one (of every worker and node) to do it: the others go on
    serving it, with the changes laid over it, until then."""
    if time.time() - shared.rendered_at < settings.SEAT_GRID_REBUILD_SECONDS:
        return False
    return _claim(scope, "rebuilding")


def _share_due(scope: Scope) -> bool:
    """This request is the one (of every worker and node) to put its rolled copy in the cache now."""
    return _claim(scope, "sharing")


def _claim(scope: Scope, what: str) -> bool:
    return cache.add(
        f"{_shared_key(scope)}:{what}", 1, timeout=max(1, int(settings.SEAT_GRID_REBUILD_SECONDS))
    )


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


# Seats per piece of the shared rendering that is deflated on its own: a viewer's holds are laid
# over the few pieces they fall in, and only those are compressed again.
_PIECE = 64


@dataclass(frozen=True)
class SharedGrid:
    """The whole grid as everyone without a hold sees it, as of ``state`` (made at ``rendered_at``,
    ``time.time()``), kept ready to send: ``{"seats": [...`` in JSON cut into pieces of ``_PIECE``
    seats, each deflated on its own up to a byte boundary, so that an answer only compresses its own
    part (a viewer's holds, cursor, server time) instead of megabytes again. ``ids`` and ``spans``
    find a seat's JSON (its piece, start and length) to lay a viewer's own view of it over."""

    state: FeedState
    rendered_at: float
    pieces: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    crcs: tuple[int, ...]  # the CRC-32 of every piece before piece i
    ids: array
    spans: array  # start and length of each seat's JSON in its piece, in pairs
    built_at: float  # when every seat was last read (``rendered_at`` moves on when rolled forward)

    # Read every seat again at least this often (a seat added to an event, say), however well
    # rolling forward keeps up.
    FULL_EVERY_SECONDS = 60

    @property
    def nbytes(self) -> int:
        """Roughly the memory it takes: its JSON, deflated pieces, ids and spans (a whole
        50,000-seat grid: about 11 MB: 9.7 of JSON, 0.5 deflated, 0.8 of ids and spans)."""
        arrays = self.ids.itemsize * len(self.ids) + self.spans.itemsize * len(self.spans)
        return sum(map(len, self.pieces)) + sum(map(len, self.deflated)) + arrays

    @classmethod
    def render(cls, state: FeedState, seats: list[dict]) -> "SharedGrid":
        pieces, deflated, crcs, spans = [], [], [0], array("I")
        for index, first in enumerate(range(0, max(len(seats), 1), _PIECE)):
            piece, piece_spans = _piece(index, [orjson.dumps(seat) for seat in seats[first : first + _PIECE]])
            pieces.append(piece)
            deflated.append(_deflate(piece))
            crcs.append(zlib.crc32(piece, crcs[-1]))
            spans.extend(piece_spans)
        ids = array("q", (seat["id"] for seat in seats))
        now = time.time()
        return cls(state, now, tuple(pieces), tuple(deflated), tuple(crcs), ids, spans, now)

    def can_roll(self, changes: int) -> bool:
        """Whether rolling forward with this many changed seats is cheaper than reading them all."""
        return changes <= len(self.ids) // 4 and time.time() - self.built_at < self.FULL_EVERY_SECONDS

    def rolled(self, state: FeedState, seats: list[dict]) -> "SharedGrid":
        """This rendering brought to ``state``: ``seats`` (as everyone sees them) written into their
        pieces, and only those pieces deflated again."""
        encoded = self._encoded(seats)
        pieces, deflated, spans = list(self.pieces), list(self.deflated), array("I", self.spans)
        for index in {position // _PIECE for position in encoded}:
            first, last = index * _PIECE, min((index + 1) * _PIECE, len(self.ids))
            piece, piece_spans = _piece(
                index, [encoded.get(position) or self._seat(position) for position in range(first, last)]
            )
            pieces[index], deflated[index] = piece, _deflate(piece)
            spans[2 * first : 2 * last] = array("I", piece_spans)
        start = min((position // _PIECE for position in encoded), default=len(pieces))
        crcs = list(self.crcs[: start + 1])
        for piece in pieces[start:]:
            crcs.append(zlib.crc32(piece, crcs[-1]))
        return replace(
            self,
            state=state,
            rendered_at=time.time(),
            pieces=tuple(pieces),
            deflated=tuple(deflated),
            crcs=tuple(crcs),
            spans=spans,
        )

    def _encoded(self, seats: list[dict]) -> dict[int, bytes]:
        """The JSON of ``seats`` by their place in this grid (seats not in it left out)."""
        encoded = {}
        for seat in seats:
            position = bisect_left(self.ids, seat["id"])
            if position < len(self.ids) and self.ids[position] == seat["id"]:
                encoded[position] = orjson.dumps(seat)
        return encoded

    def _seat(self, position: int) -> bytes:
        start, length = self.spans[2 * position], self.spans[2 * position + 1]
        return self.pieces[position // _PIECE][start : start + length]

    def _over(self, seats: list[dict]) -> dict[int, bytes]:
        """The pieces that ``seats`` (newer or the viewer's own view of them) change, changed."""
        changed: dict[int, bytearray] = {}
        for position, encoded in sorted(self._encoded(seats).items(), reverse=True):  # offsets stay valid
            index = position // _PIECE
            start, length = self.spans[2 * position], self.spans[2 * position + 1]
            piece = changed.setdefault(index, bytearray(self.pieces[index]))
            piece[start : start + length] = encoded
        return {index: bytes(piece) for index, piece in changed.items()}

    def response(
        self, request: HttpRequest, scope: Scope, state: FeedState, now: datetime, over: list[dict]
    ) -> HttpResponse:
        """The answer as of ``state``, with ``over`` (the seats that changed since the rendering was
        made, and the viewer's holds, as the viewer sees them) laid over the seats."""
        changed = self._over(over)
        pieces = [changed.get(index, piece) for index, piece in enumerate(self.pieces)]
        end = b"]," + orjson.dumps(_envelope(scope, state, now, full=True))[1:]
        headers = {"Vary": "Accept-Encoding"}
        if "gzip" not in request.META.get("HTTP_ACCEPT_ENCODING", ""):
            return HttpResponse(b"".join([*pieces, end]), content_type="application/json", headers=headers)
        first = min(changed, default=len(pieces))
        crc = self.crcs[first]
        for piece in pieces[first:]:  # only from the first piece that differs from everyone's
            crc = zlib.crc32(piece, crc)
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        size = sum(map(len, pieces)) + len(end)
        body = b"".join(
            [
                _GZIP_HEADER,
                *(
                    _deflate(changed[index]) if index in changed else part
                    for index, part in enumerate(self.deflated)
                ),
                compressor.compress(end) + compressor.flush(),
                struct.pack("<II", zlib.crc32(end, crc), size & 0xFFFFFFFF),
            ]
        )
        return HttpResponse(
            body, content_type="application/json", headers={**headers, "Content-Encoding": "gzip"}
        )


def _piece(index: int, seats: list[bytes]) -> tuple[bytes, list[int]]:
    """Piece ``index`` of the JSON (the first opens the list, the others follow a piece's last seat
    with a comma) and the start and length of each seat's JSON in it."""
    piece, spans = bytearray(b'{"seats":[' if index == 0 else b","), []
    for number, encoded in enumerate(seats):
        if number:
            piece += b","
        spans += (len(piece), len(encoded))
        piece += encoded
    return bytes(piece), spans


def _deflate(data: bytes) -> bytes:
    """``data`` deflated on its own, ending on a byte boundary: pieces deflated so can be sent one
    after the other as one deflate stream (the last part ends it)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _shared_key(scope: Scope) -> str:
    section = (
        "" if scope.section is None else hashlib.blake2b(scope.section.encode(), digest_size=8).hexdigest()
    )
    return f"seat-grid:4:{scope.event_id}:{section}"  # any section name, as a key every cache accepts


# This process's copy of the renderings it last used: the cache (shared by every worker and node)
# holds each one beside a small stamp, so a worker fetches and unpickles megabytes only when another
# has made a newer one, not on every request. Bounded by their size (SEAT_GRID_COPIES_MB), not
# their count: a stadium's whole grid weighs as much as a thousand small sections.
_copies: dict[str, SharedGrid] = {}
_copies_lock = threading.Lock()  # a worker's threads keep copies at once; reads need no lock


def _stamp(shared: SharedGrid) -> tuple:
    return (shared.state, shared.rendered_at)


def _shared(scope: Scope) -> SharedGrid | None:
    """The rendering to start from: this worker's own copy unless the cache's is newer by more than
    it takes to roll forward (SEAT_GRID_REBUILD_SECONDS), or there is none in the cache at all."""
    key = _shared_key(scope)
    stamp = cache.get(f"{key}:stamp")
    if stamp is None:
        return None
    copy = _copies.get(key)
    if copy is not None and (
        _stamp(copy) == stamp
        or copy.state.time >= stamp[0].time - timedelta(seconds=settings.SEAT_GRID_REBUILD_SECONDS)
    ):
        return copy
    shared = cache.get(key)
    if not isinstance(shared, SharedGrid):
        return None
    _remember(key, shared)
    return shared


def _keep(scope: Scope, shared: SharedGrid, *, share: bool) -> None:
    """This worker's copy from now on, and, if ``share``, every worker's and node's."""
    key = _shared_key(scope)
    if share:
        timeout = settings.SEAT_FEED_RETENTION_SECONDS
        cache.set_many({key: shared, f"{key}:stamp": _stamp(shared)}, timeout=timeout)
    _remember(key, shared)


def _remember(key: str, shared: SharedGrid) -> None:
    """Keep ``shared`` as this worker's copy; the least recently kept go first while the copies
    weigh more than SEAT_GRID_COPIES_MB (the newest always stays)."""
    budget = settings.SEAT_GRID_COPIES_MB * 1024 * 1024
    with _copies_lock:
        _copies.pop(key, None)
        _copies[key] = shared  # the newest last
        weight = sum(copy.nbytes for copy in _copies.values())
        while weight > budget and len(_copies) > 1:
            weight -= _copies.pop(next(iter(_copies))).nbytes
