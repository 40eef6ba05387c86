"""Credits seen on the organizers' bank account: pushed by SePay or Casso, or read from a statement."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import BankFeed, TransferOutcome
from .order import Order
from .payment import Payment


class BankTransfer(models.Model):
    """One incoming transfer as one feed reported it, and what it did.

    Unique per (feed, transaction id): a redelivered webhook or a re-imported
    statement line is recognised and changes nothing. The same transfer seen by
    two feeds (webhook, then statement) is two rows sharing one Payment, whose
    key is the bank's own reference (services.transfers).
    """

    feed = models.CharField(_("source"), max_length=16, choices=BankFeed.choices)
    transaction_id = models.CharField(_("transaction id"), max_length=120)
    bank_reference = models.CharField(_("bank reference"), max_length=120, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    content = models.CharField(_("transfer message"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("transaction time"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_transfers", verbose_name=_("order")
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("payment")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=TransferOutcome.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        verbose_name = _("bank transfer")
        verbose_name_plural = _("bank transfers")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "transaction_id"], name="one_row_per_feed_transaction"),
        ]

    def __str__(self):
        return f"{self.get_feed_display()} {self.transaction_id}"
