"""Output shapes of the waiting room's API (the OpenAPI document is generated from these)."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from reservations.schemas import Ok


class QueueOut(Schema):
    state: Literal["before_onsale", "waiting", "admitted", "ended"] = Field(
        description="`before_onsale`: in the queue, places are drawn at `opens_at`; `waiting`; `admitted`: "
        "choose seats until `admitted_until`; `ended`: the admission ran out or was used (join again)."
    )
    position: int | None = Field(
        examples=[42], description="1: next to be admitted. Null before the on-sale and once admitted."
    )
    ahead: int | None = Field(examples=[41], description="Customers waiting before you.")
    admitted: bool = Field(description="You may hold seats and reserve now.")
    admitted_until: datetime | None = Field(
        description="When your admission ends (a reservation ends it too)."
    )
    estimated_wait_seconds: int | None = Field(
        examples=[30], description="From the admission rate; null while there is no place yet."
    )
    opens_at: datetime | None = Field(description="The on-sale's opening, while it is still ahead.")
    per_minute: int = Field(description="Customers admitted a minute at most (the queue's pace).")


class QueueAnswerOut(Ok):
    queue: QueueOut | None = Field(description="Null: you are not in this event's queue.")
