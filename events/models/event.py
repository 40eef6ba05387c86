"""The event: a conference or seminar people register for."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import EventStatus
from .text import localized


class Event(models.Model):
    slug = models.SlugField(_("short name"), unique=True, help_text=_("Used in addresses, e.g. kol-2026."))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT)
    registration_open = models.BooleanField(_("registration open"), default=True)
    retention_days = models.PositiveIntegerField(
        _("keep personal data for (days after the last day)"),
        null=True,
        blank=True,
        help_text=_("Empty: the site-wide default (PERSONAL_DATA_RETENTION_DAYS)."),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="event_ends_after_start"),
        ]

    def __str__(self):
        return self.name_vi

    @property
    def name(self):
        return localized(self, "name")

    @property
    def description(self):
        return localized(self, "description")

    @property
    def accepts_registrations(self):
        return self.status == EventStatus.PUBLISHED and self.registration_open
