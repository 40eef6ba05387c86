"""What can be bought or is issued, and how many seats there are."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import Category
from events.models import Event, localized

from ..errors import QUOTA_OF_ANOTHER_EVENT


class Quota(models.Model):
    """A number of seats shared by the ticket types attached to it.

    `taken` is a counter changed only by conditional UPDATEs in
    ticketing.services.quotas, so it never passes `size` (also a CHECK constraint).
    A quota marked `whole_event` caps every ticket type of the event (the hall).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=100)
    size = models.PositiveIntegerField(_("seats"))
    taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    whole_event = models.BooleanField(
        _("event-wide capacity"), default=False, help_text=_("Counts every ticket of the event, whatever its type.")
    )

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["event", "name"]
        constraints = [models.CheckConstraint(condition=Q(taken__lte=F("size")), name="quota_never_oversold")]

    def __str__(self):
        return self.name

    @property
    def available(self):
        return max(self.size - self.taken, 0)


class TicketType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types", verbose_name=_("event"))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    categories = models.JSONField(
        _("participant categories"), default=list, help_text=_('Who may hold it, e.g. ["business"].')
    )
    price = models.PositiveBigIntegerField(_("price (VND)"), default=0, help_text=_("Whole đồng; 0 means free."))
    sale_start = models.DateTimeField(_("sale starts"), null=True, blank=True)
    sale_end = models.DateTimeField(_("sale ends"), null=True, blank=True)
    quotas = models.ManyToManyField(Quota, related_name="ticket_types", verbose_name=_("quotas"))
    max_per_order = models.PositiveSmallIntegerField(_("maximum per order"), default=10)
    active = models.BooleanField(_("active"), default=True)
    holder_changes_until = models.DateTimeField(
        _("attendee changes until"),
        null=True,
        blank=True,
        help_text=_(
            "Until then the buyer of a business order may hand a pass of this type to someone else "
            "(a name change). Empty: passes of this type cannot be handed on."
        ),
    )

    class Meta:
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        ordering = ["event", "price", "name_vi"]

    def __str__(self):
        return self.name_vi

    def clean(self):
        # Quotas are a many-to-many, set after save: the admin form checks the picked ones
        # (TicketTypeAdminForm); here a saved ticket type cannot move away from its quotas' event.
        if self.pk and self.event_id and self.quotas.exclude(event_id=self.event_id).exists():
            raise ValidationError({"event": QUOTA_OF_ANOTHER_EVENT})

    @property
    def name(self):
        return localized(self, "name")

    @property
    def is_free(self):
        return self.price == 0

    def category_labels(self):
        return [str(Category(value).label) for value in self.categories if value in Category.values]

    def holders_may_change(self, now=None):
        """Whether the buyer may still hand a pass of this type to someone else (ticketing.services.handover)."""
        now = now or timezone.now()
        return self.holder_changes_until is not None and now < self.holder_changes_until

    def on_sale(self, now=None):
        now = now or timezone.now()
        if not self.active:
            return False
        return (self.sale_start is None or self.sale_start <= now) and (self.sale_end is None or now < self.sale_end)
