"""The individual protection and support plan and its measures."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import PlanMeasureKind, PlanMeasureStatus
from ..querysets import CaseChildManager
from .case import Case
from .common import INSTITUTION, User
from .persons import CasePerson

# The conditions of the work queue's partial indexes (its queries filter on exactly these lists).
OPEN_PLAN_MEASURE = (PlanMeasureStatus.PLANNED, PlanMeasureStatus.IN_PROGRESS)


class ProtectionPlan(TenantScopedModel):
    """The individual protection and support plan (art. 31)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    adopted_at = models.DateField(_("adopted"), default=timezone.localdate)
    victim_participated = models.BooleanField(_("the victim took part"), default=False)
    victim_signed = models.BooleanField(_("the victim signed the plan"), default=False)
    monitoring = models.TextField(_("how the plan is monitored and evaluated"), blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    is_active = models.BooleanField(_("current plan"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("protection and support plan")
        verbose_name_plural = _("protection and support plans")
        ordering = ["-adopted_at", "-id"]
        indexes = [models.Index(fields=["municipality", "case"], name="plan_mun_case")]


class PlanMeasure(TenantScopedModel):
    """One protection or support measure of a plan, with its owner and deadline."""

    plan = models.ForeignKey(ProtectionPlan, on_delete=models.CASCADE, related_name="measures")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_measures")
    kind = models.CharField(_("kind"), max_length=12, choices=PlanMeasureKind.choices)
    description = models.TextField(_("measure"))
    for_person = models.ForeignKey(CasePerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("for whom"))
    owner_institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("carried out by"))
    responsible_person = models.CharField(_("responsible person"), max_length=150, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=PlanMeasureStatus.choices, default=PlanMeasureStatus.PLANNED)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("plan measure")
        verbose_name_plural = _("plan measures")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["municipality", "owner_institution", "status", "deadline"], name="planmeasure_owner_due"),
            models.Index(fields=["municipality", "case"], name="planmeasure_mun_case"),
            # Open measures of an owner in deadline order (the work queue stops after a page); 95 % of
            # the rows are done and stay out of the index.
            models.Index(
                fields=["municipality", "owner_institution", "deadline", "id"],
                condition=Q(status__in=OPEN_PLAN_MEASURE),
                name="planmeasure_open_due",
            ),
        ]
