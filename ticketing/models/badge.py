"""Badges: the per-event signing key, each participant's badge, and bulk print jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, Participant

from ..enums import BadgeLayout, DeskPrintState, PrintJobStatus


class EventKey(models.Model):
    """The Ed25519 key pair an event signs its badge codes with (see ticketing.codes).

    The private key is stored encrypted with a key derived from SECRET_KEY and
    is never shown: not in the admin, the API, a template or a log.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="badge_key", verbose_name=_("event"))
    key_id = models.CharField(_("key id"), max_length=16, unique=True)
    public_key = models.BinaryField(_("public key"), max_length=32)
    private_key_encrypted = models.TextField(_("private key (encrypted)"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("badge signing key")
        verbose_name_plural = _("badge signing keys")

    def __str__(self):
        return f"{self.event} ({self.key_id})"

    def __repr__(self):
        # Never let the encrypted private key into a log or traceback.
        return f"<EventKey {self.key_id} event={self.event_id}>"


class Badge(models.Model):
    """A participant's badge. Its version is the revocation list: codes with an older version are void."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="badge", verbose_name=_("participant")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    code = models.CharField(_("badge code"), max_length=200, editable=False)
    # The code's QR image, drawn once when signed (the mask search is the slow part of printing).
    qr_png = models.BinaryField(_("QR image"), editable=False, default=b"")
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    reissued_at = models.DateTimeField(_("reissued at"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["participant__full_name"]

    def __str__(self):
        return f"{self.participant} v{self.version}"


class PrintJob(models.Model):
    """A bulk print of badges for a filter, built in the background into one PDF file."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="print_jobs", verbose_name=_("event"))
    category = models.CharField(_("category"), max_length=16, blank=True, help_text=_("Empty: all categories."))
    ticket_type = models.ForeignKey(
        "ticketing.TicketType",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket type"),
        help_text=_("Empty: every ticket type. Otherwise only holders of a paid pass of this type."),
    )
    only_unprinted = models.BooleanField(_("only badges not yet printed"), default=True)
    registered_since = models.DateTimeField(_("registered since"), null=True, blank=True)
    layout = models.CharField(_("layout"), max_length=8, choices=BadgeLayout.choices, default=BadgeLayout.SHEET)
    status = models.CharField(
        _("status"), max_length=8, choices=PrintJobStatus.choices, default=PrintJobStatus.QUEUED, editable=False
    )
    # Fixed when the job starts, so the chunks rendered in parallel agree on the order.
    participant_ids = models.JSONField(_("participants in print order"), default=list, editable=False)
    total = models.PositiveIntegerField(_("badges"), default=0, editable=False)
    done = models.PositiveIntegerField(_("rendered"), default=0, editable=False)
    chunks_total = models.PositiveIntegerField(_("parts"), default=0, editable=False)
    chunks_done = models.PositiveIntegerField(_("parts rendered"), default=0, editable=False)
    file = models.FileField(_("PDF file"), upload_to="print-jobs/", blank=True, editable=False)
    error = models.TextField(_("error"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("badge print job")
        verbose_name_plural = _("badge print jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.event} #{self.pk}"

    def file_exists(self):
        """Whether the finished job's PDF is still in MEDIA_ROOT (a restore or a cleanup may have lost it)."""
        return bool(self.file) and self.file.storage.exists(self.file.name)

    @property
    def progress_percent(self):
        return 100 if self.status == PrintJobStatus.DONE else (self.done * 100 // self.total if self.total else 0)


class DeskPrint(models.Model):
    """A badge printed at a badge desk on arrival: one row per print, apart from the admission (CheckIn).

    The first print of a badge version has no reason; a reprint (a lost or damaged
    badge) must say why, and is audit-logged (ticketing.badge.reprinted).
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="desk_prints", verbose_name=_("participant")
    )
    badge_version = models.PositiveIntegerField(_("badge version"))
    gate = models.CharField(_("badge desk"), max_length=64)
    printer = models.CharField(_("printer"), max_length=127, blank=True)
    reason = models.CharField(_("reason for the reprint"), max_length=200, blank=True)
    printed_at = models.DateTimeField(_("printed at"))
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("printed by")
    )
    device = models.ForeignKey(
        "events.ApiToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("device")
    )
    state = models.CharField(_("state"), max_length=8, choices=DeskPrintState.choices, default=DeskPrintState.QUEUED)
    # What CUPS said: the request id ("PDF-12") or the error.
    printer_answer = models.CharField(_("printer answer"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("badge printed at a desk")
        verbose_name_plural = _("badges printed at a desk")
        indexes = [models.Index(fields=["participant", "badge_version"])]

    def __str__(self):
        return f"{self.participant_id} v{self.badge_version} @ {self.gate}"
