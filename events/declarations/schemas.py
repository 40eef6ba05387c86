"""Shapes of the declarations API."""

from datetime import datetime

from ninja import Schema


class DeclarationOut(Schema):
    slug: str
    title_vi: str
    title_en: str
    status: str
    version: int | None
    text_sha256: str | None
    chain_length: int
    chain_head: str
    opened_at: datetime | None
    closed_at: datetime | None
    sealed_at: datetime | None


class SignatureOut(Schema):
    """A signature in force: everyone sees those who agreed to be listed, organizers see all."""

    name: str
    organization: str
    category: str
    role: str
    method: str
    signed_at: datetime
    version: int
    text_sha256: str
    sequence: int
    # Only in the organizers' view (?unlisted=true), null otherwise.
    participant_id: int | None = None
    public: bool | None = None
    kiosk: str | None = None
    entry_hash: str | None = None


class VerificationOut(Schema):
    ok: bool
    entries: int
    head: str
    stored_head: str
    broken_sequence: int | None
    reason: str
    message: str
