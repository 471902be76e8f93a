"""The box office's request and answer shapes (../shared/API.md, "Box office (staff)")."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from reservations.schemas import Currency, Money, Ok, seat_id_list, text
from reservations.services import BLOCK_LIMIT

BlockSeatIds = seat_id_list(BLOCK_LIMIT)


class BlockIn(Schema):
    model_config = {"extra": "forbid"}

    seat_ids: BlockSeatIds
    reason: text(200, min_length=0) = Field(
        "", description="Why (kept in the seats' history).", examples=["House seats"]
    )


class UnblockIn(Schema):
    model_config = {"extra": "forbid"}

    seat_ids: BlockSeatIds


class BlockedOut(Ok):
    blocked: int = Field(description="Seats newly blocked (seats already blocked stay so).")


class UnblockedOut(Ok):
    unblocked: int = Field(description="Seats put on sale again (seats that were not blocked are left).")


Action = Literal["hold", "release", "expire", "reserve", "cancel", "block", "unblock", "check_in"]


class HistoryEntryOut(Schema):
    at: datetime = Field(description="When; an `expire` is dated at the hold's `locked_until`.")
    action: Action
    user: str | None = Field(description="The customer concerned (username), if any.")
    by: str | None = Field(description="Who did it (username); null for the system.")
    via: Literal["api", "admin", "scheduler", "command"]
    reason: str = Field(description="Why, for a `block`; empty otherwise.")


class SeatHistoryOut(Ok):
    history: list[HistoryEntryOut] = Field(description="Oldest first.")


class SectionSalesOut(Schema):
    name: str
    capacity: int
    sold: int
    revenue: Money
    held: int
    blocked: int
    available: int


class DaySalesOut(Schema):
    date: date
    tickets: int
    revenue: Money


class ReportOut(Schema):
    capacity: int = Field(description="Every seat: tickets_sold + held + blocked + available.")
    tickets_sold: int
    revenue: Money
    currency: Currency
    checked_in: int
    blocked: int
    held: int
    available: int
    sections: list[SectionSalesOut]
    sales_by_day: list[DaySalesOut] = Field(description="Tickets still sold, by the day they were bought.")


class EventReportOut(Ok):
    report: ReportOut
