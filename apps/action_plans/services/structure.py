"""Goals, measures, activities and indicators of a plan; progress reports and indicator values."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _

from apps.core.locking import save_with_version

from ..choices import ActivityStatus
from ..models import (
    Activity,
    ActivityPartner,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Plan,
    ProgressReport,
)
from .common import AuditAction, audit, check_dates, ensure_editable, field_error

ACTIVITY_FIELDS = ("title", "owner_institution", "responsible", "starts_on", "ends_on", "event_kind")


def _next_number(queryset) -> int:
    return (queryset.aggregate(n=Max("number"))["n"] or 0) + 1


def _save_new(obj, user, plan, **details):
    obj.full_clean()
    obj.save()
    audit(AuditAction.CREATE, user, obj, plan, **details)
    return obj


@transaction.atomic
def goal_create(*, user, plan: Plan, title: str) -> Goal:
    """Add a specific goal."""
    ensure_editable(plan)
    goal = Goal(municipality_id=plan.municipality_id, plan=plan, title=title,
                number=_next_number(Goal.objects.filter(plan=plan)))
    return _save_new(goal, user, plan)


@transaction.atomic
def measure_create(*, user, goal: Goal, title: str, programme_activity: str = "") -> Measure:
    """Add a measure to a specific goal."""
    plan = goal.plan
    ensure_editable(plan)
    measure = Measure(municipality_id=plan.municipality_id, plan=plan, goal=goal, title=title,
                      programme_activity=programme_activity or "",
                      number=_next_number(Measure.objects.filter(goal=goal)))
    return _save_new(measure, user, plan)


def _check_people(plan: Plan, owner_institution, partners, responsible) -> None:
    if owner_institution is not None and owner_institution.municipality_id != plan.municipality_id:
        raise field_error("owner_institution", _("The owner institution must belong to the plan's municipality."))
    for partner in partners or ():
        if not partner.is_active:
            raise field_error("partners", _("%(name)s is no longer active.") % {"name": partner})
    if responsible is not None and plan.municipality_id not in responsible.access.municipality_ids():
        raise field_error("responsible", _("The responsible person must work in the plan's municipality."))


def _set_partners(activity: Activity, partners) -> None:
    wanted = {p.pk: p for p in partners or ()}
    wanted.pop(activity.owner_institution_id, None)
    ActivityPartner.objects.filter(activity=activity).exclude(institution_id__in=list(wanted)).delete()
    have = set(ActivityPartner.objects.filter(activity=activity).values_list("institution_id", flat=True))
    ActivityPartner.objects.bulk_create([
        ActivityPartner(municipality_id=activity.municipality_id, plan_id=activity.plan_id, activity=activity, institution=p)
        for pk, p in wanted.items() if pk not in have
    ])


@transaction.atomic
def activity_create(*, user, measure: Measure, title: str, owner_institution, starts_on, ends_on,
                    responsible=None, partners=(), event_kind: str = "") -> Activity:
    """Add an activity to a measure."""
    plan = measure.plan
    ensure_editable(plan)
    check_dates(starts_on, ends_on, plan)
    _check_people(plan, owner_institution, partners, responsible)
    activity = Activity(
        municipality_id=plan.municipality_id, plan=plan, measure=measure, title=title, owner_institution=owner_institution,
        responsible=responsible, starts_on=starts_on, ends_on=ends_on, event_kind=event_kind or "",
        number=_next_number(Activity.objects.filter(measure=measure)),
    )
    _save_new(activity, user, plan)
    _set_partners(activity, partners)
    return activity


@transaction.atomic
def activity_update(*, user, activity: Activity, expected_version, partners=None, **fields) -> Activity:
    """Change an activity (optimistic locking); on an adopted plan only within an amendment."""
    plan = activity.plan
    amendment = ensure_editable(plan)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"Not an activity field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(activity, name, value)
    check_dates(activity.starts_on, activity.ends_on, plan)
    _check_people(plan, activity.owner_institution, partners, activity.responsible)
    save_with_version(activity, expected_version, fields)
    if partners is not None:
        _set_partners(activity, partners)
    audit(AuditAction.UPDATE, user, activity, plan, fields=sorted(fields),
          amendment=amendment.number if amendment else None)
    return activity


@transaction.atomic
def activity_set_status(*, user, activity: Activity, expected_version, status: str, cancel_reason: str = "") -> Activity:
    """Record where an activity stands (a cancelled one needs its reason); not a change of the plan."""
    if status not in ActivityStatus.values:
        raise field_error("status", _("Choose a status from the list."))
    if status == ActivityStatus.CANCELLED and not (cancel_reason or "").strip():
        raise field_error("cancel_reason", _("Say why the activity is cancelled."))
    activity.status = status
    activity.cancel_reason = (cancel_reason or "").strip() if status == ActivityStatus.CANCELLED else ""
    save_with_version(activity, expected_version, ["status", "cancel_reason"])
    audit(AuditAction.UPDATE, user, activity, activity.plan, status=status)
    return activity


@transaction.atomic
def indicator_create(*, user, plan: Plan, name: str, unit: str, baseline: Decimal, baseline_year: int, source: str,
                     goal: Goal | None = None, measure: Measure | None = None, targets: dict | None = None) -> Indicator:
    """Add an indicator to a specific goal or a measure, with its target per year."""
    ensure_editable(plan)
    if (goal is None) == (measure is None):
        raise field_error("goal", _("An indicator belongs to either a specific goal or a measure."))
    indicator = Indicator(municipality_id=plan.municipality_id, plan=plan, goal=goal, measure=measure, name=name,
                          unit=unit, baseline=baseline, baseline_year=baseline_year, source=source)
    _save_new(indicator, user, plan)
    for year, value in sorted((targets or {}).items()):
        if value is None:
            continue
        if not plan.period_from <= int(year) <= plan.period_to:
            raise field_error("targets", _("A target year lies outside the plan's period."))
        IndicatorTarget.objects.create(municipality_id=plan.municipality_id, plan=plan, indicator=indicator,
                                       year=int(year), value=value)
    return indicator


@transaction.atomic
def indicator_value_record(*, user, indicator: Indicator, year: int, quarter: int, value: Decimal) -> IndicatorValue:
    """Record (or correct) the actual value of an indicator for a quarter."""
    if not 1 <= int(quarter) <= 4:
        raise field_error("quarter", _("A quarter is 1 to 4."))
    plan = indicator.plan
    if not plan.period_from <= int(year) <= plan.period_to:
        raise field_error("year", _("The year lies outside the plan's period."))
    row, created = IndicatorValue.objects.update_or_create(
        municipality_id=plan.municipality_id, indicator=indicator, year=year, quarter=quarter,
        defaults={"plan": plan, "value": value, "recorded_by": user},
    )
    audit(AuditAction.CREATE if created else AuditAction.UPDATE, user, row, plan)
    return row


@transaction.atomic
def progress_report_submit(*, user, activity: Activity, year: int, quarter: int, status: str, narrative: str,
                           spending: Decimal = Decimal("0"), indicator_values: dict | None = None) -> ProgressReport:
    """The quarterly progress report of an activity (submitting again for a quarter corrects it), with
    the quarter's values of its measure's indicators (``{indicator: value}``)."""
    errors = {}
    if not 1 <= int(quarter) <= 4:
        errors["quarter"] = [_("A quarter is 1 to 4.")]
    if spending is not None and spending < 0:
        errors["spending"] = [_("The amount cannot be negative.")]
    if not (narrative or "").strip():
        errors["narrative"] = [_("Say what was done in the quarter.")]
    if status == ActivityStatus.CANCELLED:
        errors["status"] = [_("Cancel an activity on its page, with the reason.")]
    if errors:
        raise ValidationError(errors)
    plan = activity.plan
    report, created = ProgressReport.objects.update_or_create(
        municipality_id=activity.municipality_id, activity=activity, year=year, quarter=quarter,
        defaults={"plan": plan, "status": status, "narrative": narrative.strip(), "spending": spending or Decimal("0"),
                  "submitted_by": user},
    )
    if activity.status != status:
        Activity.objects.filter(pk=activity.pk).update(status=status, version=F("version") + 1)
        activity.status = status
    for indicator, value in (indicator_values or {}).items():
        if indicator.measure_id != activity.measure_id:
            raise field_error(f"indicator_{indicator.pk}", _("This indicator is not one of the activity's measure."))
        if value is not None:
            indicator_value_record(user=user, indicator=indicator, year=year, quarter=quarter, value=value)
    audit(AuditAction.CREATE if created else AuditAction.UPDATE, user, report, plan)
    return report
