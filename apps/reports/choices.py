"""Choices of the reports app."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    """What a report run produces."""

    MONTHLY = "monthly", _("Monthly municipal report")


class RunStatus(models.TextChoices):
    """Where a report run is: queued, running, done or failed (with the reason)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
