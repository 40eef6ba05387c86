"""Organizer e-mails to a filtered set of participants, one delivery row per recipient, and opt-outs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import CampaignKind, CampaignStatus, DeliveryStatus
from .event import Event
from .participant import Participant


class Campaign(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.MESSAGE)
    subject_vi = models.CharField(_("subject (Vietnamese)"), max_length=200)
    body_vi = models.TextField(_("message (Vietnamese)"))
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    # {"category": "kol", "status": "approved", "ticket_type": "3", "session": "12"}: keys are
    # events' own filters and those ticketing and sessions register in events.extensions.
    filters = models.JSONField(_("recipients"), default=dict, blank=True)
    essential = models.BooleanField(
        _("essential"),
        default=False,
        help_text=_("Status, payment or schedule changes: sent even to those who opted out, without an opt-out link."),
    )
    status = models.CharField(_("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    queued_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recipients_total = models.PositiveIntegerField(_("recipients"), default=0)
    sent_count = models.PositiveIntegerField(_("sent"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)

    class Meta:
        verbose_name = _("e-mail campaign")
        verbose_name_plural = _("e-mail campaigns")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The day-before reminder exists once per event, so the scheduled job can never send it twice.
            models.UniqueConstraint(
                fields=["event"], condition=Q(kind=CampaignKind.REMINDER), name="one_reminder_per_event"
            ),
        ]

    def __str__(self):
        return self.subject_vi

    def language_for(self, language):
        """The one language a reader of `language` gets: theirs when the e-mail is written in it, else Vietnamese.

        The whole message follows it (text, {event}, footer), so nobody gets Vietnamese text under an English footer.
        """
        return "en" if language == "en" and self.subject_en and self.body_en else "vi"

    def text_for(self, language):
        """(subject, body) in this language, falling back to Vietnamese where the English is empty."""
        if self.language_for(language) == "en":
            return self.subject_en, self.body_en
        return self.subject_vi, self.body_vi


class Delivery(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("e-mail campaign")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("participant")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "participant"], name="one_delivery_per_recipient"),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self):
        return f"{self.participant} · {self.get_status_display()}"


class MailOptOut(models.Model):
    """A participant who asked for no more non-essential e-mail (one click on a signed link)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="mail_opt_out", verbose_name=_("participant")
    )
    at = models.DateTimeField(_("opted out at"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")

    def __str__(self):
        return str(self.participant)
