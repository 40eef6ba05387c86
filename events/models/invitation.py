"""Invitation codes that let regulators and platforms register."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import Category
from .event import Event


def new_invitation_code():
    # No 0/O/1/I: codes are read aloud and typed from printed letters.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Invitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("event"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    code = models.CharField(_("code"), max_length=32, unique=True, default=new_invitation_code)
    max_uses = models.PositiveIntegerField(_("maximum uses"), default=1)
    uses = models.PositiveIntegerField(_("uses"), default=0, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Whom the code was given to."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation code")
        verbose_name_plural = _("invitation codes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(uses__lte=F("max_uses")), name="invitation_uses_within_limit"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()
