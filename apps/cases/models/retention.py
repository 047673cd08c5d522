"""Retention: the closed cases of a municipality past their retention period, proposed for
anonymisation by the beat job (a dry run), confirmed by the coordinator, then anonymised in batches."""
from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import RetentionStatus
from ..querysets import RetentionRunManager


class RetentionRun(TenantScopedModel):
    """One proposal: exactly the cases listed, closed before ``cutoff``; nothing happens before the
    coordinator confirms, and a case reopened meanwhile is left out when it runs."""

    status = models.CharField(_("status"), max_length=12, choices=RetentionStatus.choices,
                              default=RetentionStatus.PROPOSED)
    retention_years = models.PositiveSmallIntegerField(_("retention (years)"))
    cutoff = models.DateField(_("closed before"))
    case_ids = ArrayField(models.BigIntegerField(), default=list)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    anonymised = models.PositiveIntegerField(_("cases anonymised"), default=0)
    version = models.PositiveIntegerField(default=1)

    objects = RetentionRunManager()

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["municipality_id", "-created_at"]
        indexes = [models.Index(fields=["municipality", "status"], name="retention_mun_status")]

    def __str__(self):
        return f"{self.municipality_id}: {self.cutoff} ({self.get_status_display()})"
