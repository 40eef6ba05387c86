"""Pairing a phone as a scanner device: a short one-time code an organizer shows, like pretix's device setup."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import ApiToken, Event


class DevicePairing(models.Model):
    """One pairing code: valid until expires_at, used at most once (used_at), then bound to the device it made.

    Only a SHA-256 of the code is stored; the code is shown once, on the organizer's screen.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="device_pairings", verbose_name=_("event"))
    name = models.CharField(_("device name"), max_length=100)
    gate = models.CharField(_("gate"), max_length=64, blank=True)
    code_sha256 = models.CharField(_("SHA-256 of the pairing code"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    device = models.OneToOneField(
        ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="pairing", verbose_name=_("device")
    )

    class Meta:
        verbose_name = _("device pairing")
        verbose_name_plural = _("device pairings")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name
