"""API operations: parse (by the schemas), call one service or selector, return.

Errors rise as domain exceptions and are answered by ``reservations.api``. Who may call each
operation is ``reservations.auth``'s ``PUBLIC``/``CUSTOMER``/``OPEN``; ``request.auth`` is the caller
(an anonymous user on public reads).
"""

import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import register_converter
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition
from ninja import Path, Query, Router, Schema, Status

from . import auth, grids, hooks, idempotency, selectors, services
from .auth import CUSTOMER, OPEN, PUBLIC
from .exceptions import (
    CsrfFailed,
    EventClosed,
    Forbidden,
    HoldCooldown,
    HoldLimitReached,
    IdempotencyConflict,
    InvalidRequest,
    LockNotHeld,
    NotCancellable,
    NotEnoughSeats,
    NotFound,
    NotOnSale,
    QueueRequired,
    RateLimited,
    SeatUnavailable,
    TicketLimitReached,
)
from .idempotency import idempotent
from .models import SeatHistory
from .ratelimit import check_rate
from .schemas import (
    NO_CONTROL_CHARACTERS,
    EventDetailOut,
    EventListOut,
    HealthDownOut,
    HealthOut,
    HoldOut,
    HoldsIn,
    LockOut,
    MessageOut,
    MyHoldsOut,
    ReleasedHoldsOut,
    ReleasedOut,
    ReservationDetailOut,
    ReservationListOut,
    ReserveOut,
    SeatDetailOut,
    SeatGridOut,
    SeatIdsIn,
    answers,
    link,
    links,
)
from .serializers import event_json, money, reservation_json, seat_json, section_json, stage_json


class IdConverter:
    """A database id in a path (``{id:event_id}``): 1 to 18 digits, so no id can overflow a 64-bit
    integer; anything else is an unknown URL (404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
Id = Annotated[int, Path(ge=0, le=10**18 - 1)]  # what IdConverter lets through, for the document
SectionName = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=60,
        pattern=NO_CONTROL_CHARACTERS,  # PostgreSQL refuses NUL in text: a 400, not a 500
        description="Only this section's seats (its name).",
    ),
]
Cursor = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=NO_CONTROL_CHARACTERS,
        description="The `cursor` of an earlier answer: only what changed since.",
    ),
]

events = Router()
holds = Router()
# Holds, reservations and their answers are about one customer: no cache may keep them.
holds.add_decorator(never_cache, mode="view")
operations = Router(tags=["operations"])


# --- Events and seats -----------------------------------------------------------------------------


@events.get(
    "/events/",
    **answers(
        {200: EventListOut},
        access=PUBLIC,
        extra=links(
            200,
            getEvent=link(event_id="$response.body#/events/0/id"),
            getSeatGrid=link(event_id="$response.body#/events/0/id"),
        ),
    ),
    operation_id="listEvents",
    summary="Upcoming events with seat counts and price range",
    tags=["events"],
)
def event_list(request: HttpRequest):
    """Upcoming events, soonest first. The list, with its seat counts, may be up to
    SEAT_COUNTS_MAX_AGE_SECONDS (2 s) old; the seat grid is exact."""

    def build() -> dict:
        now = timezone.now()
        events = list(selectors.upcoming_events(now))
        counts = selectors.section_counts(event.pk for event in events)
        return {"events": [event_json(event, counts[event.pk], now) for event in events]}

    return _shared_answer("event-list", EventListOut, build)


@events.get(
    "/events/{id:event_id}/",
    **answers({200: EventDetailOut}, NotFound, access=PUBLIC),
    operation_id="getEvent",
    summary="One event with seat counts and price range",
    tags=["events"],
)
def event_detail(request: HttpRequest, event_id: Id):
    """One event with its sections. It may be up to SEAT_COUNTS_MAX_AGE_SECONDS (2 s) old; the
    seat grid is exact."""

    def build() -> dict:
        event = selectors.get_event(event_id)
        sections = selectors.section_counts([event.pk])[event.pk]
        event_data = event_json(event, sections, timezone.now())
        return {
            "event": {
                **event_data,
                "sections": [section_json(section) for section in sections],
                "stage": stage_json(event, sections),
            }
        }

    return _shared_answer(f"event:{event_id}", EventDetailOut, build)


def _shared_answer(key: str, schema: type[Schema], build: Callable[[], dict]) -> HttpResponse:
    """An answer that is the same for everyone and may be SEAT_COUNTS_MAX_AGE_SECONDS old: rendered
    (by its schema) once per period per cache, then served as bytes."""
    body = cache.get(key)
    if body is None:
        body = schema.model_validate(build()).model_dump_json().encode()
        cache.set(key, body, settings.SEAT_COUNTS_MAX_AGE_SECONDS)
    return HttpResponse(body, content_type="application/json")


@events.get(
    "/events/{id:event_id}/seats/",
    **answers(
        {200: SeatGridOut, 304: None},
        InvalidRequest,
        NotFound,
        access=PUBLIC,
        extra={
            **links(
                200,
                getSeat=link(event_id="$request.path.event_id", seat_id="$response.body#/seats/0/id"),
                lockSeat=link(event_id="$request.path.event_id", seat_id="$response.body#/seats/0/id"),
            ),
            "parameters": [
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "The ETag of the grid you have: an unchanged grid is answered 304.",
                }
            ],
        },
    ),
    operation_id="getSeatGrid",
    summary="Every seat of the event, as this viewer sees it",
    tags=["seats"],
)
def seat_grid(request: HttpRequest, event_id: Id, section: SectionName = None, since: Cursor = None):
    """Every seat of the event (or of one section), as this viewer sees it: a hold that has run out
    is available, and `locked_until` is shown only to the holder. With `since` (the `cursor` of an
    earlier answer), only the seats whose state may have changed since (`"full": false`); a seat may
    appear again, the later answer wins. An unknown, malformed or too old cursor gets the whole grid
    (`"full": true`).

    The ETag changes whenever the answer would; send it back in If-None-Match to get a 304 that costs
    a few index lookups. Exact, unlike the counts in the event list.
    """
    return grids.answer(request, grids.Scope(event_id, section), request.auth.pk, since)


@events.get(
    "/events/{id:event_id}/seats/{id:seat_id}/",
    **answers({200: SeatDetailOut}, NotFound, access=PUBLIC),
    operation_id="getSeat",
    summary="One seat, as this viewer sees it",
    tags=["seats"],
)
def seat_detail(request: HttpRequest, event_id: Id, seat_id: Id):
    rows = selectors.seat_rows(event_id, seat_id)
    if not rows:
        raise NotFound("Seat not found for this event.")
    return {"seat": seat_json(rows[0], request.auth.pk, timezone.now())}


# --- Holds and reservations ---------------------------------------------------------------------


@holds.post(
    "/events/{id:event_id}/seats/{id:seat_id}/lock/",
    **answers(
        {200: LockOut},
        CsrfFailed,
        NotFound,
        SeatUnavailable,
        HoldCooldown,
        HoldLimitReached,
        TicketLimitReached,
        EventClosed,
        NotOnSale,
        QueueRequired,
        RateLimited,
        access=CUSTOMER,
        extra=links(
            200,
            unlockSeat=link(event_id="$request.path.event_id", seat_id="$response.body#/seat/id"),
            reserveSeats=link(
                event_id="$request.path.event_id", request_body={"seat_ids": ["$response.body#/seat/id"]}
            ),
        ),
    ),
    operation_id="lockSeat",
    summary="Hold a seat for SEAT_LOCK_SECONDS (or extend your own hold)",
    tags=["holds"],
)
def seat_lock(request: HttpRequest, event_id: Id, seat_id: Id):
    hooks.check_sale(user=request.auth, event_id=event_id)
    check_rate("hold", str(request.auth.pk))
    seat = services.lock_seat(user=request.auth, event_id=event_id, seat_id=seat_id)
    return {
        "message": f"Seat {seat.seat_number} locked for {_lock_period()}",
        "seat": {
            "id": seat.pk,
            "seat_number": seat.seat_number,
            "status": seat.status,
            "locked_until": seat.locked_until,
        },
    }


def _lock_period() -> str:
    minutes = settings.SEAT_LOCK_SECONDS // 60
    return f"{minutes} minutes" if minutes > 1 else f"{settings.SEAT_LOCK_SECONDS} seconds"


@holds.post(
    "/events/{id:event_id}/holds/",
    **answers(
        {200: HoldOut},
        InvalidRequest,
        CsrfFailed,
        NotFound,
        SeatUnavailable,
        NotEnoughSeats,
        HoldCooldown,
        HoldLimitReached,
        TicketLimitReached,
        EventClosed,
        NotOnSale,
        QueueRequired,
        IdempotencyConflict,
        RateLimited,
        access=CUSTOMER,
        extra={"parameters": [idempotency.PARAMETER]},
    ),
    operation_id="holdSeats",
    summary="Hold several seats at once: the ones you name, or the best available",
    tags=["holds"],
)
@idempotent
def hold_seats(request: HttpRequest, event_id: Id, payload: HoldsIn):
    """With `seat_ids`: hold all of them or none (your own holds are extended); if any is taken,
    409 `seat_unavailable` with `details.seat_ids`. With `count` (and `section`, `max_price`): the
    best `count` free seats side by side in one row (no aisle between): no single free seat left
    stranded beside them if any block avoids that, then front rows first, then nearest the middle of
    the section; 409 `not_enough_seats` when there is no such block. The hold limit applies."""
    hooks.check_sale(user=request.auth, event_id=event_id)
    check_rate("hold", str(request.auth.pk))
    if payload.seat_ids is not None:
        hold = services.hold_seats(user=request.auth, event_id=event_id, seat_ids=payload.seat_ids)
    else:
        hold = services.hold_best_available(
            user=request.auth,
            event_id=event_id,
            count=payload.count,
            section=payload.section,
            max_price=Decimal(payload.max_price) if payload.max_price else None,
        )
    count = len(hold.seats)
    return {
        "message": f"Holding {count} seat{'s' if count > 1 else ''} for {_lock_period()}",
        "locked_until": hold.locked_until,
        "server_time": timezone.now(),
        "seats": [
            {
                "id": seat.pk,
                "seat_number": seat.seat_number,
                "section": seat.section_name,
                "row": seat.row,
                "number": seat.number,
                "price": money(seat.price),
                "status": seat.status,
                "locked_until": seat.locked_until,
            }
            for seat in hold.seats
        ],
    }


@holds.get(
    "/events/{id:event_id}/holds/",
    **answers({200: MyHoldsOut}, NotFound, access=CUSTOMER),
    operation_id="listMyHolds",
    summary="The seats you hold in the event now, in every section",
    tags=["holds"],
)
def my_holds(request: HttpRequest, event_id: Id):
    """What your basket holds, wherever in the hall: a seat map that loads one section at a time
    still shows your holds in the others. Holds that have run out are not listed."""
    now = timezone.now()
    rows = selectors.seat_rows(event_id, held_by=request.auth.pk, now=now)
    if not rows:
        selectors.get_event(event_id)  # no holds, or no such event (404)
    return {"server_time": now, "seats": [seat_json(row, request.auth.pk, now) for row in rows]}


@holds.delete(
    "/events/{id:event_id}/holds/",
    **answers({200: ReleasedHoldsOut}, CsrfFailed, NotFound, access=CUSTOMER),
    operation_id="releaseMyHolds",
    summary="Give up all of your holds of the event",
    tags=["holds"],
)
def release_my_holds(request: HttpRequest, event_id: Id):
    return {"released": services.release_my_holds(user=request.auth, event_id=event_id)}


@holds.post(
    "/events/{id:event_id}/seats/{id:seat_id}/unlock/",
    **answers({200: MessageOut}, CsrfFailed, NotFound, LockNotHeld, access=CUSTOMER),
    operation_id="unlockSeat",
    summary="Give up your hold of a seat",
    tags=["holds"],
)
def seat_unlock(request: HttpRequest, event_id: Id, seat_id: Id):
    seat = services.unlock_seat(user=request.auth, event_id=event_id, seat_id=seat_id)
    return {"message": f"Seat {seat.seat_number} unlocked"}


@holds.post(
    "/events/{id:event_id}/reserve/",
    **answers(
        {201: ReserveOut},
        InvalidRequest,
        CsrfFailed,
        NotFound,
        LockNotHeld,
        TicketLimitReached,
        EventClosed,
        NotOnSale,
        QueueRequired,
        IdempotencyConflict,
        access=CUSTOMER,
        extra={
            **links(
                201,
                getReservation=link(reservation_id="$response.body#/reservation_id"),
                cancelReservation=link(reservation_id="$response.body#/reservation_id"),
            ),
            "parameters": [idempotency.PARAMETER],
        },
    ),
    operation_id="reserveSeats",
    summary="Turn your holds into one confirmed reservation, all or nothing",
    tags=["reservations"],
)
@idempotent
def event_reserve(request: HttpRequest, event_id: Id, payload: SeatIdsIn):
    hooks.check_sale(user=request.auth, event_id=event_id)
    reservation = services.reserve_seats(user=request.auth, event_id=event_id, seat_ids=payload.seat_ids)
    seats = reservation.seat_numbers
    return Status(
        201,
        {
            "message": f"Successfully reserved {len(seats)} seat(s)",
            "reservation_id": reservation.pk,
            "seats": seats,
            "total_price": money(reservation.total_price),
            "currency": settings.CURRENCY,
        },
    )


@holds.get(
    "/reservations/",
    **answers({200: ReservationListOut}, access=CUSTOMER),
    operation_id="listReservations",
    summary="Your reservations, newest first",
    tags=["reservations"],
)
def reservation_list(request: HttpRequest):
    return {"reservations": _reservations_json(list(selectors.reservations_for(request.auth.pk)))}


def _reservations_json(reservations: list) -> list[dict]:
    """Reservations as answered, with what other apps add through ``hooks.reservation_details``."""
    added = hooks.details_of(reservations)
    return [{**reservation_json(reservation), **added[reservation.pk]} for reservation in reservations]


@holds.get(
    "/reservations/{id:reservation_id}/",
    **answers({200: ReservationDetailOut}, NotFound, access=CUSTOMER),
    operation_id="getReservation",
    summary="One of your reservations (staff: any)",
    tags=["reservations"],
)
def reservation_detail(request: HttpRequest, reservation_id: Id):
    user = request.auth
    reservation = selectors.get_reservation(
        reservation_id=reservation_id, user_id=user.pk, is_staff=user.is_staff
    )
    return {"reservation": _reservations_json([reservation])[0]}


@holds.post(
    "/reservations/{id:reservation_id}/cancel/",
    **answers(
        {200: MessageOut},
        InvalidRequest,
        CsrfFailed,
        Forbidden,
        NotFound,
        NotCancellable,
        IdempotencyConflict,
        access=CUSTOMER,
        extra={"parameters": [idempotency.PARAMETER]},
    ),
    operation_id="cancelReservation",
    summary="Cancel your reservation before the event starts (staff: any); its seats become available",
    tags=["reservations"],
)
@idempotent
def reservation_cancel(request: HttpRequest, reservation_id: Id):
    services.cancel_reservation(user=request.auth, reservation_id=reservation_id)
    return {"message": "Reservation cancelled"}


# --- Operations ------------------------------------------------------------------------------------


@operations.post(
    "/release-expired-locks/",
    **answers({200: ReleasedOut}, CsrfFailed, Forbidden, access=CUSTOMER),
    operation_id="releaseExpiredLocks",
    summary="Tidy holds that have run out now (staff only; the scheduler does this every minute)",
)
def release_expired_locks(request: HttpRequest):
    staff = auth.require_staff(request.auth)
    return {"released": len(services.release_expired_locks(by=staff, via=SeatHistory.Via.API))}


@operations.get(
    "/health/",
    **answers({200: HealthOut, 503: HealthDownOut}, access=OPEN),
    operation_id="health",
    summary="Is the database reachable?",
)
def health(request: HttpRequest):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure to reach the database means "unavailable"
        down = {"error": "The database is unavailable.", "code": "unavailable", "database": "unavailable"}
        return Status(503, down)
    # The baseline of every benchmark ratio: kept as cheap as it was, pre-rendered like the grid.
    response = HttpResponse(b'{"success":true,"database":"ok"}', content_type="application/json")
    patch_cache_control(response, no_store=True)
    return response


def app_version(request: HttpRequest) -> str | None:
    """The ETag of the app's index.html: a hash of its content (a build names its scripts by theirs);
    None before a build."""
    try:
        content = (settings.FRONTEND_DIST / "index.html").read_bytes()
    except FileNotFoundError:
        return None
    return hashlib.blake2b(content, digest_size=12).hexdigest()


@condition(etag_func=app_version)
def spa_index(request: HttpRequest) -> HttpResponse:
    """Client-side routes of the React app fall back to its index.html.

    Asked again on every visit (no-cache, answered 304 while the build is the same): it names the
    build's scripts, which a new build replaces, so a page kept from an older build would ask for
    scripts that are gone."""
    index = settings.FRONTEND_DIST / "index.html"
    if not index.is_file():
        return HttpResponse(
            "The React app is not built yet: run `make run` (or `cd frontend && npm run build`). "
            "The API is at /api/ and the admin at /admin/.",
            content_type="text/plain",
            status=503,
        )
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    patch_cache_control(response, no_cache=True)
    return response
