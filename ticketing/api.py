"""Ticketing API router, mounted by conference.api: badges and the scanners' public keys."""

import base64

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.security import APIKeyHeader

from events import permissions
from events import selectors as event_selectors
from events.common.api import STAFF_AUTH, FormInvalid, RegistrationTokenAuth, require, require_event
from events.errors import DomainError, NotFound
from events.models import Participant
from events.schemas import ErrorOut, RowId, ValidationErrorOut
from events.selectors import public_event

from . import codes, selectors, services, stripe_gateway, vietqr
from .enums import OrderStatus
from .errors import BadgeNotFound, NoValidTicket
from .forms import AttendeeForm, BuyerForm
from .models import Order
from .schemas import (
    BadgeOut,
    OrderCreatedOut,
    OrderIn,
    OrderOut,
    OrderPlacedOut,
    PublicKeyOut,
    TicketTypeOut,
)
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
