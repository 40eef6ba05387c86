"""Kinds and states of the agenda app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionFormat(models.TextChoices):
    KEYNOTE = "keynote", _("Keynote")
    PANEL = "panel", _("Panel")
    ROUNDTABLE = "roundtable", _("Roundtable")
    WORKSHOP = "workshop", _("Workshop")
    BREAK = "break", _("Break")


class SessionLanguage(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")
    BOTH = "vi-en", _("Vietnamese and English (interpreted)")


class PersonRole(models.TextChoices):
    MODERATOR = "moderator", _("Moderator")
    SPEAKER = "speaker", _("Speaker")
    PANELIST = "panelist", _("Panelist")


class ReservationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Seat reserved")
    WAITLISTED = "waitlisted", _("On the waitlist")


class ChangeKind(models.TextChoices):
    """What a publication changed about one session, as its changelog says it."""

    ADDED = "added", _("Added")
    REMOVED = "removed", _("Removed")
    MOVED = "moved", _("Moved to another room")
    RETIMED = "retimed", _("New time")
    SEATS = "seats", _("Reserved seats changed")


# Changes that people on the session or holding a seat are told about by e-mail.
NOTIFIED_CHANGES = frozenset({ChangeKind.REMOVED, ChangeKind.MOVED, ChangeKind.RETIMED})


class QuestionStatus(models.TextChoices):
    """A question from the floor: waiting for the moderator, shown to the room, hidden, or answered."""

    PENDING = "pending", _("Waiting for the moderator")
    APPROVED = "approved", _("Shown to the room")
    HIDDEN = "hidden", _("Hidden")
    ANSWERED = "answered", _("Answered")


# Questions the room sees (and may vote on, while not answered).
VISIBLE_QUESTIONS = frozenset({QuestionStatus.APPROVED, QuestionStatus.ANSWERED})


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Not opened yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class MeetingRequestStatus(models.TextChoices):
    """A meeting request: pending → accepted (a meeting placed) | declined; pending or accepted → cancelled."""

    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# A request in these states counts toward the sender's cap and blocks a second one to the same person.
OPEN_REQUEST_STATES = (MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED)
