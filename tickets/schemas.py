"""Input and output shapes of the tickets API (the OpenAPI document is generated from these)."""

from datetime import datetime

from ninja import Field, Schema

from reservations.schemas import Ok, text


class CheckInIn(Schema):
    code: text(200) = Field(description="The text of the ticket's QR code, as scanned or typed.")


class AdmittedOut(Schema):
    id: int
    seat_number: str = Field(examples=["S-A12"])
    section: str = Field(examples=["Stalls"])
    row: str = Field(examples=["A"])
    number: int = Field(examples=[12])
    holder: str = Field(description="The username of the reservation's owner.")
    checked_in_at: datetime


class CheckedInOut(Ok):
    ticket: AdmittedOut


class CheckInCountsOut(Ok):
    tickets: int = Field(description="Tickets that can open the door (valid or already used).")
    checked_in: int


class PasswordResetIn(Schema):
    email: text(254) = Field(examples=["alice@example.com"])


class PasswordResetConfirmIn(Schema):
    uid: text(64)
    token: text(128)
    password: text(4096)
