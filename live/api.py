"""The stream of a live seat map (../shared/API.md, "Live seat maps (push)"), mounted by
``reservations.api``: ``GET /api/events/{id}/seats/stream/`` through Pushpin.

The answer is what the client missed since its cursor (``Last-Event-ID`` or ``?since=``), from the
change feed, as one Server-Sent Event, with GRIP instructions: Pushpin keeps the connection open on
the channel of the event's (or the section's) grid, where the relay publishes every change.
"""

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from ninja import Header, Router

from reservations import grids
from reservations.auth import PUBLIC
from reservations.exceptions import InvalidRequest, NotFound
from reservations.schemas import answers
from reservations.views import Cursor, Id, SectionName

from . import push, services
from .exceptions import StreamUnavailable

router = Router(tags=["seats"])
router.add_decorator(never_cache, mode="view")

_MAX_CURSOR = 200  # as ``?since=``: a longer Last-Event-ID is no cursor of ours

# One event of the stream, as the document describes it (each event, not the whole body).
_SSE_EVENT = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "id": {"type": "string", "description": "The cursor after this event: send back as Last-Event-ID."},
        "event": {"type": "string", "description": "`message`, or `reconnect`: open the stream again."},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "description": "The change feed's answer (SeatGridOut) and `since`: the cursor it follows.",
        },
    },
}


@router.get(
    "/events/{id:event_id}/seats/stream/",
    **answers(
        {},
        InvalidRequest,
        NotFound,
        StreamUnavailable,
        access=PUBLIC,
        extra={
            "responses": {
                200: {
                    "description": "Server-Sent Events: each `data:` a change-feed answer, `id:` its cursor",
                    "content": {"text/event-stream": {"schema": _SSE_EVENT}},
                }
            }
        },
    ),
    operation_id="streamSeatGrid",
    summary="The seat grid's changes as they happen (Server-Sent Events, through Pushpin)",
)
def seat_stream(
    request: HttpRequest,
    event_id: Id,
    section: SectionName = None,
    since: Cursor = None,
    last_event_id: str | None = Header(None, alias="Last-Event-ID"),
):
    """Every change of the grid (or of one section) as it happens, as anyone without a hold sees it.
    First what changed since `Last-Event-ID` (or `since`): only the changed seats, or the whole grid
    (`"full": true`) when the cursor is unknown, malformed or too old; then one event per change of
    the grid, `id:` its cursor and `data:` the change feed's answer plus `since` (the cursor it
    continues from: a client whose cursor is another missed something, and polls the feed).
    503 `unavailable` where there is no push: poll the change feed instead."""
    if not settings.PUSH_URL or not push.is_proxied(request.META):
        raise StreamUnavailable()
    cursor = last_event_id if last_event_id and len(last_event_id) <= _MAX_CURSOR else since
    label = services.open_stream(event_id=event_id, section=section)
    # The feed's own answer, as an anonymous viewer with no copy of the grid gets it.
    feed = grids.answer(HttpRequest(), grids.Scope(event_id, section), None, cursor)
    message = orjson.loads(feed.content)
    message["since"] = None if message["full"] else cursor
    message["cursor"] = services.cursor_of(event_id, section or "", label)
    response = HttpResponse(push.sse_event(message), content_type="text/event-stream")
    for name, value in push.hold_stream_headers([push.channel_name(event_id, section)]).items():
        response[name] = value
    response["Content-Encoding"] = "identity"  # never gzipped: Pushpin appends to this body
    response["X-Accel-Buffering"] = "no"  # a proxy in front must not buffer the stream
    return response
