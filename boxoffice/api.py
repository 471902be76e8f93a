"""The box office API (../shared/API.md, "Box office (staff)"): blocking seats, a seat's history, the
sales report and the attendee list. Staff only; mounted by ``reservations.api``."""

from django.http import HttpRequest
from django.views.decorators.cache import never_cache
from ninja import Router

from reservations import auth, services
from reservations import selectors as reservation_selectors
from reservations.auth import CUSTOMER
from reservations.exceptions import CsrfFailed, Forbidden, InvalidRequest, NotFound, SeatUnavailable
from reservations.models import SeatHistory
from reservations.schemas import answers
from reservations.views import Id

from . import exports, selectors
from .schemas import BlockedOut, BlockIn, EventReportOut, SeatHistoryOut, UnblockedOut, UnblockIn
from .serializers import history_json, report_json

router = Router(tags=["box office"])
router.add_decorator(never_cache, mode="view")  # about customers and money: no cache keeps it


@router.post(
    "/events/{id:event_id}/seats/block/",
    **answers(
        {200: BlockedOut}, InvalidRequest, CsrfFailed, Forbidden, NotFound, SeatUnavailable, access=CUSTOMER
    ),
    operation_id="blockSeats",
    summary="Hold seats back from sale, all or none (staff)",
)
def block(request: HttpRequest, event_id: Id, payload: BlockIn):
    """House seats, a camera position, a broken seat: nobody can hold, reserve or be offered them
    until they are unblocked. A reserved seat or one under an unexpired hold cannot be blocked: 409
    `seat_unavailable` with `details.seat_ids`, and nothing changes."""
    staff = auth.require_staff(request.auth)
    blocked = services.block_seats(
        by=staff, event_id=event_id, seat_ids=payload.seat_ids, reason=payload.reason, via=SeatHistory.Via.API
    )
    return {"blocked": blocked}


@router.post(
    "/events/{id:event_id}/seats/unblock/",
    **answers({200: UnblockedOut}, InvalidRequest, CsrfFailed, Forbidden, NotFound, access=CUSTOMER),
    operation_id="unblockSeats",
    summary="Put blocked seats on sale again (staff)",
)
def unblock(request: HttpRequest, event_id: Id, payload: UnblockIn):
    staff = auth.require_staff(request.auth)
    unblocked = services.unblock_seats(
        by=staff, event_id=event_id, seat_ids=payload.seat_ids, via=SeatHistory.Via.API
    )
    return {"unblocked": unblocked}


@router.get(
    "/events/{id:event_id}/seats/{id:seat_id}/history/",
    **answers({200: SeatHistoryOut}, Forbidden, NotFound, access=CUSTOMER),
    operation_id="getSeatHistory",
    summary="Everything that happened to a seat, oldest first (staff)",
)
def seat_history(request: HttpRequest, event_id: Id, seat_id: Id):
    """Holds, releases, expiries (dated at the hold's end), reservations, cancellations, blocks and
    check-ins: who for, who by, and through which door. Kept as long as the event."""
    auth.require_staff(request.auth)
    return {
        "history": [history_json(entry) for entry in reservation_selectors.seat_history(event_id, seat_id)]
    }


@router.get(
    "/events/{id:event_id}/report/",
    **answers({200: EventReportOut}, Forbidden, NotFound, access=CUSTOMER),
    operation_id="getEventReport",
    summary="Tickets sold, revenue, check-ins and seats by state, per section and by day (staff)",
)
def report(request: HttpRequest, event_id: Id):
    """`capacity` = `tickets_sold` + `held` + `blocked` + `available`, read at one moment; sales by
    day count the tickets still sold, by the day they were bought. Reads lock nothing."""
    auth.require_staff(request.auth)
    return {"report": report_json(selectors.report(event_id))}


@router.get(
    "/events/{id:event_id}/attendees.csv",
    **answers(
        {},
        Forbidden,
        NotFound,
        access=CUSTOMER,
        extra={"responses": {200: {"description": "The attendee list", "content": {"text/csv": {}}}}},
    ),
    operation_id="getAttendeesCsv",
    summary="Every valid or checked-in ticket as CSV, streamed (staff)",
)
def attendees_csv(request: HttpRequest, event_id: Id):
    """Columns: reservation, ticket, section, row, seat, price, username, email, checked_in_at.
    Text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@` first) starts with `'`."""
    auth.require_staff(request.auth)
    event = reservation_selectors.get_event(event_id)
    return exports.attendees_csv(event.pk, f"attendees-{event.pk}.csv")
