"""Emergency and protective measures of a case and their breaches."""
from __future__ import annotations

from django.db import models
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import CourtDecision, EmergencyMeasureKind, ProtectiveMeasureKind
from ..querysets import CaseChildManager
from .case import Case
from .common import INSTITUTION, User


class EmergencyMeasure(TenantScopedModel):
    """A 48-hour emergency measure with its extension deadlines (prosecutor 24 h, court 24 h, 30 days)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_measures")
    kind = models.CharField(_("measure"), max_length=16, choices=EmergencyMeasureKind.choices)
    order_number = models.CharField(_("order number"), max_length=40)
    ordered_by = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("ordered by"))
    delivered_at = models.DateTimeField(_("delivered"))
    expires_at = models.DateTimeField(_("expires"))
    extension_proposal_due = models.DateTimeField(_("extension proposal due"))
    extension_proposed_at = models.DateTimeField(_("extension proposed"), null=True, blank=True)
    court_decision_due = models.DateTimeField(_("court decision due"), null=True, blank=True)
    court_decided_at = models.DateTimeField(_("court decided"), null=True, blank=True)
    court_decision = models.CharField(
        _("court decision"), max_length=12, choices=CourtDecision.choices, default=CourtDecision.PENDING
    )
    extended_until = models.DateTimeField(_("extended until"), null=True, blank=True)
    appeal_due = models.DateTimeField(_("appeal due"), null=True, blank=True)
    appeal_filed_at = models.DateTimeField(_("appeal filed"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("emergency measure")
        verbose_name_plural = _("emergency measures")
        ordering = ["-delivered_at"]
        indexes = [
            models.Index(fields=["municipality", "expires_at"], name="emergency_mun_expires"),
            models.Index(fields=["municipality", "case"], name="emergency_mun_case"),
            # The work queue's measures: each of its conditions needs the later of the two ends in the
            # future, which only the few measures in force (or just extended) have at national scale.
            models.Index(F("municipality"), Greatest("expires_at", "extended_until"), name="emergency_mun_live"),
        ]


class MeasureBreach(TenantScopedModel):
    """A breach of an emergency or protective measure (an offence)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="breaches")
    emergency_measure = models.ForeignKey(EmergencyMeasure, on_delete=models.CASCADE, null=True, blank=True, related_name="breaches")
    protective_measure = models.ForeignKey("ProtectiveMeasure", on_delete=models.CASCADE, null=True, blank=True, related_name="breaches")
    occurred_at = models.DateTimeField(_("occurred"))
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["municipality", "case"], name="breach_mun_case")]


class ProtectiveMeasure(TenantScopedModel):
    """A Family Law art. 198 protective measure: up to one year, renewable."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="protective_measures")
    kind = models.CharField(_("measure"), max_length=16, choices=ProtectiveMeasureKind.choices)
    court = models.CharField(_("court"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    distance_m = models.PositiveIntegerField(_("distance (metres)"), null=True, blank=True)
    renewed_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("protective measure")
        verbose_name_plural = _("protective measures")
        ordering = ["-decision_date"]
        indexes = [
            models.Index(fields=["municipality", "valid_until"], name="protective_mun_until"),
            models.Index(fields=["municipality", "case"], name="protective_mun_case"),
        ]
