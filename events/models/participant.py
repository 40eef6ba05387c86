"""Participants, their public channels and their consents."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import Category, ChannelPlatform, ConsentPurpose, Language, ParticipantStatus
from .event import Event
from .invitation import Invitation


def new_participant_token():
    return secrets.token_urlsafe(24)


class Participant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="participants", verbose_name=_("event"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    full_name = models.CharField(_("full name"), max_length=120)
    title = models.CharField(_("title / position"), max_length=150, blank=True)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("Stored in E.164, e.g. +84912345678."))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.VI)
    status = models.CharField(
        _("status"), max_length=16, choices=ParticipantStatus.choices, default=ParticipantStatus.PENDING
    )
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("invitation code"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # The owner's secret for the API ("read my registration"); never shown to others.
    token = models.CharField(
        _("personal token"), max_length=64, unique=True, default=new_participant_token, editable=False
    )
    # Personal links made at or before this nanosecond no longer open the page (events.links):
    # spending a link moves it to the link's own time, so each link works once and voids older ones.
    links_valid_after_ns = models.BigIntegerField(_("personal links valid after"), default=0, editable=False)
    # Browser sessions opened at or before this nanosecond no longer act for the participant
    # (events.links.end_sessions): an erasure request signs out every other device at once.
    sessions_valid_after_ns = models.BigIntegerField(_("sign-ins valid after"), default=0, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    anonymized_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-created_at"]
        constraints = [
            # One registration per e-mail and event; e-mails are stored lower-cased.
            models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_email"),
        ]
        indexes = [models.Index(fields=["event", "category", "status"])]

    def __str__(self):
        return self.full_name


class Channel(models.Model):
    """A KOL's public channel, shown to the organizers who vet the application."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="channels", verbose_name=_("participant")
    )
    platform = models.CharField(_("platform"), max_length=16, choices=ChannelPlatform.choices)
    handle = models.CharField(_("handle"), max_length=100)
    url = models.URLField(_("profile address"), max_length=300)
    followers = models.PositiveBigIntegerField(_("followers"))

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["-followers"]

    def __str__(self):
        return f"{self.get_platform_display()} {self.handle}"


class Consent(models.Model):
    """One purpose a participant agreed to, with the exact text version; withdrawal is a timestamp."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="consents", verbose_name=_("participant")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    text_version = models.CharField(_("text version"), max_length=32)
    text_language = models.CharField(_("language of the text"), max_length=2)
    text_sha256 = models.CharField(_("SHA-256 of the text shown"), max_length=64)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_at"]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.text_version})"

    @property
    def is_active(self):
        return self.withdrawn_at is None
