"""Deadline reminders sent to the responsible institutions."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..querysets import CaseChildManager
from .case import Case
from .common import INSTITUTION


class Reminder(TenantScopedModel):
    """An in-app reminder (also e-mailed) about a deadline; one per object, kind and moment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    due_at = models.DateTimeField()
    stage = models.CharField(max_length=16)  # "before" or "overdue"
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id", "kind", "stage", "institution"], name="reminder_once"),
        ]
        indexes = [models.Index(fields=["municipality", "institution", "read_at"], name="reminder_mun_inst")]
