"""Rooms of the venue that sessions take place in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, localized


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event"))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Seats in the room."))
    location = models.CharField(_("floor / location"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Order of the columns."))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name_vi

    @property
    def name(self):
        return localized(self, "name")
