"""The tickets API (../shared/API.md, "Additions for running a venue"): documents of a reservation,
the confirmation again, check-in at the door, and account recovery. Mounted by ``reservations.api``."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from ninja import Router, Status

from reservations import auth
from reservations import selectors as reservation_selectors
from reservations.auth import CUSTOMER, SIGN_IN
from reservations.exceptions import CsrfFailed, Forbidden, InvalidRequest, NotFound, RateLimited
from reservations.ratelimit import check_rate, client_ip
from reservations.schemas import Ok, answers
from reservations.views import Id

from . import documents, selectors, services
from .exceptions import AlreadyCheckedIn, InvalidTicket, TicketCancelled, WrongEvent
from .schemas import CheckedInOut, CheckInCountsOut, CheckInIn, PasswordResetConfirmIn, PasswordResetIn
from .serializers import admitted_json

router = Router(tags=["tickets"])
recovery = Router(tags=["accounts"])
for personal in (router, recovery):  # tickets, their codes, the door's answers: no cache keeps them
    personal.add_decorator(never_cache, mode="view")


def _document(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _file(content_type: str) -> dict:
    """The document of an operation that answers a file rather than JSON."""
    return {"responses": {200: {"description": "The file", "content": {content_type: {}}}}}


@router.get(
    "/reservations/{id:reservation_id}/tickets.pdf",
    **answers(
        {},
        NotFound,
        access=CUSTOMER,
        extra=_file("application/pdf"),
    ),
    operation_id="getTicketsPdf",
    summary="The reservation's tickets as a PDF, one a page with its QR code (owner or staff)",
)
def tickets_pdf(request: HttpRequest, reservation_id: Id):
    reservation = selectors.reservation_with_tickets(reservation_id=reservation_id, viewer=request.auth)
    return _document(documents.tickets_pdf(reservation), "application/pdf", f"tickets-{reservation.pk}.pdf")


@router.get(
    "/reservations/{id:reservation_id}/calendar.ics",
    **answers({}, NotFound, access=CUSTOMER, extra=_file("text/calendar")),
    operation_id="getReservationCalendar",
    summary="The event as an iCalendar file with one VEVENT (owner or staff)",
)
def calendar_ics(request: HttpRequest, reservation_id: Id):
    reservation = selectors.reservation_with_tickets(reservation_id=reservation_id, viewer=request.auth)
    return _document(
        documents.calendar_ics(reservation), "text/calendar; charset=utf-8", f"event-{reservation.pk}.ics"
    )


@router.post(
    "/reservations/{id:reservation_id}/resend/",
    **answers({202: Ok}, CsrfFailed, InvalidRequest, NotFound, RateLimited, access=CUSTOMER),
    operation_id="resendConfirmation",
    summary="Send the confirmation with the tickets again (owner or staff)",
)
def resend(request: HttpRequest, reservation_id: Id):
    check_rate("resend", str(request.auth.pk))
    services.resend_confirmation(user=request.auth, reservation_id=reservation_id)
    return Status(202, {})


@router.post(
    "/events/{id:event_id}/checkin/",
    **answers(
        {200: CheckedInOut},
        CsrfFailed,
        Forbidden,
        InvalidRequest,
        InvalidTicket,
        WrongEvent,
        TicketCancelled,
        AlreadyCheckedIn,
        access=CUSTOMER,
    ),
    operation_id="checkIn",
    summary="Let a ticket in at the door, once (staff)",
)
def check_in(request: HttpRequest, event_id: Id, payload: CheckInIn):
    """The scanned or typed code of a ticket. 200: let them in (the seat and holder to show). 404
    `invalid_ticket`: not a ticket (unknown, or changed in any character); 409 `wrong_event`
    (`details.event_id`), `ticket_cancelled`, `already_checked_in` (`details.checked_in_at`).
    Two scanners with the same code at once: exactly one gets 200."""
    staff = auth.require_staff(request.auth)
    ticket = services.check_in(staff=staff, event_id=event_id, code=payload.code.strip())
    return {"ticket": admitted_json(ticket)}


@router.get(
    "/events/{id:event_id}/checkin/",
    **answers({200: CheckInCountsOut}, Forbidden, NotFound, access=CUSTOMER),
    operation_id="checkInCounts",
    summary="How many tickets the event has and how many are in (staff)",
)
def check_in_counts(request: HttpRequest, event_id: Id):
    auth.require_staff(request.auth)
    reservation_selectors.get_event(event_id)
    return selectors.check_in_counts(event_id)


@recovery.post(
    "/password-reset/",
    **answers({202: Ok}, InvalidRequest, RateLimited, access=SIGN_IN),
    operation_id="requestPasswordReset",
    summary="E-mail a link to choose a new password",
)
def password_reset(request: HttpRequest, payload: PasswordResetIn):
    """202 for any address: nobody learns from it whether an account has that address."""
    check_rate("password_reset_ip", client_ip(request))
    check_rate("password_reset", payload.email.casefold())
    services.request_password_reset(email=payload.email)
    return Status(202, {})


@recovery.post(
    "/password-reset/confirm/",
    **answers({200: Ok}, InvalidRequest, access=SIGN_IN),
    operation_id="confirmPasswordReset",
    summary="Choose a new password with the link's uid and token (each link works once)",
)
def password_reset_confirm(request: HttpRequest, payload: PasswordResetConfirmIn):
    services.reset_password(uid=payload.uid, token=payload.token, password=payload.password)
    return {}
