"""The reports app's tables: the summary of every municipality's figures (read by the dashboards instead
of the cases), the national summary, report runs and subscriptions."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from .choices import ReportKind, RunStatus
from .querysets import FigureQuerySet, ReportRunQuerySet, SubscriptionQuerySet


class Figure(TenantScopedModel):
    """One non-zero count of a municipality's year, with its small-number state ("" shown, "p" under 5,
    "c" hidden so that no other can be worked out); a missing cell is a zero (always under 5)."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.CharField(max_length=32)
    category = models.CharField(max_length=48, blank=True)
    period = models.CharField(max_length=3)  # "01".."12", "Q1".."Q4", "Y"
    institution_id = models.BigIntegerField(default=0)  # 0: the whole municipality
    value = models.PositiveIntegerField()
    state = models.CharField(max_length=1, blank=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [models.UniqueConstraint(
            fields=["municipality", "year", "institution_id", "unit", "category", "period"], name="figure_unique")]


class FigureRefresh(TenantScopedModel):
    """When a municipality's year was last summarised (the dashboards say how fresh their figures are)."""

    year = models.PositiveSmallIntegerField(_("year"))
    refreshed_at = models.DateTimeField(_("refreshed"))
    cells = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    objects = FigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("figure refresh")
        verbose_name_plural = _("figure refreshes")
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="figurerefresh_unique")]


class NationalFigure(models.Model):
    """One count of the national summary: all municipalities together (``place_id`` 0) or one municipality's
    total for the comparison (``place_id``), already protected for national readers. No case, no person:
    a published aggregate, so a platform table outside the tenant's row-level security."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.CharField(max_length=32)
    category = models.CharField(max_length=48, blank=True)
    period = models.CharField(max_length=3)
    place_id = models.BigIntegerField(default=0)
    value = models.PositiveIntegerField()
    state = models.CharField(max_length=1, blank=True)

    class Meta:
        verbose_name = _("national figure")
        verbose_name_plural = _("national figures")
        constraints = [models.UniqueConstraint(fields=["year", "place_id", "unit", "category", "period"],
                                               name="nationalfigure_unique")]


class ReportRun(TenantScopedModel):
    """One report of a municipality for one period: at most one per (municipality, kind, period); a failed
    one is re-run in place, a done one is never produced twice."""

    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices, default=ReportKind.MONTHLY)
    period = models.CharField(_("period"), max_length=7)  # "2026-11"
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.CharField(_("reason"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    language = models.CharField(max_length=8, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)  # the protected figures as shown; never a raw small count
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-period", "-id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "kind", "period"], name="reportrun_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period}"


class NationalReportRun(models.Model):
    """The quarterly national report (every municipality together, protected): one per quarter; a platform
    table (no case, no municipality's own figures), read by national readers."""

    period = models.CharField(_("period"), max_length=7, unique=True)  # "2026-Q3"
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.CharField(_("reason"), max_length=255, blank=True)
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("national report")
        verbose_name_plural = _("national reports")
        ordering = ["-period"]

    def __str__(self):
        return self.period


class Subscription(TenantScopedModel):
    """An official who receives an e-mail (a link, never a figure) when the monthly report is ready."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [models.UniqueConstraint(fields=["municipality", "user"], name="subscription_unique")]
