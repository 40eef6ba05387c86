"""Shapes of the events API: what comes in, what goes out."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Path, Schema

# A row id in a path: beyond a 64-bit integer no row can exist, and SQLite would raise OverflowError
# (a 500) on the lookup, so such an id answers 422 like any other invalid input.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class ValidationErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, list[str]]


class EventOut(Schema):
    slug: str
    name: str
    description: str
    start_date: date
    end_date: date
    venue: str
    status: str
    accepts_registrations: bool


class ChannelIn(Schema):
    platform: str
    handle: str
    url: str
    followers: int


class ChannelOut(ChannelIn):
    pass


class RegistrationIn(Schema):
    category: str
    full_name: str
    title: str = ""
    organization: str = ""
    email: str
    phone: str
    invitation_code: str = ""
    channels: list[ChannelIn] = Field(default_factory=list, max_length=5)
    consent_participation: bool = Field(description="Must be true: explicit consent to processing for participation.")
    consent_updates: bool = False


class RegistrationStatusOut(Schema):
    id: int
    event: str = Field(alias="event.slug")
    category: str
    status: str
    status_label: str = Field(alias="get_status_display")
    decision_reason: str
    decided_at: datetime | None
    full_name: str


class RegistrationReceivedOut(Schema):
    status: str = Field(description='Always "received", whether or not the address was already registered.')
    message: str


class LinkIn(Schema):
    link: str = Field(max_length=500, description="The personal link from the e-mail, or its last part.")


class RegistrationTokenOut(Schema):
    token: str = Field(description="Keep it secret: it reads and acts for this registration (X-Registration-Token).")
    registration: RegistrationStatusOut


class ParticipantOut(Schema):
    id: int
    event: str = Field(alias="event.slug")
    category: str
    status: str
    full_name: str
    title: str
    organization: str
    email: str
    phone: str
    language: str
    channels: list[ChannelOut]
    decided_by: str | None = Field(None, alias="decided_by.username")
    decided_at: datetime | None
    decision_reason: str
    created_at: datetime


class DecisionIn(Schema):
    decision: str
    reason: str = Field("", max_length=2000)


class BulkDecisionIn(DecisionIn):
    # Ids are database keys: anything outside a BIGINT is refused as input, not sent to the database.
    participant_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(min_length=1, max_length=1000)


class BulkDecisionOut(Schema):
    changed: int
