"""States and kinds of the ticketing app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BadgeLayout(models.TextChoices):
    SINGLE = "single", _("One badge per page (90 × 130 mm)")
    SHEET = "sheet", _("A4 sheets, four badges with crop marks")


class PrintJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class OrderStatus(models.TextChoices):
    # Placed by someone who has not yet proved the buyer's e-mail: it holds no seat until confirmed.
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    PENDING = "pending", _("Pending payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    EXPIRED = "expired", _("Expired")


# Orders in these states hold their seats in the quotas; the others never took them or gave them back.
HOLDING_SEATS = (OrderStatus.PENDING, OrderStatus.PAID)
# Orders a buyer has open: counted against the cap on open unpaid orders.
OPEN_UNPAID = (OrderStatus.UNCONFIRMED, OrderStatus.PENDING)


class DiscountKind(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    FIXED = "fixed", _("Fixed amount (VND)")


class PaymentProvider(models.TextChoices):
    STRIPE = "stripe", _("Card (Stripe)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer (VietQR)")
    FREE = "free", _("Free")


class PaymentState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    REFUNDED = "refunded", _("Refunded")
    # Money arrived for an order that could not be (re)issued: an organizer refunds it.
    NEEDS_REFUND = "needs_refund", _("Needs refund")


class OrderSource(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    APPROVAL = "approval", _("Issued on approval")


class ScanResult(models.TextChoices):
    """What a door scan answers (the scan API's stable `result` values), plus `undone` in the scan log."""

    ADMITTED = "admitted", _("Admitted")
    ALREADY_CHECKED_IN = "already_checked_in", _("Already checked in")
    INVALID = "invalid", _("Invalid badge")
    REVOKED = "revoked", _("Revoked badge")
    WRONG_EVENT = "wrong_event", _("Wrong event")
    NOT_ALLOWED = "not_allowed", _("No valid ticket")
    NOT_OPEN = "not_open", _("Check-in not open")
    NO_SEAT = "no_seat", _("No seat")
    # At a badge desk that only prints: the badge went to the printer, nobody was admitted.
    PRINTED = "printed", _("Badge printed")
    UNDONE = "undone", _("Admission undone")


class BankFeed(models.TextChoices):
    """Where a line about money on the organizers' bank account came from."""

    SEPAY = "sepay", _("SePay webhook")
    CASSO = "casso", _("Casso webhook")
    STATEMENT = "statement", _("Bank statement")


class TransferOutcome(models.TextChoices):
    """What a received bank credit did: only `paid` and `already_recorded` need nobody."""

    PAID = "paid", _("Paid the order")
    ALREADY_RECORDED = "already_recorded", _("Already recorded")
    NEEDS_REFUND = "needs_refund", _("Needs refund")
    UNKNOWN_REFERENCE = "unknown_reference", _("No order reference")


# Outcomes an organizer must look at (the review list).
NEEDS_REVIEW = (TransferOutcome.NEEDS_REFUND, TransferOutcome.UNKNOWN_REFERENCE)


class DeskMode(models.TextChoices):
    """What a badge desk does with a person's first scan (chosen per gate on the scanner page)."""

    ADMIT_AND_PRINT = "admit", _("Admit and print the badge")
    PRINT_ONLY = "print", _("Only print the badge")


class DeskPrintState(models.TextChoices):
    QUEUED = "queued", _("Sent to the printer queue")
    SENT = "sent", _("Printed")
    FAILED = "failed", _("Printer failed")


class WaitingStatus(models.TextChoices):
    """Where someone on the waiting list for a sold-out pass stands (ticketing.services.waitlist)."""

    # Joined without proof of the address: not in line until the e-mailed link is opened.
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    WAITING = "waiting", _("In line")
    # A freed seat is held for them until the offer's deadline.
    OFFERED = "offered", _("Offered a pass")
    BOUGHT = "bought", _("Ordered the offered pass")
    LAPSED = "lapsed", _("Offer or confirmation lapsed")
    LEFT = "left", _("Left the list")


# Entries that keep a place in line (one per person and ticket type).
IN_LINE = (WaitingStatus.UNCONFIRMED, WaitingStatus.WAITING, WaitingStatus.OFFERED)
