"""Shapes of the ticketing API."""

from datetime import datetime

from ninja import Schema


class BadgeOut(Schema):
    participant_id: int
    full_name: str
    version: int
    code: str
    issued_at: datetime
    reissued_at: datetime | None
    printed_at: datetime | None
    pdf_url: str


class PublicKeyOut(Schema):
    """What a scanner needs to check badge codes offline (see ticketing.codes for the format)."""

    event_id: int
    event_slug: str
    key_id: str
    algorithm: str = "Ed25519"
    code_format_version: int
    public_key_base64: str
    public_key_hex: str
