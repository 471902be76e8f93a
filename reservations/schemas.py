"""The API's shapes (../shared/API.md) as pydantic schemas: what requests must look like, what answers
look like, and which errors each operation may answer.

Input schemas are the validation: a request that does not fit is answered 400 ``invalid_request``
with ``details`` naming the field (``reservations.api``). Output schemas document every answer and
shape the ones the views return as dicts. django-ninja turns all of it into the OpenAPI document.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import AfterValidator, StrictInt, StringConstraints, model_validator

from .exceptions import Busy, DomainError, MethodNotAllowed, ServerError, Unavailable

MAX_DB_ID = 2**63 - 1

# --- Field types ------------------------------------------------------------------------------------

# NUL cannot be stored by PostgreSQL, and no other control character belongs in these fields.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


def text(max_length: int, *, min_length: int = 1) -> Any:
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length, pattern=NO_CONTROL_CHARACTERS),
    ]


def _distinct(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("holds the same id twice")
    return ids


DbId = Annotated[StrictInt, Field(ge=1, le=MAX_DB_ID)]


def seat_id_list(limit: int) -> Any:
    """1 to ``limit`` distinct seat ids."""
    return Annotated[
        list[DbId],
        Field(
            min_length=1,
            max_length=limit,
            json_schema_extra={"uniqueItems": True},
            description=f"1 to {limit} distinct seat ids of the event.",
            examples=[[1, 2, 3]],
        ),
        AfterValidator(_distinct),
    ]


SeatIds = seat_id_list(settings.SEAT_HOLD_LIMIT)
Money = Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]{2}$", examples=["100.00"])]
Currency = Annotated[
    str,
    Field(
        pattern=r"^[A-Z]{3}$",
        examples=["EUR"],
        description="ISO 4217 code of every price and total in this answer (the `CURRENCY` setting).",
    ),
]
SeatStatus = Literal["available", "locked", "reserved", "blocked"]
Accessibility = Literal["wheelchair", "companion"]


# --- Requests ---------------------------------------------------------------------------------------


class SeatIdsIn(Schema):
    seat_ids: SeatIds


class HoldsIn(Schema):
    """Either `seat_ids` (these seats, all or none) or `count` (best available)."""

    model_config = {"extra": "forbid"}

    seat_ids: SeatIds | None = None
    count: int | None = Field(
        None,
        strict=True,
        ge=1,
        le=settings.SEAT_HOLD_LIMIT,
        description="Best available: this many seats side by side.",
    )
    section: text(60) | None = Field(
        None, description="Best available: only in this section.", examples=["Stalls"]
    )
    max_price: Money | None = Field(None, description="Best available: no seat dearer than this.")

    @model_validator(mode="after")
    def _one_way(self) -> "HoldsIn":
        if (self.seat_ids is None) == (self.count is None):
            raise ValueError("send either seat_ids or count")
        if self.seat_ids is not None and (self.section is not None or self.max_price is not None):
            raise ValueError("section and max_price go with count, not with seat_ids")
        return self


class CredentialsIn(Schema):
    username: text(150) = Field(examples=["alice"])
    password: text(4096) = Field(examples=["correct-horse-battery-staple"])


class RegisterIn(CredentialsIn):
    email: text(254, min_length=0) = Field("", examples=["alice@example.com"])


# --- Answers ----------------------------------------------------------------------------------------


class Ok(Schema):
    success: Literal[True] = True


class Error(Schema):
    """Every error answer: a sentence for a person and a stable code for a program."""

    success: Literal[False] = False
    error: str = Field(examples=["Seat A2 is held by another customer."])
    code: str = Field(examples=["seat_unavailable"], description="Machine-readable; see each response.")
    details: dict[str, Any] | None = Field(
        None,
        description="Present when fields or seats are at fault: field name -> messages, or `seat_ids`.",
        examples=[{"seat_ids": [2]}],
    )


class QueueSettingsOut(Schema):
    enabled: bool = Field(description="Customers join the queue and hold seats once admitted.")
    per_minute: int = Field(examples=[600], description="The most customers admitted a minute.")
    max_active: int = Field(examples=[1000], description="The most customers admitted at once.")


class EventOut(Schema):
    id: int
    name: str = Field(examples=["The Matrix - Special Screening"])
    description: str
    event_date: datetime
    location: str = Field(examples=["Central Cinema"])
    total_seats: int
    available_seats: int = Field(description="Seats free now; a hold that has run out counts as free.")
    locked_seats: int = Field(description="Seats under an unexpired hold.")
    reserved_seats: int
    blocked_seats: int = Field(description="Seats held back from sale by staff.")
    min_price: Money | None
    max_price: Money | None
    currency: Currency
    is_open: bool = Field(description="False once the event has started: no more holds.")
    hold_limit: int = Field(
        description="The most seats one customer may hold here at once (SEAT_HOLD_LIMIT)."
    )
    ticket_limit: int = Field(
        description="The most seats one customer may hold and reserve here (TICKET_LIMIT_PER_CUSTOMER)."
    )
    onsale_at: datetime | None = Field(
        description="Holds open at this moment (409 `not_on_sale` before); null: on sale now."
    )
    queue: QueueSettingsOut


class EventListOut(Ok):
    events: list[EventOut] = Field(description="Upcoming events, soonest first.")


class SectionOut(Schema):
    name: str = Field(examples=["Stalls"])
    total_seats: int
    available_seats: int
    locked_seats: int
    reserved_seats: int
    blocked_seats: int
    min_price: Money | None
    max_price: Money | None
    x: int = Field(description="The box of the section's seats, in seat-widths from the hall's top-left.")
    y: int
    width: int
    height: int
    angle: float = Field(
        description="Degrees clockwise by which the box turns around its centre to face the field (a "
        "stadium's blocks); the seats' own x, y stay straight, the field above them.",
        examples=[0, -45],
    )


class StageOut(Schema):
    label: str = Field(examples=["Stage", "PITCH"], description="What the field is called, as drawn.")
    x: int = Field(description="The field's box, in seat-widths from the hall's top-left (may be negative).")
    y: int
    width: int
    height: int


class EventWithSectionsOut(EventOut):
    sections: list[SectionOut] = Field(description="In display order; a hall without sections has one, Main.")
    stage: StageOut = Field(
        description="The field the seats face: the venue's (a pitch, a screen), or a stage above the seats."
    )


class EventDetailOut(Ok):
    event: EventWithSectionsOut


class SeatOut(Schema):
    id: int
    seat_number: str = Field(
        examples=["A1"], description='Unique in the event: "A1", or "S-A1" with a section code.'
    )
    section: str = Field(examples=["Main"])
    row: str = Field(examples=["A"])
    number: int = Field(examples=[1])
    x: int = Field(description="Position in seat-widths from the hall's top-left, the stage at the top.")
    y: int
    price: Money
    status: SeatStatus = Field(description="The effective state: an expired hold is `available`.")
    is_locked: bool
    locked_by_me: bool
    locked_until: datetime | None = Field(description="Shown only to the holder; null for everyone else.")
    accessibility: Accessibility | None = Field(
        description="A wheelchair space or a companion seat (from the venue's layout); null otherwise."
    )


class SeatGridOut(Ok):
    event_id: int
    lock_seconds: int = Field(examples=[300], description="How long a new hold lasts.")
    cursor: str = Field(description="Send as `since` to get only what changed after this answer.")
    server_time: datetime = Field(description="The server's clock: count holds down from it, not yours.")
    full: bool = Field(description="True: every seat of the grid. False: only seats changed since `since`.")
    seats: list[SeatOut]


class SeatDetailOut(Ok):
    seat: SeatOut


class HeldSeatOut(Schema):
    id: int
    seat_number: str = Field(examples=["A1"])
    status: Literal["locked"]
    locked_until: datetime


class HoldSeatOut(Schema):
    id: int
    seat_number: str = Field(examples=["S-A1"])
    section: str = Field(examples=["Stalls"])
    row: str
    number: int
    price: Money
    status: Literal["locked"]
    locked_until: datetime


class HoldOut(Ok):
    message: str = Field(examples=["Holding 4 seats for 5 minutes"])
    locked_until: datetime = Field(description="When the first of these holds runs out.")
    server_time: datetime
    seats: list[HoldSeatOut]


class MyHoldsOut(Ok):
    server_time: datetime = Field(description="The server's clock: count holds down from it, not yours.")
    seats: list[SeatOut] = Field(description="The seats you hold in this event now, in the grid's shape.")


class ReleasedHoldsOut(Ok):
    released: int = Field(description="How many of your holds were given up.")


class LockOut(Ok):
    message: str = Field(examples=["Seat A1 locked for 5 minutes"])
    seat: HeldSeatOut


class MessageOut(Ok):
    message: str


class ReserveOut(Ok):
    message: str = Field(examples=["Successfully reserved 3 seat(s)"])
    reservation_id: int
    seats: list[str] = Field(examples=[["A1", "A3", "A5"]])
    total_price: Money
    currency: Currency


class TicketOut(Schema):
    id: int
    seat_number: str = Field(examples=["S-A12"])
    section: str = Field(examples=["Stalls"])
    code: str = Field(description="The text of the ticket's QR code: show it at the door. Secret.")
    status: Literal["valid", "checked_in", "cancelled"]
    checked_in_at: datetime | None


class ReservationOut(Schema):
    id: int
    event_id: int
    event_name: str
    event_date: datetime
    seats: list[str] = Field(examples=[["A1", "A2"]])
    status: Literal["pending", "confirmed", "cancelled"]
    total_price: Money
    currency: Currency
    created_at: datetime
    cancelled_at: datetime | None
    tickets: list[TicketOut] = Field(
        default=[], description="One per seat (the tickets app adds them through reservations.hooks)."
    )


class ReservationListOut(Ok):
    reservations: list[ReservationOut] = Field(description="Newest first.")


class ReservationDetailOut(Ok):
    reservation: ReservationOut


class UserOut(Schema):
    id: int
    username: str
    is_staff: bool
    email: str = Field(description="Empty when the account has none: no e-mail is sent then.")


class PasswordChangeIn(Schema):
    old_password: text(4096)
    new_password: text(4096)


class MeIn(Schema):
    email: text(254) = Field(examples=["alice@example.com"])


class MeOut(Ok):
    user: UserOut | None = Field(description="Null when nobody is signed in.")


class TokenOut(Ok):
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown once; stored hashed.")


class ReleasedOut(Ok):
    released: int


class HealthOut(Ok):
    database: Literal["ok"]


class HealthDownOut(Schema):
    success: Literal[False] = False
    error: str
    code: Literal["unavailable"]
    database: Literal["unavailable"]


# --- Responses per operation ------------------------------------------------------------------------

# Any operation may meet these: a wrong method, a crash, a lock not granted in time, no database.
_ALWAYS = (MethodNotAllowed, ServerError, Busy, Unavailable)


def answers(
    success: dict[int, Any],
    *errors: type[DomainError],
    access: "Access",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for a router operation: who may call it, its answers, the errors it may give.

    Errors are named by their classes; each status is documented with the codes it can carry, so the
    OpenAPI document lists, per operation, exactly what a client has to handle. ``extra`` is merged
    into the operation's OpenAPI entry (links, header parameters).
    """
    by_status: dict[int, list[type[DomainError]]] = defaultdict(list)
    for error in dict.fromkeys((*access.errors, *errors, *_ALWAYS)):
        by_status[error.status].append(error)
    response: dict[Any, Any] = {**success, **{s: Error for s in sorted(by_status) if s not in success}}
    openapi = dict(extra or {})
    documented = openapi.setdefault("responses", {})
    for status, group in by_status.items():
        if status not in success:
            codes = " ".join(f"`{error.code}`: {error.default_message}" for error in group)
            documented.setdefault(status, {})["description"] = codes
    if access.security is not None:
        openapi["security"] = access.security
    return {"auth": access.callbacks, "response": response, "openapi_extra": openapi}


def links(status: int, **targets: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI links from the ``status`` answer to other operations, for ``answers(extra=...)``:
    ``links(200, getEvent=link(event_id="$response.body#/events/0/id"))``. Client generators and
    schemathesis' stateful tests follow them."""
    named = {name: {"operationId": name, **target} for name, target in targets.items()}
    return {"responses": {status: {"links": named}}}


def link(*, request_body: Any = None, **parameters: str) -> dict[str, Any]:
    found: dict[str, Any] = {"parameters": parameters}
    if request_body is not None:
        found["requestBody"] = request_body
    return found


@dataclass(frozen=True)
class Access:
    """Who may call an operation (ninja auth callbacks, tried in order), the errors that check may
    answer, and security requirements the document adds to those ninja derives from the callbacks."""

    callbacks: list[Any] | None
    errors: tuple[type[DomainError], ...] = ()
    security: list[dict[str, list]] | None = None
