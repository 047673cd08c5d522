"""A municipality's local action plan, the strategic documents it implements and its versions."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import ADOPTED_STATUSES, AlertKind, AmendmentKind, DocumentKind, PlanStatus
from ..querysets import PlanChildManager, PlanManager


class Plan(TenantScopedModel):
    """A local action plan for prevention of and protection from domestic violence."""

    title = models.CharField(_("title (Latin)"), max_length=250)
    title_cyrl = models.CharField(_("title (Cyrillic)"), max_length=250)
    period_from = models.PositiveSmallIntegerField(_("period from (year)"))
    period_to = models.PositiveSmallIntegerField(_("period to (year)"))
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    general_goal = models.TextField(_("general goal"), blank=True)
    consultation_from = models.DateField(_("public consultation from"), null=True, blank=True)
    consultation_until = models.DateField(_("public consultation until"), null=True, blank=True)
    decision_number = models.CharField(_("assembly decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("assembly decision date"), null=True, blank=True)
    is_published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Published plans are readable by the other municipalities on the platform."),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("coordinator"),
    )
    version = models.PositiveIntegerField(default=1)

    objects = PlanManager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_from", "id"]
        indexes = [models.Index(fields=["municipality", "-period_from"], name="ap_plan_mun_period")]

    def display_title(self, language: str | None = None) -> str:
        """The title in the script of ``language`` (default: the active language)."""
        language = (language if language is not None else get_language()) or ""
        return self.title_cyrl if language.lower().endswith("cyrl") and self.title_cyrl else self.title

    def __str__(self):
        return self.display_title()

    def get_absolute_url(self) -> str:
        return reverse("action_plans:plan_detail", kwargs={"pk": self.pk})

    @property
    def is_adopted(self) -> bool:
        return self.status in ADOPTED_STATUSES

    @property
    def years(self) -> list[int]:
        return list(range(self.period_from, self.period_to + 1))


class StrategicDocument(TenantScopedModel):
    """A strategic document the plan implements (name and reference, e.g. Sl. glasnik RS 47/2021)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documents", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    name = models.CharField(_("name"), max_length=250)
    reference = models.CharField(_("reference"), max_length=250, blank=True)

    objects = PlanChildManager()

    class Meta:
        verbose_name = _("strategic document")
        verbose_name_plural = _("strategic documents")
        ordering = ["id"]
        indexes = [models.Index(fields=["municipality", "plan"], name="ap_doc_mun_plan")]

    def __str__(self):
        return self.name


class PlanVersion(TenantScopedModel):
    """A recorded version of the plan: its adoption or an amendment (open while the changes are made)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=AmendmentKind.choices)
    reason = models.TextField(_("reason"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)

    objects = PlanChildManager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "plan", "number"], name="ap_version_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Alert(TenantScopedModel):
    """A reminder or flag already sent (so a daily job sends each one once per period)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=24, choices=AlertKind.choices)
    object_id = models.BigIntegerField(_("object id"))
    period = models.CharField(_("period"), max_length=16)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    objects = PlanChildManager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "object_id", "period"], name="ap_alert_once"),
        ]
