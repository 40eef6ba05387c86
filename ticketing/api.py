"""Ticketing API router, mounted by conference.api: badges and the scanners' public keys."""

import base64

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.security import APIKeyHeader

from events import permissions
from events import selectors as event_selectors
from events.common.api import STAFF_AUTH, FormInvalid, RegistrationTokenAuth, require, require_event
from events.enums import ConsentPurpose, Language
from events.errors import DomainError, NotFound
from events.models import Event, Participant, normalize_text
from events.schemas import ErrorOut, RowId, ValidationErrorOut
from events.selectors import public_event

from . import codes, selectors, services, stripe_gateway, vietqr
from .enums import OrderStatus
from .errors import BadgeNotFound, NoValidTicket
from .forms import AttendeeForm, BuyerForm
from .models import Order
from .models.checkin import WHOLE_EVENT
from .schemas import (
    AdmitIn,
    ArrivalsOut,
    BadgeOut,
    DeskAdmitIn,
    DeskOut,
    DeskScanIn,
    DoorSearchOut,
    OfflineDataOut,
    OrderCreatedOut,
    OrderIn,
    OrderOut,
    OrderPlacedOut,
    PublicKeyOut,
    ScanIn,
    ScanOut,
    SyncIn,
    SyncOut,
    TicketTypeOut,
    UndoOut,
    WalkInIn,
)
from .services import checkin, desk, devices, offline
from .services import orders as order_services

router = Router(tags=["ticketing"])

PDF_RESPONSE = {"responses": {200: {"description": "The badge PDF", "content": {"application/pdf": {}}}}}


def _badge_out(request, badge, pdf_url):
    return {
        "participant_id": badge.participant_id,
        "full_name": badge.participant.full_name,
        "version": badge.version,
        "code": badge.code,
        "issued_at": badge.issued_at,
        "reissued_at": badge.reissued_at,
        "printed_at": badge.printed_at,
        "pdf_url": request.build_absolute_uri(pdf_url),
    }


def _issued(participant):
    try:
        return services.issue_badge(participant)
    except NoValidTicket:
        raise BadgeNotFound()


def _pdf(badge):
    path = services.badge_pdf_path(badge)
    response = FileResponse(open(path, "rb"), content_type="application/pdf", filename=f"badge-{badge.pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/registration/badge",
    operation_id="read_my_badge",
    response={200: BadgeOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="My badge code (X-Registration-Token)",
)
def my_badge(request):
    """The holder's own badge code (the signed QR payload) and its version; 404 while no badge is issued yet."""
    badge = _issued(request.auth)
    return _badge_out(request, badge, reverse("api:my_badge_pdf"))


@router.get(
    "/registration/badge.pdf",
    operation_id="download_my_badge_pdf",
    auth=RegistrationTokenAuth(),
    response={401: ErrorOut, 404: ErrorOut},
    summary="My badge as PDF (X-Registration-Token)",
    openapi_extra=PDF_RESPONSE,
    url_name="my_badge_pdf",
)
def my_badge_pdf(request):
    """The holder's own badge as a printable PDF (A6, the QR code, name and organization); 404 while no badge is
    issued yet.
    """
    return _pdf(_issued(request.auth))


def _participant_for_staff(request, participant_id):
    require(request, permissions.MANAGE_BADGES)
    participant = get_object_or_404(Participant.objects.select_related("event"), pk=participant_id)
    require_event(request, participant.event_id)
    return participant


@router.get(
    "/participants/{participant_id}/badge",
    operation_id="read_participant_badge",
    response={200: BadgeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="A participant's badge code (organizers)",
)
def participant_badge(request, participant_id: RowId):
    """A participant's badge code and version, for organizers of the participant's event."""
    badge = _issued(_participant_for_staff(request, participant_id))
    return _badge_out(request, badge, reverse("api:participant_badge_pdf", args=[participant_id]))


@router.get(
    "/participants/{participant_id}/badge.pdf",
    operation_id="download_participant_badge_pdf",
    auth=STAFF_AUTH,
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A participant's badge as PDF (organizers)",
    openapi_extra=PDF_RESPONSE,
    url_name="participant_badge_pdf",
)
def participant_badge_pdf(request, participant_id: RowId):
    """A participant's badge as a printable PDF, for organizers of the participant's event."""
    return _pdf(_issued(_participant_for_staff(request, participant_id)))


@router.get(
    "/events/{slug}/badge-keys",
    operation_id="list_badge_keys",
    response={200: list[PublicKeyOut], 404: ErrorOut},
    auth=None,
    summary="Public keys that sign this event's badge codes (for scanners)",
)
def badge_keys(request, slug: str):
    """The Ed25519 public keys that sign this event's badge codes, so a scanner can check a badge without the
    database (offline mode).
    """
    event = public_event(slug)
    return [
        {
            "event_id": event.pk,
            "event_slug": event.slug,
            "key_id": key.key_id,
            "code_format_version": codes.FORMAT_VERSION,
            "public_key_base64": base64.b64encode(bytes(key.public_key)).decode(),
            "public_key_hex": bytes(key.public_key).hex(),
        }
        for key in services.public_keys(event)
    ]


class OrderTokenAuth(APIKeyHeader):
    """`X-Order-Token`: the secret returned when the order was placed; reads only that order."""

    param_name = "X-Order-Token"

    def authenticate(self, request, key):
        return Order.objects.filter(token=key).first() if key else None


class OptionalRegistrationToken(RegistrationTokenAuth):
    """Placing an order needs no account; a registration token links the order to its buyer."""

    def authenticate(self, request, key):
        # No header: an anonymous buyer. A header that matches nobody: 401.
        return super().authenticate(request, key) if key else "anonymous"


@router.get(
    "/events/{slug}/ticket-types",
    operation_id="list_ticket_types",
    response={200: list[TicketTypeOut], 404: ErrorOut},
    auth=None,
    summary="Ticket types with seats left",
)
def ticket_types(request, slug: str):
    """The passes on sale for an event, with price in VND, the categories allowed to buy them and the seats left."""
    event = event_selectors.public_event(slug)
    return [
        {
            "id": tt.pk,
            "name": tt.name,
            "categories": tt.categories,
            "price": tt.price,
            "on_sale": tt.on_sale(),
            "available": tt.available,
        }
        for tt in selectors.ticket_types_with_availability(event)
    ]


@router.post(
    "/events/{slug}/orders",
    response={
        201: OrderCreatedOut,
        202: OrderPlacedOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    auth=OptionalRegistrationToken(),
    summary="Place an order (sold out answers 409 with code sold_out)",
    description="With the buyer's X-Registration-Token (a participant who proved their e-mail) the order is "
    "confirmed at once and holds its seats (201, with its X-Order-Token). Without it the order holds nothing "
    "and answers 202: the buyer is e-mailed a link that confirms it.",
)
def create_order(request, slug: str, payload: OrderIn):
    event = event_selectors.public_event(slug)
    if not payload.attendees_consent:
        raise DomainError(
            "consent_required",
            _("The attendees' consent to the processing of their data is required."),
            field="attendees_consent",
        )
    buyer, attendees = _checked_order_input(payload)
    order = order_services.create_order(
        event=event,
        buyer={**buyer, "language": payload.buyer.language},
        passes=[
            order_services.PassRequest(ticket_type_id=item.ticket_type, **attendee)
            for item, attendee in zip(payload.passes, attendees, strict=True)
        ],
        voucher_code=buyer["voucher"],
        buyer_participant=request.auth if request.auth != "anonymous" else None,
    )
    if order.is_unconfirmed:
        message = _("Order placed. Open the link we e-mailed to the buyer to confirm it and hold its passes.")
        return Status(202, {"code": order.code, "status": order.status, "message": message})
    return Status(201, _order_out(selectors.order_by_token(order.token)))


def _checked_order_input(payload):
    """The shop page's own forms check the API's input: one set of rules for names, e-mails, text.

    Returns the cleaned buyer fields (with the voucher) and one dict of attendee fields per pass.
    """
    buyer = BuyerForm({**payload.buyer.dict(), "voucher": payload.voucher, "attendees_consent": True})
    attendees = [AttendeeForm(item.dict(include=set(AttendeeForm.base_fields))) for item in payload.passes]
    errors = {}
    if not buyer.is_valid():
        for field, messages in buyer.errors.items():
            errors["voucher" if field == "voucher" else f"buyer.{field}"] = [str(m) for m in messages]
    for index, form in enumerate(attendees):
        if not form.is_valid():
            errors.update({f"passes.{index}.{field}": [str(m) for m in msgs] for field, msgs in form.errors.items()})
    if errors:
        raise FormInvalid(errors)
    cleaned = buyer.cleaned_data
    return (
        {key: cleaned[key] for key in ("name", "email", "organization", "tax_code", "voucher")},
        [form.cleaned_data for form in attendees],
    )


@router.post(
    "/orders/{code}/bank-transfer",
    operation_id="choose_bank_transfer",
    response={200: OrderOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=[OrderTokenAuth()],
    summary="Choose to pay by bank transfer: the VietQR payload, and the seats held longer (X-Order-Token)",
)
def choose_bank_transfer(request, code: str):
    """Switches an unpaid order to payment by bank transfer: answers the VietQR payload (bank, account, amount,
    transfer reference) and holds the seats for the longer transfer period. Needs the order's X-Order-Token.
    """
    if request.auth.code != code:
        raise NotFound("not_found", _("Not found."))
    order = order_services.choose_bank_transfer(order=request.auth)
    return _order_out(selectors.order_by_token(order.token))


@router.get(
    "/orders/{code}",
    url_name="read_order",
    response={200: OrderOut, 401: ErrorOut, 404: ErrorOut},
    auth=[OrderTokenAuth(), RegistrationTokenAuth()],
    summary="An order's state (X-Order-Token, or the buyer's X-Registration-Token)",
)
def read_order(request, code: str):
    """An order's state (pending, paid, expired, cancelled), its passes, total in VND and payment deadline. Needs
    the order's X-Order-Token or the buyer's X-Registration-Token.
    """
    if isinstance(request.auth, Order):
        order = request.auth if request.auth.code == code else None
    else:
        order = selectors.orders_of(request.auth).filter(code=code).first()
    if order is None:
        raise NotFound("not_found", _("Not found."))
    return _order_out(selectors.order_by_token(order.token))


def _order_out(order):
    """The order with what the answer adds: the VietQR payload while pending, whether card payment works."""
    bank = selectors.bank_account()
    order.vietqr = None
    if bank and order.status == OrderStatus.PENDING and order.transfer_chosen_at and order.total:
        order.vietqr = vietqr.payload(bin=bank["bin"], account=bank["account"], amount=order.total, purpose=order.code)
    order.card_payment_available = stripe_gateway.is_configured()
    return order


# --- Door check-in ------------------------------------------------------------


def _door(request, requested_event):
    """Check that the caller may scan; (its device token or None, the event slug it works for)."""
    require(request, permissions.SCAN)
    device = getattr(request, "api_token", None)
    return device, devices.device_event_slug(device, requested_event)


def _scan_out(outcome, session_id=None):
    participant = outcome.participant
    return {
        "result": outcome.result,
        "message": outcome.message,
        "participant": None
        if participant is None
        else {
            "name": participant.full_name,
            "category": participant.category,
            "organization": participant.organization,
            "title": participant.title,
        },
        "checked_in_at": outcome.checked_in_at,
        "gate": outcome.gate,
        "check_in_id": outcome.check_in_id,
        "seats_left": selectors.session_seats_left(session_id) if session_id else None,
    }


@router.post(
    "/checkin/scan",
    operation_id="scan_badge",
    response={200: ScanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="Judge a scanned badge code at a gate and admit its holder once (door staff, scope checkin:scan)",
)
def checkin_scan(request, payload: ScanIn):
    """Judges a scanned badge code at a gate: admitted (the first time only, even under concurrent scans),
    already checked in, revoked, wrong event, no valid ticket or invalid. Needs door staff with scope
    checkin:scan; a device token acts for its own event only.
    """
    device, event_slug = _door(request, payload.event)
    outcome = checkin.scan(
        code=payload.code,
        gate=payload.gate,
        session_id=payload.session,
        event_slug=event_slug,
        by=request.user,
        device=device,
    )
    return _scan_out(outcome, session_id=payload.session)


@router.get(
    "/checkin/arrivals",
    operation_id="list_arrivals",
    response={200: ArrivalsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary=(
        "Live arrivals of an event: counts, arrivals per 5 minutes, last scans "
        "(organizers and door supervisors, scope checkin:read)"
    ),
    url_name="checkin_arrivals",
)
def checkin_arrivals(request, event: str):
    """Live arrivals of an event: counts inside, arrivals per 5 minutes and the latest scans, in the event's time
    zone. Needs scope checkin:read for that event.
    """
    require(request, permissions.READ_ARRIVALS)
    event = devices.device_event_slug(getattr(request, "api_token", None), event)
    return selectors.arrivals(event_selectors.event_for_staff(event))


@router.post(
    "/checkin/{check_in_id}/undo",
    operation_id="undo_check_in",
    response={200: UndoOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=STAFF_AUTH,
    summary="Undo a mistaken admission (door supervisors, scope checkin:undo)",
)
def checkin_undo(request, check_in_id: RowId):
    """Undoes a mistaken admission so the badge can be scanned again; the undo is audit-logged with its reason.
    Needs a door supervisor (scope checkin:undo) of that event.
    """
    require(request, permissions.UNDO_SCAN)
    check_in = checkin.undo(check_in_id=check_in_id, by=request.user, device=getattr(request, "api_token", None))
    return {"check_in_id": check_in.pk, "undone_at": check_in.undone_at}


@router.post(
    "/checkin/admit",
    operation_id="admit_participant",
    response={200: ScanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="Admit a participant found by name search, once (door staff, scope checkin:scan); answers like a scan",
)
def checkin_admit(request, payload: AdmitIn):
    """Admits a participant found by name search, once, and answers exactly like a scan. Needs door staff with
    scope checkin:scan for that event.
    """
    device, event_slug = _door(request, payload.event)
    outcome = checkin.admit_by_name(
        participant_id=payload.participant,
        event_slug=event_slug,
        gate=payload.gate,
        session_id=payload.session,
        by=request.user,
        device=device,
    )
    return _scan_out(outcome, session_id=payload.session)


@router.get(
    "/checkin/search",
    operation_id="search_participants",
    response={200: list[DoorSearchOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="Find an event's participants by name or organization, accents ignored (door staff, scope checkin:scan)",
)
def checkin_search(request, event: str, q: str = Query(..., min_length=1, max_length=100)):
    """Finds an event's participants by name or organization, ignoring accents ("Cuong" finds "Cường"), for
    admission at the door. Needs scope checkin:scan for that event.
    """
    _device, event_slug = _door(request, event)
    found = Event.objects.filter(slug=event_slug).first()
    if found is None:
        raise NotFound("event_not_found", _("No such event."))
    return selectors.door_search(found, q)


@router.get(
    "/checkin/offline-data",
    operation_id="download_offline_data",
    response={200: OfflineDataOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="What a door device keeps to check badges offline: keys, badge versions, names, admissions "
    "(door staff, scope checkin:scan)",
)
def checkin_offline_data(request, response: HttpResponse, event: str = Query(..., max_length=50)):
    """What a door device stores to keep admitting when the network fails: the signing keys, each badge's current
    version, names and the admissions so far. Needs scope checkin:scan for that event.
    """
    _device, event_slug = _door(request, event)
    data = offline.offline_data(event_selectors.event_for_staff(event_slug))
    response["Cache-Control"] = "private, no-store"  # every badge holder's name: for the device's own store only
    keys = [{**key, "public_key": base64.b64encode(key["public_key"]).decode()} for key in data["keys"]]
    return {**data, "keys": keys}


@router.post(
    "/checkin/sync",
    operation_id="sync_offline_scans",
    response={200: SyncOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=STAFF_AUTH,
    summary="Send a device's offline scans in order; each is applied once at its original time "
    "(door staff, scope checkin:scan)",
)
def checkin_sync(request, payload: SyncIn):
    """Sends a device's offline scans in the order they happened; each is applied once at its original time,
    duplicates and conflicts are reported per scan, and one bad scan never blocks the rest. Needs scope
    checkin:scan for that event.
    """
    device, event_slug = _door(request, payload.event)
    scans = [
        offline.DeviceScan(
            client_id=scan.client_id,
            code=scan.code or "",
            participant_id=scan.participant,
            gate=scan.gate,
            scanned_at=scan.scanned_at,
            session_id=scan.session or WHOLE_EVENT,
            offline_result=scan.offline_result,
            printed=scan.printed,
        )
        for scan in payload.scans
    ]
    outcomes = offline.sync_scans(
        event_slug=event_slug,
        device_id=payload.device_id,
        scans=scans,
        by=request.user,
        device=device,
    )
    return {"results": outcomes}


# --- The badge desk: print on arrival ---------------------------------------------------------

DESK_RESPONSES = {
    200: DeskOut,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def _desk_out(desk):
    before = desk.printed_before
    return {
        **_scan_out(desk.scan),
        "printed": desk.printed is not None,
        "print_id": desk.printed.pk if desk.printed else None,
        "reprint_needs_reason": desk.reprint_needs_reason,
        "printed_before_at": before.printed_at if before else None,
        "printed_before_gate": before.gate if before else None,
    }


def _desk_door(request, payload):
    device, event_slug = _door(request, payload.event)
    return checkin.Door(gate=payload.gate, by=request.user, event_slug=event_slug, device=device)


@router.post(
    "/checkin/desk/scan",
    operation_id="print_badge_on_arrival",
    response=DESK_RESPONSES,
    auth=STAFF_AUTH,
    summary="At a badge desk: judge a scanned badge, admit its holder (or only print) and print the badge once "
    "(door staff, scope checkin:scan)",
)
def desk_scan(request, payload: DeskScanIn):
    """Judges a badge scanned at a badge desk like a door scan, admits its holder (mode "admit") or not
    (mode "print"), and sends the badge to the desk's printer. A badge printed before is printed again only
    with a `reason` (answered with reprint_needs_reason otherwise). Needs scope checkin:scan for that event.
    """
    door = _desk_door(request, payload)
    return _desk_out(desk.desk_scan(payload.code, door=door, mode=payload.mode, reason=payload.reason))


@router.post(
    "/checkin/desk/admit",
    operation_id="print_badge_by_name",
    response=DESK_RESPONSES,
    auth=STAFF_AUTH,
    summary="At a badge desk: admit a person found by name (or only print) and print their badge "
    "(door staff, scope checkin:scan)",
)
def desk_admit(request, payload: DeskAdmitIn):
    """Admits a person found by name at a badge desk (mode "admit") or not (mode "print") and prints their
    badge, issuing it first if they hold a valid ticket and no badge yet. Needs scope checkin:scan.
    """
    door = _desk_door(request, payload)
    return _desk_out(desk.desk_by_name(payload.participant, door=door, mode=payload.mode, reason=payload.reason))


@router.post(
    "/checkin/desk/walk-in",
    operation_id="register_walk_in",
    response=DESK_RESPONSES,
    auth=STAFF_AUTH,
    summary="At a badge desk: register a person who arrives unregistered, approve, admit and print "
    "(desk staff with scope participants:decide)",
)
def desk_walk_in(request, payload: WalkInIn):
    """Registers a walk-in as an approved participant, admits them (mode "admit") and prints their badge.
    Needs door staff who may approve applications (scopes checkin:scan and participants:decide).
    """
    require(request, permissions.DECIDE_APPLICATIONS)
    door = _desk_door(request, payload)
    language = translation.get_language() or ""
    fields = {
        "full_name": normalize_text(payload.full_name),
        "email": payload.email.strip().lower(),
        "organization": normalize_text(payload.organization),
        "title": normalize_text(payload.title),
        # The consent texts were shown in the desk page's language: the record names that language.
        "language": language[:2] if language[:2] in Language.values else Language.VI,
    }
    consents = [ConsentPurpose.PARTICIPATION] if payload.consent_participation else []
    consents += [ConsentPurpose.UPDATES] if payload.consent_updates else []
    outcome = desk.desk_walk_in(
        fields=fields, category=payload.category, consents=consents, door=door, mode=payload.mode
    )
    return _desk_out(outcome)
