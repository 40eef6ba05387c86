"""Tracks: the topics sessions belong to (misinformation, legal framework…)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, localized


class Track(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("event"))
    slug = models.SlugField(_("short name"), max_length=60)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    color = models.CharField(
        _("colour"),
        max_length=7,
        default="#0b4f8a",
        help_text=_("Hex colour, e.g. #0b4f8a."),
        # Served in a stylesheet (tracks.css), so only a plain hex colour may get through.
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #0b4f8a."))],
    )

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["event", "slug"], name="one_track_slug_per_event")]

    def __str__(self):
        return self.name_vi

    @property
    def name(self):
        return localized(self, "name")
