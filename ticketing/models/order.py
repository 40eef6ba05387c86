"""Orders, the passes in them, and voucher codes."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Participant

from ..enums import DiscountKind, OrderSource, OrderStatus
from .ticket_type import TicketType

# No 0/O/1/I: the reference is typed into a banking app's transfer message.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_order_code():
    return "KOL" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


def new_order_token():
    return secrets.token_urlsafe(24)


class Voucher(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="vouchers", verbose_name=_("event"))
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("discount kind"), max_length=8, choices=DiscountKind.choices)
    value = models.PositiveBigIntegerField(_("value"), help_text=_("Percent (1–100) or whole đồng."))
    ticket_types = models.ManyToManyField(
        TicketType,
        blank=True,
        related_name="vouchers",
        verbose_name=_("ticket types"),
        help_text=_("Empty means every paid ticket type."),
    )
    max_usages = models.PositiveIntegerField(_("maximum uses"), default=1)
    times_used = models.PositiveIntegerField(_("times used"), default=0, editable=False)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["event", "code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="one_voucher_code_per_event"),
            models.CheckConstraint(condition=Q(times_used__lte=F("max_usages")), name="voucher_within_limit"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__gte=1, value__lte=100), name="voucher_percent_range"
            ),
        ]

    def __str__(self):
        return self.code

    def is_valid_at(self, now):
        return (self.valid_from is None or self.valid_from <= now) and (
            self.valid_until is None or now < self.valid_until
        )

    def discount_for(self, price):
        """The discount in đồng on one pass of this price (never more than the price)."""
        if self.kind == DiscountKind.PERCENT:
            return price * self.value // 100
        return min(self.value, price)


class Order(models.Model):
    """One purchase (or one free issue): several passes, one payment, one receipt."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="orders", verbose_name=_("event"))
    code = models.CharField(_("reference"), max_length=16, unique=True, default=new_order_code)
    # The buyer's secret: opens the order page and reads the order through the API.
    token = models.CharField(_("access token"), max_length=64, unique=True, default=new_order_token, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    source = models.CharField(_("source"), max_length=16, choices=OrderSource.choices, default=OrderSource.PURCHASE)
    buyer = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders", verbose_name=_("buyer")
    )
    buyer_name = models.CharField(_("buyer name"), max_length=120)
    buyer_email = models.EmailField(_("buyer e-mail"))
    buyer_organization = models.CharField(_("organization"), max_length=200, blank=True)
    buyer_tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=2, default="vi")
    voucher = models.ForeignKey(
        Voucher, on_delete=models.PROTECT, null=True, blank=True, related_name="orders", verbose_name=_("voucher")
    )
    subtotal = models.PositiveBigIntegerField(_("subtotal (VND)"), default=0)
    discount = models.PositiveBigIntegerField(_("discount (VND)"), default=0)
    total = models.PositiveBigIntegerField(_("total (VND)"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the buyer proved their e-mail and the order took its seats (None while unconfirmed).
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The buyer chose to pay by bank transfer: the order then holds its seats longer (services.orders).
    transfer_chosen_at = models.DateTimeField(_("bank transfer chosen at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    receipt_sent_at = models.DateTimeField(_("receipt e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(total=F("subtotal") - F("discount")), name="order_total_adds_up"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return self.code

    @property
    def is_pending(self):
        return self.status == OrderStatus.PENDING

    @property
    def is_unconfirmed(self):
        return self.status == OrderStatus.UNCONFIRMED


class OrderPosition(models.Model):
    """One pass: a seat of one ticket type for one named attendee."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="positions", verbose_name=_("order"))
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="positions", verbose_name=_("ticket type")
    )
    price = models.PositiveBigIntegerField(_("price (VND)"))
    attendee_name = models.CharField(_("attendee"), max_length=120)
    attendee_email = models.EmailField(_("attendee e-mail"))
    attendee_title = models.CharField(_("title / position"), max_length=150, blank=True)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="passes",
        verbose_name=_("participant"),
    )

    class Meta:
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.order.code} · {self.attendee_name}"


class OrderNote(models.Model):
    """What happened to an order and who did it (audit trail shown in the admin)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notes", verbose_name=_("order"))
    action = models.CharField(_("action"), max_length=64)
    detail = models.TextField(_("detail"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("order history entry")
        verbose_name_plural = _("order history")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.action
