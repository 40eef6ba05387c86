"""Published versions of the agenda: numbered, frozen, each with its changelog."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event


class Publication(models.Model):
    """One published version of an event's agenda.

    `snapshot` is the complete public agenda at that moment (rooms, tracks,
    sessions with their people), so the public pages, the API and the exports
    read one row and never see the organizers' unpublished draft.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="publications", verbose_name=_("event"))
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    snapshot = models.JSONField(_("agenda"))
    # [{"kind": "moved", "session": uid, "title_vi": ..., "title_en": ..., "before": ..., "after": ...}]
    changelog = models.JSONField(_("changelog"), default=list)

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="one_number_per_publication")]

    def __str__(self):
        return f"{self.event} v{self.number}"
