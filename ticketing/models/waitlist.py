"""The waiting list for sold-out passes: one row per person in line for a ticket type."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Participant

from ..enums import IN_LINE, WaitingStatus
from .order import Order, new_order_token
from .ticket_type import TicketType


class WaitingListEntry(models.Model):
    """Someone waiting for a pass of a sold-out ticket type.

    The line is ordered by `confirmed_at` (when the address was proven), then id.
    An entry with status `offered` holds one pass's seats in the quotas until
    `offer_expires_at` (ticketing.services.waitlist); `token` is the secret of
    the e-mailed link that confirms the place, shows the offer and buys it.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="waiting_list", verbose_name=_("event"))
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="waiting_list", verbose_name=_("ticket type")
    )
    # Set when they joined signed in through their personal link (their address proven by it).
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("participant")
    )
    name = models.CharField(_("name"), max_length=120)
    # Blank once they left the list: leaving withdraws the consent to keep it (Law 91/2025).
    email = models.EmailField(_("e-mail"), blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, default="vi")
    status = models.CharField(
        _("status"), max_length=12, choices=WaitingStatus.choices, default=WaitingStatus.UNCONFIRMED
    )
    token = models.CharField(_("access token"), max_length=64, unique=True, default=new_order_token, editable=False)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("in line since"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    order = models.ForeignKey(
        Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("order")
    )

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["event", "confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_type", "email"],
                condition=Q(status__in=IN_LINE),
                name="one_place_in_line_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status=WaitingStatus.OFFERED) | Q(offer_expires_at__isnull=False),
                name="offer_has_a_deadline",
            ),
        ]
        indexes = [models.Index(fields=["status", "offer_expires_at"])]

    def __str__(self):
        return f"{self.ticket_type} · {self.name}"
