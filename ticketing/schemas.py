"""Shapes of the ticketing API."""

from datetime import UTC, datetime
from uuid import UUID

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import AwareDatetime, model_validator

from .enums import DeskMode, ScanResult


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


class TicketTypeOut(Schema):
    id: int
    name: str
    categories: list[str]
    price: int = Field(description="Whole đồng (VND); 0 means free, issued on approval.")
    on_sale: bool
    available: int | None = Field(description="Seats left right now; null means no limit.")


class BuyerIn(Schema):
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    organization: str = Field("", max_length=200)
    tax_code: str = Field("", max_length=20)
    language: str = Field("vi", pattern="^(vi|en)$")


class PassIn(Schema):
    ticket_type: int
    attendee_name: str = Field(max_length=120)
    attendee_email: str = Field(max_length=254)
    attendee_title: str = Field("", max_length=150)
    price: int | None = Field(None, description="Ignored: prices always come from the server.")


class OrderIn(Schema):
    buyer: BuyerIn
    passes: list[PassIn] = Field(min_length=1, max_length=20)
    voucher: str = Field("", max_length=32)
    attendees_consent: bool = Field(description="Must be true: the attendees agreed to the processing of their data.")
    total: int | None = Field(None, description="Ignored: the server computes the total.")


class PassOut(Schema):
    ticket_type: int = Field(alias="ticket_type_id")
    ticket_type_name: str = Field(alias="ticket_type.name")
    attendee_name: str
    attendee_email: str
    price: int


class OrderOut(Schema):
    code: str = Field(description="The reference to put in a bank transfer message.")
    status: str
    status_label: str = Field(alias="get_status_display")
    subtotal: int
    discount: int
    total: int
    expires_at: datetime | None
    paid_at: datetime | None
    passes: list[PassOut] = Field(alias="positions")
    confirmed_at: datetime | None
    transfer_chosen_at: datetime | None
    vietqr: str | None = Field(
        None, description="The VietQR payload for a bank transfer (pending orders once bank transfer is chosen)."
    )
    card_payment_available: bool


class OrderCreatedOut(OrderOut):
    token: str = Field(description="Keep it secret: send it as X-Order-Token to read this order.")


class OrderPlacedOut(Schema):
    code: str = Field(description="The order's reference.")
    status: str = Field(description='"unconfirmed": it holds no seat until the buyer confirms it from the e-mail.')
    message: str


class ScanIn(Schema):
    """A door scan. `event` (the event's slug) names the gate's event: a badge of another event is wrong_event."""

    code: str = Field(max_length=2000)
    gate: str = Field(min_length=1, max_length=64)
    session: int | None = Field(default=None, ge=1)
    event: str | None = Field(default=None, max_length=50)


class ScanParticipantOut(Schema):
    name: str
    category: str
    organization: str
    title: str


class ScanOut(Schema):
    result: str
    message: str
    participant: ScanParticipantOut | None
    checked_in_at: datetime | None
    gate: str | None
    check_in_id: int | None = None
    # At a session's door: walk-in seats still free after this scan (None: the main door, or no limit).
    seats_left: int | None = None


class UndoOut(Schema):
    check_in_id: int
    undone_at: datetime


class AdmitIn(Schema):
    """Admit a participant found by name search at the door (no badge at hand)."""

    participant: int = Field(ge=1)
    gate: str = Field(min_length=1, max_length=64)
    event: str = Field(max_length=50)
    session: int | None = Field(default=None, ge=1)


class DoorSearchOut(Schema):
    id: int
    name: str = Field(alias="full_name")
    category: str
    category_label: str = Field(alias="get_category_display")
    organization: str
    title: str
    ticket_valid: bool
    admitted: bool
    checked_in_at: datetime | None = Field(alias="admitted_at")
    gate: str | None = Field(alias="admitted_gate")

    @staticmethod
    def resolve_admitted(obj):
        return obj.admitted_at is not None


class CategoryCountOut(Schema):
    category: str
    label: str
    count: int


class GateCountOut(Schema):
    gate: str
    count: int


class SessionCountOut(Schema):
    session: int
    count: int


class ArrivalBucketOut(Schema):
    start: datetime
    count: int


class RecentScanOut(Schema):
    at: datetime
    name: str
    gate: str
    session: int
    result: str
    result_label: str


class ConflictOut(Schema):
    """A badge admitted offline at a door while another door had already admitted it."""

    participant: int
    name: str
    session: int
    first_gate: str
    first_at: datetime
    second_gate: str
    second_at: datetime
    second_device: str


class ArrivalsOut(Schema):
    """Main-door admissions (not undone) by category and gate, session-door admissions, the last scans, conflicts."""

    admitted: int
    by_category: list[CategoryCountOut]
    by_gate: list[GateCountOut]
    by_session: list[SessionCountOut]
    series: list[ArrivalBucketOut]
    recent: list[RecentScanOut]
    conflicts: list[ConflictOut]


# --- Offline scanning ---------------------------------------------------------


class OfflineKeyOut(Schema):
    key_id: str
    algorithm: str = "Ed25519"
    public_key: str = Field(description="The raw 32-byte Ed25519 public key, base64.")


class OfflineDataOut(Schema):
    """What a door device keeps to judge badges with no network (rows are arrays to stay small)."""

    event: str
    event_id: int
    as_of: datetime = Field(description="Server time when these lists were read.")
    opens_at: datetime = Field(description="Check-in opens (the doors admit from this time).")
    closes_at: datetime = Field(description="Check-in closes.")
    keys: list[OfflineKeyOut]
    participants: list[tuple[int, int, bool, str, str, str]] = Field(
        description="[participant id, current badge version (older ones are revoked), ticket valid, name, "
        "category, organization] for every badge holder."
    )
    admissions: list[tuple[int, int, str, datetime]] = Field(
        description="[participant id, session (0 = main door), gate, admitted at] for every standing admission."
    )


# What a device may report it showed at the door (never `undone`, which is not a scan verdict).
DEVICE_RESULTS = tuple(value for value in ScanResult.values if value != ScanResult.UNDONE)


class SyncScanIn(Schema):
    """A badge scan (`code`) or an admission by name (`participant`): exactly one of the two."""

    client_id: UUID = Field(description="The scan's id on the device; resending it is a no-op.")
    code: str | None = Field(default=None, max_length=2000, description="The scanned badge code.")
    participant: int | None = Field(
        default=None, ge=1, description="The participant admitted by name (found in the device's lists)."
    )
    gate: str = Field(min_length=1, max_length=64)
    # Bounded so converting to UTC can never overflow (year 1 with a +01:00 offset would).
    scanned_at: AwareDatetime = Field(
        gt=datetime(2000, 1, 1, tzinfo=UTC),
        lt=datetime(9000, 1, 1, tzinfo=UTC),
        description="When the badge was scanned (with a UTC offset).",
    )
    session: int | None = Field(default=None, ge=1)
    offline_result: str = Field(
        default=ScanResult.ADMITTED.value,
        pattern="^(" + "|".join(DEVICE_RESULTS) + ")$",
        description="What the device showed; only scans it admitted are admitted on the server.",
    )
    printed: bool = Field(
        default=False,
        description="A badge desk's browser printed the scanned badge (offline); the sync records the print once.",
    )

    @model_validator(mode="after")
    def code_or_participant(self):
        if (self.code is None) == (self.participant is None):
            # Raised while the request is parsed, so in the caller's language (conference.api shows it).
            raise ValueError(gettext("Send either the scanned code or the participant, exactly one of the two."))
        return self


class SyncIn(Schema):
    """A device's offline scans, oldest first."""

    # A slug: the body of a sync is not checked for NUL before the view (conference/input.py).
    event: str = Field(max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")
    device_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
    scans: list[SyncScanIn] = Field(max_length=500)


class SyncResultOut(Schema):
    client_id: UUID
    result: str
    conflict: bool = Field(description="The badge had already been admitted at another door: organizers see it.")
    overruled: bool = Field(
        default=False,
        description="The device admitted the holder, but the rule applied at sync did not (a conflict, no seat "
        "left at the session door, a replaced badge, no valid ticket): door staff should find this person.",
    )
    first_gate: str | None = Field(default=None, description="For a conflict: the gate of the admission that stands.")
    first_at: datetime | None = Field(default=None, description="For a conflict: when that admission was made.")


class SyncOut(Schema):
    results: list[SyncResultOut]


class DeskScanIn(Schema):
    """A badge scanned at a badge desk. `mode`: "admit" (admit and print) or "print" (only print).
    `reason`: why a badge printed before is printed again (a lost or damaged badge)."""

    code: str = Field(max_length=2000)
    gate: str = Field(min_length=1, max_length=64)
    event: str = Field(max_length=50)
    mode: DeskMode = DeskMode.ADMIT_AND_PRINT
    reason: str = Field(default="", max_length=200)


class DeskAdmitIn(Schema):
    """A person found by name at a badge desk: admitted (per `mode`) and their badge printed."""

    participant: int = Field(ge=1)
    gate: str = Field(min_length=1, max_length=64)
    event: str = Field(max_length=50)
    mode: DeskMode = DeskMode.ADMIT_AND_PRINT
    reason: str = Field(default="", max_length=200)


class WalkInIn(Schema):
    """A person registered at a badge desk on arrival (desk staff with the organizers' permission)."""

    gate: str = Field(min_length=1, max_length=64)
    event: str = Field(max_length=50)
    mode: DeskMode = DeskMode.ADMIT_AND_PRINT
    full_name: str = Field(min_length=2, max_length=120)
    email: str = Field(min_length=3, max_length=254)
    organization: str = Field(default="", max_length=200)
    title: str = Field(default="", max_length=150)
    category: str = Field(max_length=16)
    # Ticked by desk staff as the person agrees to each text shown on the desk's screen (the
    # registration form's texts, per purpose: Law 91/2025). Participation is required.
    consent_participation: bool = False
    consent_updates: bool = False


class DeskOut(ScanOut):
    """A desk's answer: the door verdict (as a scan), whether the badge went to the printer, and when a
    reprint needs a reason, the earlier print."""

    printed: bool
    print_id: int | None = None
    reprint_needs_reason: bool
    printed_before_at: datetime | None = None
    printed_before_gate: str | None = None
