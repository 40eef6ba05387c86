"""Bearer tokens for scripts and scanner devices."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..permissions import TOKEN_SCOPES


class ApiToken(models.Model):
    """A bearer token for scripts and scanner devices, acting as its user within its scopes.

    Only a SHA-256 of the secret is stored; the secret is shown once when issued.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. the device or script using it."))
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_sha256 = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    # A scanner device works for one event: its scans judge badges of that event only.
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("event"),
        help_text=_("For a scanner device: the only event it may scan for. Empty: not bound to an event."),
    )
    # A scanner device's door, shown to organizers; the scan itself names its gate.
    gate = models.CharField(_("gate"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def clean(self):
        unknown = sorted(set(self.scopes or []) - TOKEN_SCOPES) if isinstance(self.scopes, list) else ["?"]
        if unknown:
            raise ValidationError(
                {
                    "scopes": _("Unknown scope: %(unknown)s. Known scopes: %(known)s.")
                    % {"unknown": ", ".join(map(str, unknown)), "known": ", ".join(sorted(TOKEN_SCOPES))}
                }
            )
