"""Money received and given back, and the Stripe events already processed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import PaymentProvider, PaymentState
from .order import Order


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("order"))
    provider = models.CharField(_("method"), max_length=16, choices=PaymentProvider.choices)
    state = models.CharField(_("state"), max_length=16, choices=PaymentState.choices, default=PaymentState.CONFIRMED)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    # Stripe's PaymentIntent id, or the bank's transaction reference.
    external_id = models.CharField(_("provider reference"), max_length=120, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_at"]
        constraints = [
            # One provider payment is recorded once, however often its webhook arrives.
            models.UniqueConstraint(
                fields=["provider", "external_id"], condition=~models.Q(external_id=""), name="one_record_per_payment"
            ),
        ]

    def __str__(self):
        return f"{self.order.code} · {self.amount:,}".replace(",", ".")


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment"))
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    external_id = models.CharField(_("provider reference"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("refunded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["payment"], name="one_refund_per_payment")]

    def __str__(self):
        return f"{self.payment} ↩"


class StripeEvent(models.Model):
    """A webhook event id already handled: a redelivery is acknowledged and skipped."""

    event_id = models.CharField(_("Stripe event ID"), max_length=120, unique=True)
    type = models.CharField(_("event type"), max_length=80)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
