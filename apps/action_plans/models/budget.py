"""The programme budget: code lists by year, budget lines of activities and their executions (RSD)."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel, TwoScriptNameMixin

from ..choices import CodeKind
from ..querysets import ActivityRowManager, CodeManager
from .plans import Plan
from .structure import AMOUNT, Activity


class BudgetCode(TwoScriptNameMixin, models.Model):
    """One code of a national code list for one budget year (programme, programme activity or project,
    function, konto, funding source), in both scripts. Platform-wide reference data: a line keeps the
    code itself, and the names come from the list of the line's own year, so changing one year's list
    never changes another year's figures."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("list"), max_length=12, choices=CodeKind.choices)
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name (Latin)"), max_length=250)
    name_cyrl = models.CharField(_("name (Cyrillic)"), max_length=250)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("budget code")
        verbose_name_plural = _("budget codes")
        ordering = ["year", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "kind", "code"], name="ap_code_unique")]

    def __str__(self):
        return f"{self.code} {self.display_name()}"


class BudgetLine(TenantScopedModel):
    """A budget line of an activity for one year, coded like a Serbian local budget, in RSD."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("plan"))
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("activity"))
    year = models.PositiveSmallIntegerField(_("year"))
    programme = models.CharField(_("programme"), max_length=4)
    programme_activity = models.CharField(_("programme activity or project"), max_length=12)
    function = models.CharField(_("function"), max_length=3)
    konto = models.CharField(_("economic classification (konto)"), max_length=6)
    source = models.CharField(_("funding source"), max_length=2)
    donor = models.CharField(_("co-financing donor"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    planned = models.DecimalField(_("planned (RSD)"), **AMOUNT)
    amended = models.DecimalField(_("amended by rebalans (RSD)"), **AMOUNT, null=True, blank=True)
    committed = models.DecimalField(_("committed (RSD)"), **AMOUNT, default=Decimal("0"))
    version = models.PositiveIntegerField(default=1)

    ACTIVITY_PATH = "activity__"

    objects = ActivityRowManager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "programme_activity", "konto", "id"]
        indexes = [
            models.Index(fields=["municipality", "plan", "year"], name="ap_line_mun_plan"),
            models.Index(fields=["municipality", "activity"], name="ap_line_mun_activity"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(planned__gte=0), name="ap_line_planned_nonneg"),
            models.CheckConstraint(condition=models.Q(amended__gte=0) | models.Q(amended__isnull=True), name="ap_line_amended_nonneg"),
            models.CheckConstraint(condition=models.Q(committed__gte=0), name="ap_line_committed_nonneg"),
        ]

    def __str__(self):
        return f"{self.programme_activity} {self.konto} {self.source}"

    def get_absolute_url(self) -> str:
        return reverse("action_plans:activity_detail", kwargs={"pk": self.activity_id})

    @property
    def current_amount(self) -> Decimal:
        """The amount in force: the rebalans amount when there is one, else the planned amount."""
        return self.planned if self.amended is None else self.amended


class Execution(TenantScopedModel):
    """A payment against a budget line: date, document and amount (beyond the amount in force only
    with a recorded reason)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="executions", verbose_name=_("budget line"))
    executed_on = models.DateField(_("date"))
    document = models.CharField(_("document"), max_length=120)
    amount = models.DecimalField(_("amount (RSD)"), **AMOUNT)
    over_reason = models.TextField(_("reason for exceeding the amount in force"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    ACTIVITY_PATH = "line__activity__"

    objects = ActivityRowManager()

    class Meta:
        verbose_name = _("execution")
        verbose_name_plural = _("executions")
        ordering = ["executed_on", "id"]
        indexes = [models.Index(fields=["municipality", "line"], name="ap_exec_mun_line")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="ap_exec_amount_pos")]
