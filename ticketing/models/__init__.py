"""Models of the ticketing app, one module per concept (tickets and orders, payments, badges, check-in)."""

from .badge import Badge, EventKey, PrintJob
from .order import Order, OrderNote, OrderPosition, Voucher, new_order_code, new_order_token
from .payment import Payment, Refund, StripeEvent
from .ticket_type import Quota, TicketType

__all__ = [
    "Badge",
    "EventKey",
    "Order",
    "OrderNote",
    "OrderPosition",
    "Payment",
    "PrintJob",
    "Quota",
    "Refund",
    "StripeEvent",
    "TicketType",
    "Voucher",
    "new_order_code",
    "new_order_token",
]
