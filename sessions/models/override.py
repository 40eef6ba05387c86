"""The record of an organizer saving a session despite its conflicts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .session import Session


class ConflictOverride(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("session"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("overridden by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    # [{"code": "room_double_booked", "message": "...", "other_session": 12}, ...]
    conflicts = models.JSONField(_("conflicts"))

    class Meta:
        verbose_name = _("conflict override")
        verbose_name_plural = _("conflict overrides")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.session} · {self.by} · {self.at:%Y-%m-%d %H:%M}"
