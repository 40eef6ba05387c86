"""Models of the events app, one module per concept."""

from .api_token import ApiToken
from .audit import AuditEntry, ErasureRequest
from .campaign import Campaign, Delivery, MailOptOut
from .declaration import (
    ChainEntry,
    Declaration,
    DeclarationStatus,
    DeclarationVersion,
    EntryAction,
    SignatoryRole,
    SigningMethod,
    SigningRule,
)
from .event import Event
from .invitation import Invitation, new_invitation_code
from .participant import Channel, Consent, Participant, new_participant_token
from .text import localized, normalize_text

__all__ = [
    "Campaign",
    "Delivery",
    "MailOptOut",
    "ApiToken",
    "AuditEntry",
    "ErasureRequest",
    "ChainEntry",
    "Declaration",
    "DeclarationStatus",
    "DeclarationVersion",
    "EntryAction",
    "SignatoryRole",
    "SigningMethod",
    "SigningRule",
    "Channel",
    "Consent",
    "Event",
    "Invitation",
    "Participant",
    "localized",
    "new_invitation_code",
    "new_participant_token",
    "normalize_text",
]
