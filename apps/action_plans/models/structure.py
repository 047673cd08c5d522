"""The plan's structure: specific goals -> measures -> activities, indicators, progress reports."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import ActivityStatus, EventKind
from ..querysets import ActivityManager, ActivityRowManager, PlanChildManager
from .plans import Plan

AMOUNT = {"max_digits": 16, "decimal_places": 2}


class Goal(TenantScopedModel):
    """A specific goal under the plan's general goal."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("specific goal"), max_length=500)

    objects = PlanChildManager()

    class Meta:
        verbose_name = _("specific goal")
        verbose_name_plural = _("specific goals")
        ordering = ["number", "id"]
        indexes = [models.Index(fields=["municipality", "plan"], name="ap_goal_mun_plan")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Measure(TenantScopedModel):
    """A measure serving a specific goal, linked to a programme activity of the budget."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan"))
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures", verbose_name=_("specific goal"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("measure"), max_length=500)
    programme_activity = models.CharField(
        _("programme activity or project"), max_length=12, blank=True, help_text=_("e.g. 0901-0001 or 0901-P1"),
    )

    objects = PlanChildManager()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["number", "id"]
        indexes = [models.Index(fields=["municipality", "plan"], name="ap_measure_mun_plan")]

    def __str__(self):
        return f"{self.goal.number}.{self.number} {self.title}" if self.goal_id else self.title


class Activity(TenantScopedModel):
    """An activity of a measure: owner institution, partners, responsible person, dates, status.

    ``event_kind`` marks a training, round table, campaign or other event; ``event_ref`` is the link
    point for the programme-events app (the id of its event, set through ``hooks.event_links``): this
    app never imports it.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="activities", verbose_name=_("measure"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("activity"), max_length=500)
    owner_institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner institution"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("responsible person"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    event_kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices, default=EventKind.NONE, blank=True)
    event_ref = models.BigIntegerField(_("programme event"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    ACTIVITY_PATH = ""

    objects = ActivityManager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["number", "id"]
        indexes = [
            models.Index(fields=["municipality", "plan"], name="ap_activity_mun_plan"),
            models.Index(fields=["municipality", "owner_institution", "ends_on"], name="ap_activity_mun_owner"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("action_plans:activity_detail", kwargs={"pk": self.pk})

    def is_late(self, today=None) -> bool:
        """Past its end and not done or cancelled (or marked late)."""
        today = today or timezone.localdate()
        if self.status == ActivityStatus.LATE:
            return True
        return self.status in (ActivityStatus.PLANNED, ActivityStatus.UNDER_WAY) and self.ends_on < today


class ActivityPartner(TenantScopedModel):
    """A partner institution of an activity."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="partners", verbose_name=_("activity"))
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution"),
    )

    objects = ActivityRowManager()

    class Meta:
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "activity", "institution"], name="ap_partner_unique"),
        ]


class Indicator(TenantScopedModel):
    """A performance indicator of a specific goal or a measure."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan"))
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators", verbose_name=_("specific goal"),
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators", verbose_name=_("measure"),
    )
    name = models.CharField(_("indicator"), max_length=500)
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    source = models.CharField(_("source of verification"), max_length=250)

    objects = PlanChildManager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["id"]
        indexes = [models.Index(fields=["municipality", "plan"], name="ap_indicator_mun_plan")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(goal__isnull=False, measure__isnull=True) | models.Q(goal__isnull=True, measure__isnull=False),
                name="ap_indicator_goal_or_measure",
            ),
        ]

    def __str__(self):
        return self.name


class IndicatorTarget(TenantScopedModel):
    """The target value of an indicator for one year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator"))
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    objects = PlanChildManager()

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "indicator", "year"], name="ap_target_unique"),
        ]


class IndicatorValue(TenantScopedModel):
    """The actual value of an indicator in one reporting period (a quarter of a year)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator"))
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by"),
    )

    objects = PlanChildManager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "indicator", "year", "quarter"], name="ap_value_unique"),
        ]


class ProgressReport(TenantScopedModel):
    """A quarterly progress report of an activity: status, narrative and spending."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reports", verbose_name=_("activity"))
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices)
    narrative = models.TextField(_("what was done"))
    spending = models.DecimalField(_("spending in the quarter (RSD)"), **AMOUNT, default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    objects = ActivityRowManager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "activity", "year", "quarter"], name="ap_report_unique"),
        ]
