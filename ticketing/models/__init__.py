"""Models of the ticketing app, one module per concept (tickets, orders, payments, badges, check-in, waiting list)."""

from .badge import Badge, DeskPrint, EventKey, PrintJob
from .bank import BankTransfer
from .checkin import CheckIn, CheckInConflict, OfflineScan, ScanLog
from .order import Order, OrderNote, OrderPosition, Voucher, new_order_code, new_order_token
from .pairing import DevicePairing
from .payment import Payment, Refund, StripeEvent
from .ticket_type import Quota, TicketType
from .waitlist import WaitingListEntry

__all__ = [
    "Badge",
    "BankTransfer",
    "CheckIn",
    "CheckInConflict",
    "DeskPrint",
    "DevicePairing",
    "EventKey",
    "OfflineScan",
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
    "WaitingListEntry",
    "new_order_code",
    "new_order_token",
]
