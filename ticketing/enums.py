"""States and kinds of the ticketing app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BadgeLayout(models.TextChoices):
    SINGLE = "single", _("One badge per page (90 × 130 mm)")
    SHEET = "sheet", _("A4 sheets, four badges with crop marks")


class PrintJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
