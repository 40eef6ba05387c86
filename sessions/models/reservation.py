"""An attendee's own agenda: bookmarks and seat reservations (with a waitlist)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Participant

from ..enums import ReservationStatus
from .session import Session


class Bookmark(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookmarks", verbose_name=_("session"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="bookmarks", verbose_name=_("participant")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [models.UniqueConstraint(fields=["session", "participant"], name="one_bookmark_per_session")]

    def __str__(self):
        return f"{self.participant} · {self.session}"


class Reservation(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("participant")
    )
    status = models.CharField(_("status"), max_length=16, choices=ReservationStatus.choices)
    created_at = models.DateTimeField(_("reserved at"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("promoted from the waitlist at"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat reservation")
        verbose_name_plural = _("seat reservations")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "participant"], name="one_reservation_per_session")]

    def __str__(self):
        return f"{self.participant} · {self.session} ({self.get_status_display()})"
