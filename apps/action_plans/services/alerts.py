"""Reminders and flags of the plans in force (a daily Celery beat job, idempotent): the owners of an
activity are reminded 7 days before its quarterly progress report is due; the plan's coordinator is
told of activities that are late and of indicators off track. Each is sent once per period (``Alert``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import AlertKind, PlanStatus
from ..models import Activity, Alert, Indicator, ProgressReport
from ..selectors.plans import (
    OPEN_STATUSES,
    REMIND_DAYS,
    indicator_status,
    last_closed_quarter,
    quarter_end,
    report_due,
)

IN_FORCE = (PlanStatus.ADOPTED, PlanStatus.IMPLEMENTATION)


@dataclass
class AlertRun:
    created: int = 0
    emails: int = 0
    by_user: dict = field(default_factory=dict)


def _claim(run: AlertRun, *, user, plan, kind: str, object_id: int, period: str, line: dict) -> None:
    """Record the alert once (a second run finds it and sends nothing) and queue it for the user."""
    if user is None or not user.is_active or not user.email:
        return
    try:
        with transaction.atomic():
            Alert.objects.create(municipality_id=plan.municipality_id, plan=plan, kind=kind, object_id=object_id, period=period)
    except IntegrityError:
        return
    run.created += 1
    run.by_user.setdefault(user.pk, (user, []))[1].append({"kind": kind, **line})


def _url(name: str, pk: int) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + reverse(name, kwargs={"pk": pk})


@transaction.atomic
def alerts_send(*, today: date | None = None) -> AlertRun:
    """Send what is due today; safe to run as often as wanted."""
    today = today or timezone.localdate()
    run = AlertRun()
    year, quarter = last_closed_quarter(today)
    due = report_due(year, quarter)
    activities = list(
        Activity.objects.filter(plan__status__in=IN_FORCE, status__in=OPEN_STATUSES)
        .select_related("plan", "plan__coordinator", "responsible")
    )
    if due - timedelta(days=REMIND_DAYS) <= today <= due:
        reported = set(ProgressReport.objects.filter(year=year, quarter=quarter).values_list("activity_id", flat=True))
        for activity in activities:
            if activity.pk in reported or activity.starts_on > quarter_end(year, quarter):
                continue
            _claim(run, user=activity.responsible or activity.plan.coordinator, plan=activity.plan,
                   kind=AlertKind.REPORT_DUE, object_id=activity.pk, period=f"{year}-Q{quarter}",
                   line={"title": activity.title, "due": due, "url": _url("action_plans:progress_report", activity.pk)})
    for activity in activities:
        if activity.is_late(today):
            _claim(run, user=activity.plan.coordinator, plan=activity.plan, kind=AlertKind.ACTIVITY_LATE,
                   object_id=activity.pk, period=activity.ends_on.isoformat(),
                   line={"title": activity.title, "due": activity.ends_on, "url": _url("action_plans:activity_detail", activity.pk)})
    indicators = Indicator.objects.filter(plan__status__in=IN_FORCE).select_related("plan", "plan__coordinator") \
        .prefetch_related("targets", "values")
    for indicator in indicators:
        status = indicator_status(indicator)
        if status.off_track:
            _claim(run, user=indicator.plan.coordinator, plan=indicator.plan, kind=AlertKind.INDICATOR_OFF_TRACK,
                   object_id=indicator.pk, period=status.period,
                   line={"title": indicator.name, "due": None, "actual": status.actual, "expected": status.expected,
                         "url": _url("action_plans:plan_detail", indicator.plan_id)})
    for _pk, (user, lines) in sorted(run.by_user.items()):
        with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
            subject = render_to_string("action_plans/emails/alerts_subject.txt", {"count": len(lines)}).strip()
            body = render_to_string("action_plans/emails/alerts.txt", {"user": user, "lines": lines})
        outbox.send_email(subject=subject, body=body, to=[user.email], kind="action_plans.alerts")
        run.emails += 1
    if run.created:
        audit_log(action=AuditAction.CREATE, object_type=Alert._meta.label_lower,
                  details={"action_plan_alerts": run.created, "emails": run.emails})
    return run
