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
    PENDING = "pending", _("Pending payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")
    EXPIRED = "expired", _("Expired")


# Orders in these states hold their seats in the quotas; the others gave them back.
HOLDING_SEATS = (OrderStatus.PENDING, OrderStatus.PAID)


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
    UNDONE = "undone", _("Admission undone")
