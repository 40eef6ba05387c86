"""Ticketing API router, mounted by conference.api: badges and the scanners' public keys."""

import base64

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.security import APIKeyHeader, SessionAuth

from events import permissions
from events import selectors as event_selectors
from events.api import STAFF_AUTH, RegistrationTokenAuth, TokenAuth, require
from events.errors import DomainError, NotFound
from events.models import Event, Participant
from events.schemas import ErrorOut, ValidationErrorOut
from events.selectors import public_event

from . import codes, selectors, services, stripe_gateway, vietqr
from .enums import OrderStatus
from .errors import BadgeNotFound, NoValidTicket
from .models import Order
from .models.checkin import WHOLE_EVENT
from .schemas import (
    AdmitIn,
    ArrivalsOut,
    BadgeOut,
    DoorSearchOut,
    OfflineDataOut,
    OrderCreatedOut,
    OrderIn,
    OrderOut,
    PublicKeyOut,
    ScanIn,
    ScanOut,
    SyncIn,
    SyncOut,
    TicketTypeOut,
    UndoOut,
)
from .services import checkin, devices, offline
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
    response={200: BadgeOut, 401: ErrorOut, 404: ErrorOut},
    auth=RegistrationTokenAuth(),
    summary="My badge code (X-Registration-Token)",
)
def my_badge(request):
    badge = _issued(request.auth)
    return _badge_out(request, badge, reverse("api:my_badge_pdf"))


@router.get(
    "/registration/badge.pdf",
    auth=RegistrationTokenAuth(),
    response={401: ErrorOut, 404: ErrorOut},
    summary="My badge as PDF (X-Registration-Token)",
    openapi_extra=PDF_RESPONSE,
    url_name="my_badge_pdf",
)
def my_badge_pdf(request):
    return _pdf(_issued(request.auth))


def _participant_for_staff(request, participant_id):
    require(request, permissions.can_manage_badges, "badges:read")
    return get_object_or_404(Participant.objects.select_related("event"), pk=participant_id)


@router.get(
    "/participants/{participant_id}/badge",
    response={200: BadgeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="A participant's badge code (organizers)",
)
def participant_badge(request, participant_id: int):
    badge = _issued(_participant_for_staff(request, participant_id))
    return _badge_out(request, badge, reverse("api:participant_badge_pdf", args=[participant_id]))


@router.get(
    "/participants/{participant_id}/badge.pdf",
    auth=STAFF_AUTH,
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A participant's badge as PDF (organizers)",
    openapi_extra=PDF_RESPONSE,
    url_name="participant_badge_pdf",
)
def participant_badge_pdf(request, participant_id: int):
    return _pdf(_issued(_participant_for_staff(request, participant_id)))


@router.get(
    "/events/{slug}/badge-keys",
    response={200: list[PublicKeyOut], 404: ErrorOut},
    auth=None,
    summary="Public keys that sign this event's badge codes (for scanners)",
)
def badge_keys(request, slug: str):
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
    response={200: list[TicketTypeOut], 404: ErrorOut},
    auth=None,
    summary="Ticket types with seats left",
)
def ticket_types(request, slug: str):
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
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    auth=OptionalRegistrationToken(),
    summary="Place an order (sold out answers 409 with code sold_out)",
)
def create_order(request, slug: str, payload: OrderIn):
    event = event_selectors.public_event(slug)
    if not payload.attendees_consent:
        raise DomainError(
            "consent_required",
            _("The attendees' consent to the processing of their data is required."),
            field="attendees_consent",
        )
    order = order_services.create_order(
        event=event,
        buyer=payload.buyer.dict(),
        passes=[
            order_services.PassRequest(
                ticket_type_id=item.ticket_type,
                attendee_name=item.attendee_name,
                attendee_email=item.attendee_email,
                attendee_title=item.attendee_title,
            )
            for item in payload.passes
        ],
        voucher_code=payload.voucher,
        buyer_participant=request.auth if request.auth != "anonymous" else None,
    )
    return Status(201, _order_out(selectors.order_by_token(order.token)))


@router.get(
    "/orders/{code}",
    response={200: OrderOut, 401: ErrorOut, 404: ErrorOut},
    auth=[OrderTokenAuth(), RegistrationTokenAuth()],
    summary="An order's state (X-Order-Token, or the buyer's X-Registration-Token)",
)
def read_order(request, code: str):
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
    if bank and order.status == OrderStatus.PENDING and order.total:
        order.vietqr = vietqr.payload(bin=bank["bin"], account=bank["account"], amount=order.total, purpose=order.code)
    order.card_payment_available = stripe_gateway.is_configured()
    return order


# --- Door check-in ------------------------------------------------------------

# The bearer token is tried FIRST: ninja's SessionAuth raises 403 on a failed CSRF
# check instead of passing to the next method, so in STAFF_AUTH's order a device's
# POST without a CSRF cookie never reaches TokenAuth. Pages still get CSRF checks.
DOOR_AUTH = [TokenAuth(), SessionAuth()]


def _door(request, requested_event):
    """Check that the caller may scan; (its device token or None, the event slug it works for)."""
    require(request, permissions.is_door_staff, "checkin:scan")
    device = getattr(request, "api_token", None)
    return device, devices.device_event_slug(device, requested_event)


def _scan_out(outcome):
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
    }


@router.post(
    "/checkin/scan",
    response={200: ScanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=DOOR_AUTH,
    summary="Judge a scanned badge code at a gate and admit its holder once (door staff, scope checkin:scan)",
)
def checkin_scan(request, payload: ScanIn):
    device, event_slug = _door(request, payload.event)
    outcome = checkin.scan(
        code=payload.code,
        gate=payload.gate,
        session_id=payload.session,
        event_slug=event_slug,
        by=request.user,
        device=device,
    )
    return _scan_out(outcome)


@router.get(
    "/checkin/arrivals",
    response={200: ArrivalsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF_AUTH,
    summary="Live arrivals of an event: counts, arrivals per 5 minutes, last scans (organizers, scope checkin:read)",
    url_name="checkin_arrivals",
)
def checkin_arrivals(request, event: str):
    require(request, permissions.is_organizer, "checkin:read")
    event = devices.device_event_slug(getattr(request, "api_token", None), event)
    return selectors.arrivals(event_selectors.event_for_staff(event))


@router.post(
    "/checkin/{check_in_id}/undo",
    response={200: UndoOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=DOOR_AUTH,
    summary="Undo a mistaken admission (door supervisors, scope checkin:undo)",
)
def checkin_undo(request, check_in_id: int):
    require(request, permissions.is_door_supervisor, "checkin:undo")
    check_in = checkin.undo(check_in_id=check_in_id, by=request.user, device=getattr(request, "api_token", None))
    return {"check_in_id": check_in.pk, "undone_at": check_in.undone_at}


@router.post(
    "/checkin/admit",
    response={200: ScanOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=DOOR_AUTH,
    summary="Admit a participant found by name search, once (door staff, scope checkin:scan); answers like a scan",
)
def checkin_admit(request, payload: AdmitIn):
    device, event_slug = _door(request, payload.event)
    outcome = checkin.admit_by_name(
        participant_id=payload.participant,
        event_slug=event_slug,
        gate=payload.gate,
        session_id=payload.session,
        by=request.user,
        device=device,
    )
    return _scan_out(outcome)


@router.get(
    "/checkin/search",
    response={200: list[DoorSearchOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=DOOR_AUTH,
    summary="Find an event's participants by name or organization, accents ignored (door staff, scope checkin:scan)",
)
def checkin_search(request, event: str, q: str = Query(..., min_length=1, max_length=100)):
    _device, event_slug = _door(request, event)
    found = Event.objects.filter(slug=event_slug).first()
    if found is None:
        raise NotFound("event_not_found", _("No such event."))
    return selectors.door_search(found, q)


@router.get(
    "/checkin/offline-data",
    response={200: OfflineDataOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=DOOR_AUTH,
    summary="What a door device keeps to check badges offline: keys, badge versions, names, admissions "
    "(door staff, scope checkin:scan)",
)
def checkin_offline_data(request, response: HttpResponse, event: str = Query(..., max_length=50)):
    _device, event_slug = _door(request, event)
    data = offline.offline_data(event_selectors.event_for_staff(event_slug))
    response["Cache-Control"] = "private, no-store"  # every badge holder's name: for the device's own store only
    keys = [{**key, "public_key": base64.b64encode(key["public_key"]).decode()} for key in data["keys"]]
    return {**data, "keys": keys}


@router.post(
    "/checkin/sync",
    response={200: SyncOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=DOOR_AUTH,
    summary="Send a device's offline scans in order; each is applied once at its original time "
    "(door staff, scope checkin:scan)",
)
def checkin_sync(request, payload: SyncIn):
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
