"""Ticketing API: ticket types with live availability, placing an order, reading its state.

Prices always come from the server: a price or total sent by the client is
accepted by the schema only to be ignored.
"""

from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.security import APIKeyHeader

from events import selectors as event_selectors
from events.api import RegistrationTokenAuth
from events.errors import DomainError, NotFound
from events.schemas import ErrorOut, ValidationErrorOut

from . import selectors, stripe_gateway, vietqr
from .enums import OrderStatus
from .models import Order
from .schemas import OrderCreatedOut, OrderIn, OrderOut, TicketTypeOut
from .services import orders as order_services

router = Router(tags=["ticketing"])


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
