"""Sessions (keynotes, panels, roundtables…) in the organizers' working draft, and the people on them.

The rows here are always the draft; what the public sees is the latest
Publication, a frozen copy (see publication.py).
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, Participant, localized

from ..enums import PersonRole, SessionFormat, SessionLanguage
from .room import Room
from .track import Track


class Session(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event"))
    # Stable across edits and publications: iCalendar UIDs and frab GUIDs come from it,
    # so calendar apps replace an updated session instead of adding a duplicate.
    uid = models.UUIDField(_("calendar ID"), default=uuid.uuid4, unique=True, editable=False)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    abstract_vi = models.TextField(_("abstract (Vietnamese)"), blank=True)
    abstract_en = models.TextField(_("abstract (English)"), blank=True)
    format = models.CharField(_("format"), max_length=16, choices=SessionFormat.choices, default=SessionFormat.PANEL)
    language = models.CharField(
        _("language"), max_length=8, choices=SessionLanguage.choices, default=SessionLanguage.VI
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("room"))
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("track")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("reserved seats"), null=True, blank=True, help_text=_("Set only when attendees reserve seats.")
    )
    # Confirmed reservations, kept on the row so that reserving is one conditional UPDATE.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            # The last line of defence against overbooking, whatever the code above it does.
            models.CheckConstraint(
                condition=Q(capacity__isnull=True, seats_taken=0) | Q(seats_taken__lte=F("capacity")),
                name="session_seats_within_capacity",
            ),
        ]
        indexes = [models.Index(fields=["event", "starts_at"])]

    def __str__(self):
        return self.title_vi

    @property
    def title(self):
        return localized(self, "title")

    @property
    def abstract(self):
        return localized(self, "abstract")


class SessionPerson(models.Model):
    """A participant on a session as moderator, speaker or panelist."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="people", verbose_name=_("session"))
    # CASCADE: erasing a participant's data (personal data law) must not be blocked by the agenda;
    # the session just loses that person, which the builder then shows.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="agenda_roles", verbose_name=_("participant")
    )
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices, default=PersonRole.SPEAKER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("person on a session")
        verbose_name_plural = _("people on sessions")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="one_role_per_person_and_session")
        ]

    def __str__(self):
        return f"{self.participant} ({self.get_role_display()})"
