"""Risk assessments of a case (art. 16 checklist)."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import RiskLevel
from ..querysets import CaseChildManager
from .case import Case
from .common import INSTITUTION, User


class RiskAssessment(TenantScopedModel):
    """An art. 16 risk assessment: each item yes/no/unknown with a note; judgement may raise the level."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)
    assessor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor"))
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution"))
    items = models.JSONField(_("checklist"), default=dict)
    computed_level = models.CharField(_("computed level"), max_length=12, choices=RiskLevel.choices)
    level = models.CharField(_("level"), max_length=12, choices=RiskLevel.choices)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    raise_reason = models.TextField(_("why the level was raised"), blank=True)
    # Why the risk is now lower than the case's current assessment; without it a lower assessment
    # does not lower the case (services.cases.current_of).
    lower_reason = models.TextField(_("why the risk is lower"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    sent_to_prosecutor_at = models.DateTimeField(_("sent to the prosecutor"), null=True, blank=True)
    source = models.CharField(max_length=32, blank=True)  # e.g. "conference" when written back by minutes

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["municipality", "case", "-assessed_at"], name="risk_mun_case_at")]
