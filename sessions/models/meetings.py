"""Connect: curated one-to-one meetings between participants (issue #20).

A participant's MeetingProfile is off until they publish it and give the
"meetings" consent (events.consent); without an active consent nobody sees it.
MeetingRules are the organizers' per-event rules (who may request whom, caps,
length), with the windows meetings may take place in and the places (a place
holds `tables` meetings at once).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.enums import Category
from events.models import Event, Participant, localized

from ..enums import OPEN_REQUEST_STATES, MeetingRequestStatus

BIO_MAX_LENGTH = 600
TOPICS_MAX_LENGTH = 200
MESSAGE_MAX_LENGTH = 300

# The examples of issue #20: businesses meet creators, platforms meet regulators, KOLs meet platforms.
DEFAULT_PAIRS = [
    [Category.BUSINESS.value, Category.KOL.value],
    [Category.PLATFORM.value, Category.REGULATOR.value],
    [Category.KOL.value, Category.PLATFORM.value],
]


def default_pairs():
    return [list(pair) for pair in DEFAULT_PAIRS]


def default_opt_in_categories():
    return [Category.REGULATOR.value]


class MeetingProfile(models.Model):
    """What a participant shows others to be asked for a meeting; never their e-mail or phone."""

    # CASCADE: the profile goes with the erasure of the participant (Decree 356/2025).
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="meeting_profile", verbose_name=_("participant")
    )
    bio = models.TextField(_("short introduction"), max_length=BIO_MAX_LENGTH, blank=True)
    topics = models.CharField(_("topics"), max_length=TOPICS_MAX_LENGTH, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    published = models.BooleanField(_("published"), default=False)
    listed = models.BooleanField(
        _("shown in the list"),
        default=True,
        help_text=_("For categories the organizers list only on request (regulators): shown only when ticked."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting profile")
        verbose_name_plural = _("meeting profiles")

    def __str__(self):
        return str(self.participant)

    @property
    def topic_list(self):
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]


class MeetingRules(models.Model):
    """The organizers' rules for one event's meetings, edited in the admin."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="meeting_rules", verbose_name=_("event"))
    open = models.BooleanField(_("meetings open"), default=False, help_text=_("Participants may send requests."))
    # [[sender category, recipient category], ...]: who may ask whom.
    pairs = models.JSONField(_("who may request whom"), default=default_pairs, blank=True)
    opt_in_categories = models.JSONField(
        _("categories listed only on request"), default=default_opt_in_categories, blank=True
    )
    requests_per_person = models.PositiveSmallIntegerField(
        _("requests per person"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Open and accepted requests one person may have sent at a time."),
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), default=20, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )

    class Meta:
        verbose_name = _("meeting rules")
        verbose_name_plural = _("meeting rules")
        constraints = [
            models.CheckConstraint(condition=Q(meeting_minutes__gte=5), name="meeting_at_least_5_minutes"),
        ]

    def __str__(self):
        return str(self.event)

    def allows(self, sender_category, recipient_category):
        return [sender_category, recipient_category] in self.pairs


class MeetingWindow(models.Model):
    """A time meetings may take place in; a meeting never overlaps a person's own sessions."""

    rules = models.ForeignKey(MeetingRules, on_delete=models.CASCADE, related_name="windows", verbose_name=_("rules"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("meeting window")
        verbose_name_plural = _("meeting windows")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_window_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.starts_at:%d/%m %H:%M}–{self.ends_at:%H:%M}"

    def clean(self):
        # The admin's words before the database's CheckConstraint would refuse it with an error page.
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A meeting window ends after it starts.")})


class MeetingPlace(models.Model):
    """A meeting area: `tables` one-to-one meetings can be held there at the same time."""

    rules = models.ForeignKey(MeetingRules, on_delete=models.CASCADE, related_name="places", verbose_name=_("rules"))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    tables = models.PositiveSmallIntegerField(
        _("tables"), default=1, validators=[MinValueValidator(1)], help_text=_("Meetings held there at once.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(tables__gte=1), name="meeting_place_has_a_table")]

    def __str__(self):
        return self.name_vi

    @property
    def name(self):
        return localized(self, "name")


class MeetingRequest(models.Model):
    """One participant asking another for a one-to-one meeting, with a short message."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests", verbose_name=_("event"))
    # CASCADE: requests and their messages go with an erasure (Decree 356/2025).
    sender = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="meeting_requests_sent", verbose_name=_("from")
    )
    recipient = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="meeting_requests_received", verbose_name=_("to")
    )
    message = models.CharField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingRequestStatus.choices, default=MeetingRequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "pk"]
        constraints = [
            # One open or accepted request per pair and direction, whatever races above it.
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=OPEN_REQUEST_STATES),
                name="one_open_meeting_request_per_pair",
            ),
            models.CheckConstraint(condition=~Q(sender=F("recipient")), name="meeting_request_to_someone_else"),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        return f"{self.sender} → {self.recipient}"


class Meeting(models.Model):
    """An accepted request placed at a table of a place for one slot."""

    request = models.OneToOneField(
        MeetingRequest, on_delete=models.CASCADE, related_name="meeting", verbose_name=_("request")
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event"))
    place = models.ForeignKey(MeetingPlace, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("place"))
    table = models.PositiveSmallIntegerField(_("table"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "place", "table"]
        constraints = [
            # A table holds one meeting per slot: the database refuses a double booking.
            models.UniqueConstraint(
                fields=["place", "table", "starts_at"],
                condition=Q(cancelled_at__isnull=True),
                name="one_meeting_per_table_and_slot",
            ),
            models.CheckConstraint(condition=Q(table__gte=1), name="meeting_table_from_1"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.request} · {self.starts_at:%d/%m %H:%M}"


class MeetingHold(models.Model):
    """A person's slot taken by a meeting: the database refuses a person in two meetings at once.

    Both people of a meeting get one; cancelling deletes them. Slots start on the
    grid of the meeting windows, so equal starts are what clashes. It also records
    whether that person came (checked_in_at).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="holds", verbose_name=_("meeting"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="meeting_holds", verbose_name=_("participant")
    )
    starts_at = models.DateTimeField(_("starts at"))
    # Attendance, per person: set by the meeting area's desk when their badge is scanned
    # (sessions.meetings.desk). Still empty once the slot has ended: a no-show.
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        verbose_name = _("person's meeting slot")
        verbose_name_plural = _("people's meeting slots")
        constraints = [
            models.UniqueConstraint(fields=["participant", "starts_at"], name="one_meeting_per_person_and_slot")
        ]

    def __str__(self):
        return f"{self.participant} · {self.starts_at:%d/%m %H:%M}"
