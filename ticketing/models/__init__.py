"""Models of the ticketing app, one module per concept (tickets and orders, payments, badges, check-in)."""

from .badge import Badge, EventKey, PrintJob
from .checkin import CheckIn, ScanLog
from .order import Order, OrderNote, OrderPosition, Voucher, new_order_code, new_order_token
from .payment import Payment, Refund, StripeEvent
from .ticket_type import Quota, TicketType

__all__ = [
    "Badge",
    "CheckIn",
    "EventKey",
    "Order",
    "OrderNote",
    "OrderPosition",
    "Payment",
    "PrintJob",
    "Quota",
    "Refund",
    "ScanLog",
    "StripeEvent",
    "TicketType",
    "Voucher",
    "new_order_code",
    "new_order_token",
]
