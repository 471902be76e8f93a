"""JSON API views: parse and validate input, call one service or selector, return JSON.

Errors rise as domain exceptions and are turned into JSON by ``reservations.api``.
"""

from pathlib import Path

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_headers

from . import selectors, services
from .api import api_view, json_ok, parse_json_body, require_id_list
from .exceptions import NotFound
from .ratelimit import check_rate
from .serializers import event_json, reservation_json, seat_json

OPENAPI_DOCUMENT = Path(__file__).with_name("openapi.json")


def _viewer_id(request: HttpRequest) -> int | None:
    return request.user.pk if request.user.is_authenticated else None


# --- Events and seats -----------------------------------------------------------------------------


@api_view("GET")
def event_list(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    return json_ok(events=[event_json(event, now) for event in selectors.upcoming_events(now)])


@api_view("GET")
def event_detail(request: HttpRequest, event_id: int) -> JsonResponse:
    return json_ok(event=event_json(selectors.get_event(event_id), timezone.now()))


@api_view("GET")
@vary_on_headers("Authorization", "Cookie")
@cache_control(no_cache=True, private=True)
def seat_grid(request: HttpRequest, event_id: int) -> HttpResponse:
    """The whole seat map, with an ETag; a matching If-None-Match gets a 304 before any grid is built.

    The rendering that all viewers share is cached per event, keyed by the grid's fingerprint, and
    served to every viewer who holds no seat of the event (their view is exactly that one).
    """
    viewer = _viewer_id(request)
    state = selectors.seat_grid_state(event_id, viewer)
    if state is None:
        raise NotFound("Event not found.")
    etag = quote_etag(state.etag(viewer))
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    if state.my_holds:
        body = _render_grid(event_id, viewer)
    else:
        cache_key = f"seat-grid:{event_id}"
        cached = cache.get(cache_key)
        if cached and cached[0] == state.fingerprint:
            body = cached[1]
        else:
            body = _render_grid(event_id, None)
            cache.set(cache_key, (state.fingerprint, body), timeout=300)
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    return response


def _render_grid(event_id: int, viewer: int | None) -> bytes:
    now = timezone.now()
    return orjson.dumps(
        {
            "success": True,
            "event_id": event_id,
            "lock_seconds": settings.SEAT_LOCK_SECONDS,
            "seats": [seat_json(row, viewer, now) for row in selectors.seat_rows(event_id)],
        }
    )


@api_view("GET")
def seat_detail(request: HttpRequest, event_id: int, seat_id: int) -> JsonResponse:
    rows = selectors.seat_rows(event_id, seat_id)
    if not rows:
        raise NotFound("Seat not found for this event.")
    return json_ok(seat=seat_json(rows[0], _viewer_id(request), timezone.now()))


# --- Holds and reservations ---------------------------------------------------------------------


@api_view("POST", login_required=True)
def seat_lock(request: HttpRequest, event_id: int, seat_id: int) -> JsonResponse:
    check_rate("hold", str(request.user.pk))
    seat = services.lock_seat(user=request.user, event_id=event_id, seat_id=seat_id)
    minutes = settings.SEAT_LOCK_SECONDS // 60
    period = f"{minutes} minutes" if minutes > 1 else f"{settings.SEAT_LOCK_SECONDS} seconds"
    return json_ok(
        message=f"Seat {seat.seat_number} locked for {period}",
        seat={
            "id": seat.pk,
            "seat_number": seat.seat_number,
            "status": seat.status,
            "locked_until": seat.locked_until.isoformat(),
        },
    )


@api_view("POST", login_required=True)
def seat_unlock(request: HttpRequest, event_id: int, seat_id: int) -> JsonResponse:
    seat = services.unlock_seat(user=request.user, event_id=event_id, seat_id=seat_id)
    return json_ok(message=f"Seat {seat.seat_number} unlocked")


@api_view("POST", login_required=True)
def event_reserve(request: HttpRequest, event_id: int) -> JsonResponse:
    data = parse_json_body(request)
    seat_ids = require_id_list(data, "seat_ids", max_items=settings.SEAT_HOLD_LIMIT)
    reservation = services.reserve_seats(user=request.user, event_id=event_id, seat_ids=seat_ids)
    seats = [seat.seat_number for seat in reservation.seats.order_by("pk")]
    return json_ok(
        201,
        message=f"Successfully reserved {len(seats)} seat(s)",
        reservation_id=reservation.pk,
        seats=seats,
        total_price=f"{reservation.total_price:.2f}",
    )


@api_view("GET", login_required=True)
def reservation_list(request: HttpRequest) -> JsonResponse:
    reservations = selectors.reservations_for(request.user.pk)
    return json_ok(reservations=[reservation_json(reservation) for reservation in reservations])


@api_view("GET", login_required=True)
def reservation_detail(request: HttpRequest, reservation_id: int) -> JsonResponse:
    reservation = selectors.get_reservation(
        reservation_id=reservation_id, user_id=request.user.pk, is_staff=request.user.is_staff
    )
    return json_ok(reservation=reservation_json(reservation))


@api_view("POST", login_required=True)
def reservation_cancel(request: HttpRequest, reservation_id: int) -> JsonResponse:
    services.cancel_reservation(user=request.user, reservation_id=reservation_id)
    return json_ok(message="Reservation cancelled")


# --- Operations ------------------------------------------------------------------------------------


@api_view("POST", staff_required=True)
def release_expired_locks(request: HttpRequest) -> JsonResponse:
    return json_ok(released=len(services.release_expired_locks()))


@api_view("GET")
@cache_control(no_store=True)
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure to reach the database means "unavailable"
        return JsonResponse(
            {
                "success": False,
                "error": "The database is unavailable.",
                "code": "unavailable",
                "database": "unavailable",
            },
            status=503,
        )
    return json_ok(database="ok")


@api_view("GET")
def schema(request: HttpRequest) -> HttpResponse:
    return HttpResponse(OPENAPI_DOCUMENT.read_bytes(), content_type="application/json")


def spa_index(request: HttpRequest) -> HttpResponse:
    """Client-side routes of the React app fall back to its index.html."""
    index = settings.FRONTEND_DIST / "index.html"
    if not index.is_file():
        return HttpResponse(
            "The React app is not built yet: run `make run` (or `cd frontend && npm run build`). "
            "The API is at /api/ and the admin at /admin/.",
            content_type="text/plain",
            status=503,
        )
    return HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
