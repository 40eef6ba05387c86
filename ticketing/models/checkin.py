"""Door check-in: one admission per participant and door, and a log of every scan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import ApiToken, Event, Participant

from ..enums import ScanResult

# session_id 0 is the event's main door; another value is an agenda session's id
# (an integer, not a foreign key: ticketing does not import the sessions app).
WHOLE_EVENT = 0


class CheckIn(models.Model):
    """A participant admitted through a door. Undoing sets undone_at/undone_by; rows are never deleted."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("event"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("participant")
    )
    session_id = models.PositiveIntegerField(_("agenda session"), default=WHOLE_EVENT)
    gate = models.CharField(_("gate"), max_length=64)
    checked_in_at = models.DateTimeField(_("checked in at"))
    # At a session door: admitted on a seat reservation (not counted against the walk-in seats).
    by_reservation = models.BooleanField(_("on a seat reservation"), default=False)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked in by")
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            # Exactly once: at most one admission that is not undone per participant and door.
            models.UniqueConstraint(
                fields=["participant", "session_id"],
                condition=models.Q(undone_at__isnull=True),
                name="one_active_check_in_per_door",
            )
        ]
        indexes = [models.Index(fields=["event", "checked_in_at"])]

    def __str__(self):
        return f"{self.participant_id} @ {self.gate}"


class ScanLog(models.Model):
    """Every scan, accepted or not: who, with which device, at which gate, when, what and the verdict."""

    CODE_LENGTH = 200

    scanned_at = models.DateTimeField(_("scanned at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("scanned by")
    )
    device = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("device")
    )
    gate = models.CharField(_("gate"), max_length=64)
    session_id = models.PositiveIntegerField(_("agenda session"), default=WHOLE_EVENT)
    code = models.CharField(_("code"), max_length=CODE_LENGTH)
    result = models.CharField(_("result"), max_length=24, choices=ScanResult.choices)
    event_id_claimed = models.PositiveIntegerField(_("event in the code"), null=True, blank=True)
    participant_id_claimed = models.PositiveIntegerField(_("participant in the code"), null=True, blank=True)
    # Judged in the browser while the network was down, sent later through the sync endpoint.
    offline = models.BooleanField(_("scanned offline"), default=False)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-scanned_at"]

    def __str__(self):
        return f"{self.scanned_at:%H:%M:%S} {self.gate} {self.result}"


class OfflineScan(models.Model):
    """A scan a device judged offline and sent later; (device, client id) is unique so a resent batch applies once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", verbose_name=_("event"))
    device_id = models.CharField(_("device"), max_length=64)
    client_id = models.UUIDField(_("scan id on the device"))
    scanned_at = models.DateTimeField(_("scanned at"))
    gate = models.CharField(_("gate"), max_length=64)
    session_id = models.PositiveIntegerField(_("agenda session"), default=WHOLE_EVENT)
    # What the device showed at the door, and what the server made of it on sync.
    offline_result = models.CharField(_("result on the device"), max_length=24, choices=ScanResult.choices)
    result = models.CharField(_("result"), max_length=24, choices=ScanResult.choices, blank=True)
    conflict = models.BooleanField(_("conflict"), default=False)
    check_in = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("admission")
    )
    scan_log = models.OneToOneField(
        ScanLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("scan")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("scanned by")
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offline scan")
        verbose_name_plural = _("offline scans")
        constraints = [
            models.UniqueConstraint(fields=["device_id", "client_id"], name="one_offline_scan_per_device_and_id")
        ]

    def __str__(self):
        return f"{self.device_id}/{self.client_id}"


class CheckInConflict(models.Model):
    """A badge admitted offline at a door while it already had an admission elsewhere: two people, or one twice.

    The first admission stands (it is the CheckIn); the second is only recorded
    here so organizers can look into it on the live arrivals page.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", verbose_name=_("event"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    session_id = models.PositiveIntegerField(_("agenda session"), default=WHOLE_EVENT)
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="+", verbose_name=_("admission"))
    first_gate = models.CharField(_("first gate"), max_length=64)
    first_at = models.DateTimeField(_("first admitted at"))
    first_device = models.CharField(_("first device"), max_length=64, blank=True)
    second_gate = models.CharField(_("second gate"), max_length=64)
    second_at = models.DateTimeField(_("second admitted at"))
    second_device = models.CharField(_("second device"), max_length=64)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("second admitted by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # An organizer has looked into it (who was the second person?) and says what they found.
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        verbose_name = _("check-in conflict")
        verbose_name_plural = _("check-in conflicts")
        indexes = [models.Index(fields=["event", "recorded_at"])]

    def __str__(self):
        return f"{self.participant_id}: {self.first_gate} / {self.second_gate}"
