"""Every write of tickets, check-in and e-mail.

Tickets are issued and voided inside the reservation's own transaction (``receivers``, on
``reservations.hooks``); e-mail is queued in the transaction that makes it necessary and leaves
afterwards, from the mailer (``send_queued_emails``), never from a request.
"""

import logging
import secrets
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from reservations import auth
from reservations.exceptions import InvalidRequest, NotCancellable, NotFound
from reservations.models import Reservation, Seat, SeatHistory, Section
from reservations.services import Entry, write_transaction, write_with_history

from . import codes, mail
from .exceptions import AlreadyCheckedIn, InvalidTicket, TicketCancelled, WrongEvent
from .models import CheckIn, OutgoingEmail, Ticket

logger = logging.getLogger("tickets")

# A failed attempt is tried again after this long (then the next, up to the last, for ever).
RETRY_DELAYS = (timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=5), timedelta(minutes=30))


# --- Tickets -------------------------------------------------------------------------------------


def issue_tickets(*, reservation: Reservation, seats: Sequence[Seat]) -> list[Ticket]:
    """One ticket per seat of a reservation being confirmed (inside its transaction), and the
    confirmation e-mail queued."""
    tickets = Ticket.objects.bulk_create(
        Ticket(reservation=reservation, seat_id=seat.pk, event_id=reservation.event_id, code=codes.new_code())
        for seat in seats
    )
    _queue(OutgoingEmail.Kind.CONFIRMATION, user=reservation.user, reservation=reservation)
    return tickets


def void_tickets(*, reservation: Reservation) -> int:
    """The tickets of a reservation being cancelled (inside its transaction) open no door any more;
    the cancellation e-mail is queued. A reservation whose ticket was already used at the door is
    not cancelled (NotCancellable: the whole cancellation is undone)."""
    if Ticket.objects.filter(reservation=reservation, status=Ticket.Status.CHECKED_IN).exists():
        raise NotCancellable("A ticket of this reservation has been used at the door.")
    voided = Ticket.objects.filter(reservation=reservation, status=Ticket.Status.VALID).update(
        status=Ticket.Status.CANCELLED
    )
    _queue(OutgoingEmail.Kind.CANCELLATION, user=reservation.user, reservation=reservation)
    return voided


# --- Check-in -----------------------------------------------------------------------------------


def check_in(*, staff: AbstractBaseUser, event_id: int, code: str, via: str = SeatHistory.Via.API) -> Ticket:
    """Let the holder of ``code`` in to the event: once (and the seat's history says so).

    A code this server did not issue is refused without a database lookup. The ticket's row is
    locked while it is checked and written, so two scanners presenting the same code at once
    take turns and the second is told it was used; and the one-to-one ``CheckIn`` refuses a second
    entry even if this code were wrong. Raises InvalidTicket, WrongEvent, TicketCancelled or
    AlreadyCheckedIn; nothing changes then. Returns the ticket with what the door shows beside it
    (``seat_number``, ``row``, ``number``, ``section_name``, ``holder``).
    """
    if not codes.is_genuine(code):
        raise InvalidTicket()
    now = timezone.now()
    with write_transaction():
        ticket = next(iter(Ticket.objects.raw(_DOOR_SQL + _door_lock(), [code])), None)
        if ticket is None:
            raise InvalidTicket()
        if ticket.event_id != event_id:
            raise WrongEvent(details={"event_id": ticket.event_id})
        if ticket.status == Ticket.Status.CANCELLED:
            raise TicketCancelled()
        if ticket.status == Ticket.Status.CHECKED_IN:
            raise AlreadyCheckedIn(
                f"This ticket was used at {timezone.localtime(ticket.checked_in_at):%H:%M:%S}.",
                details={"checked_in_at": ticket.checked_in_at},  # as every answer writes times
            )
        ticket.status, ticket.checked_in_at = Ticket.Status.CHECKED_IN, now
        entered = Entry(
            ticket.seat_id, event_id, SeatHistory.Action.CHECK_IN, now, ticket.holder_id, staff.pk, via
        )
        write_with_history(
            [(_ENTER_SQL, [ticket.status, now, ticket.pk]), (_CHECK_IN_SQL, [ticket.pk, now, staff.pk])],
            [entered],
        )
    logger.info("ticket.check_in by=%s event=%s ticket=%s", staff.pk, event_id, ticket.pk)
    return ticket


# The door's statements, by hand like the hold path's (``reservations.services.rows``): profiled,
# the ORM spent longer building the locking query than PostgreSQL spent answering it. The ticket is
# read with what the door shows (``serializers.admitted_json``) and locked (its row only).
_TICKET, _CHECK_IN = Ticket._meta.db_table, CheckIn._meta.db_table
_User = get_user_model()
_DOOR_SQL = f"""
    SELECT t.id, t.event_id, t.seat_id, t.reservation_id, t.code, t.status, t.checked_in_at,
           r.user_id AS holder_id, u.{_User._meta.get_field(_User.USERNAME_FIELD).column} AS holder,
           s.seat_number, s.row, s.number, sec.name AS section_name
    FROM {_TICKET} t
    JOIN {Reservation._meta.db_table} r ON r.id = t.reservation_id
    JOIN {_User._meta.db_table} u ON u.id = r.user_id
    JOIN {Seat._meta.db_table} s ON s.id = t.seat_id
    JOIN {Section._meta.db_table} sec ON sec.id = s.section_id
    WHERE t.code = %s"""
_ENTER_SQL = f"UPDATE {_TICKET} SET status = %s, checked_in_at = %s WHERE id = %s"
_CHECK_IN_SQL = f"INSERT INTO {_CHECK_IN} (ticket_id, at, by_id) VALUES (%s, %s, %s)"


def _door_lock() -> str:
    if connection.features.has_select_for_update:  # SQLite has no row locks: its writers take turns
        return " " + connection.ops.for_update_sql(of=("t",))
    return ""


# --- E-mail -------------------------------------------------------------------------------------


def _queue(kind: str, *, user: AbstractBaseUser, reservation: Reservation | None = None) -> None:
    """Queue one e-mail to ``user`` (none when the account has no address: it is read when sending,
    so an address added later still gets the mail)."""
    if not user.email:
        return
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    OutgoingEmail.objects.create(
        kind=kind,
        user=user,
        reservation=reservation,
        message_id=f"<{kind}.{secrets.token_hex(12)}@{domain}>",
        send_after=timezone.now(),
    )


def resend_confirmation(*, user: AbstractBaseUser, reservation_id: int) -> None:
    """The confirmation of a reservation again (its owner, or staff): a new message."""
    reservation = Reservation.objects.select_related("user").filter(pk=reservation_id).first()
    if reservation is None or (reservation.user_id != user.pk and not user.is_staff):
        raise NotFound("Reservation not found.")
    if reservation.status != Reservation.Status.CONFIRMED:
        raise InvalidRequest("Only a confirmed reservation has tickets to send.")
    if not reservation.user.email:
        raise InvalidRequest("The account has no e-mail address to send to.")
    _queue(OutgoingEmail.Kind.CONFIRMATION, user=reservation.user, reservation=reservation)


# Failures of the server, not of one message (a refused address is one message's).
_SERVER_DOWN = (ConnectionError, TimeoutError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)


@dataclass(frozen=True)
class Sent:
    sent: int
    failed: int


def send_queued_emails(*, limit: int = 500, now: datetime | None = None) -> Sent:
    """Send up to ``limit`` queued e-mails that are due, over one SMTP connection.

    Each message is taken in its own short transaction with ``FOR UPDATE SKIP LOCKED`` (so several
    mailers never send the same one) and marked sent in that transaction once the SMTP server has
    accepted it: a mailer killed mid-send leaves it queued, and it is sent again (under the same
    ``Message-ID``). A server that refuses or is down leaves the message queued for later
    (``RETRY_DELAYS``); nothing is lost.
    """
    sent = failed = 0
    connection = get_connection()
    try:
        for _ in range(limit):
            with transaction.atomic():
                email = (
                    OutgoingEmail.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("user", "reservation__event")
                    .filter(sent_at__isnull=True, send_after__lte=now or timezone.now())
                    .order_by("send_after", "pk")
                    .first()
                )
                if email is None:
                    break
                try:
                    message = mail.build(email)
                    connection.open()  # once, for all that follow (the backend would reconnect per message)
                    connection.send_messages([message])
                except Exception as error:  # noqa: BLE001 - any failure: keep it queued, try later
                    failed += 1
                    _retry_later(email, error)
                    connection.close()  # a fresh connection for the next one
                    if isinstance(error, _SERVER_DOWN):
                        break  # the rest can wait as well
                else:
                    sent += 1
                    email.sent_at, email.attempts = timezone.now(), email.attempts + 1
                    email.save(update_fields=["sent_at", "attempts"])
    finally:
        connection.close()
    return Sent(sent, failed)


def _retry_later(email: OutgoingEmail, error: Exception) -> None:
    delay = RETRY_DELAYS[min(email.attempts, len(RETRY_DELAYS) - 1)]
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:1000]
    email.send_after = timezone.now() + delay
    email.save(update_fields=["attempts", "last_error", "send_after"])
    logger.warning("email.retry id=%s attempts=%s error=%s", email.pk, email.attempts, email.last_error)


# --- Account recovery ------------------------------------------------------------------------------


def request_password_reset(*, email: str) -> None:
    """Queue a reset link to every active account with this address (usually one); nothing, and no
    sign of it, when there is none: the answer is the same either way."""
    users = get_user_model().objects.filter(email__iexact=email, is_active=True)
    with transaction.atomic():
        for user in users:
            if user.has_usable_password():
                _queue(OutgoingEmail.Kind.PASSWORD_RESET, user=user)


def reset_password(*, uid: str, token: str, password: str) -> AbstractBaseUser:
    """Set a new password with a link's ``uid`` and ``token`` (Django's PasswordResetTokenGenerator:
    it no longer matches once the password has changed, so a link works once). Raises
    InvalidRequest for a wrong, used or expired link or a password the validators refuse."""
    broken = InvalidRequest(
        "This password reset link is not valid: it was used already, has expired or is incomplete.",
        details={"token": ["Ask for a new link."]},
    )
    try:
        user_id = force_str(urlsafe_base64_decode(uid))
        user = get_user_model().objects.get(pk=int(user_id), is_active=True)
    except (ValueError, OverflowError, get_user_model().DoesNotExist):
        raise broken from None
    with write_transaction():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)  # one reset at a time
        if not default_token_generator.check_token(user, token):
            raise broken
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as error:
            raise InvalidRequest(error.messages[0], details={"password": error.messages}) from None
        user.set_password(password)
        user.save(update_fields=["password"])
        auth.revoke_tokens(user=user)  # and the sessions end with the old password's hash
    return user
