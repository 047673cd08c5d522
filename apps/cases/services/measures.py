"""Emergency measures (48 hours, extension, appeal, breaches) and Family Law protective measures."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import save_with_version
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution

from .. import deadlines
from ..choices import CourtDecision, EmergencyMeasureKind, ProtectiveMeasureKind
from ..models import Case, EmergencyMeasure, MeasureBreach, ProtectiveMeasure
from .common import ensure_open, reachable_case, refuse_stale, touch_case

# Clocks of phones and servers differ a little; a moment this far ahead still counts as "now".
CLOCK_SKEW = timedelta(minutes=5)


def refuse_future(value: datetime | date | None, field: str, now: datetime) -> None:
    """A moment that has not happened yet cannot be recorded as a fact."""
    if value is None:
        return
    if isinstance(value, datetime):
        if value > now + CLOCK_SKEW:
            raise ValidationError({field: _("This moment is in the future.")}, code="future")
    elif value > timezone.localdate(now):
        raise ValidationError({field: _("This date is in the future.")}, code="future")


def _require_aware(value: datetime | None, field: str) -> None:
    if value is not None and timezone.is_naive(value):
        raise ValidationError({field: _("Enter a date and time with a time zone.")}, code="naive")


def _short(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


def _reach_measure(user, measure: EmergencyMeasure | int, expected_version) -> tuple[EmergencyMeasure, Case]:
    measure_id = measure.pk if isinstance(measure, EmergencyMeasure) else measure
    found = EmergencyMeasure.objects.visible_to(user, "change").filter(pk=measure_id).first()
    if found is None:
        raise Http404
    case = reachable_case(user, found.case_id)
    refuse_stale(found, measure, expected_version)
    return found, case


# Emergency measures


@transaction.atomic
def emergency_measure_record(
    *,
    user,
    case: Case,
    kind: str,
    order_number: str,
    ordered_by: Institution,
    delivered_at: datetime,
    now: datetime | None = None,
) -> EmergencyMeasure:
    """Record a police emergency measure; its expiry and the extension deadlines are computed."""
    now = now or timezone.now()
    case = reachable_case(user, case)
    ensure_open(case)
    order_number = (order_number or "").strip()
    errors = {}
    if kind not in EmergencyMeasureKind.values:
        errors["kind"] = _("Choose the kind of emergency measure.")
    if not order_number:
        errors["order_number"] = _("Enter the number of the order.")
    police = Institution.objects.visible_to(user, "view").filter(
        pk=getattr(ordered_by, "pk", ordered_by), type=InstitutionType.POLICE, is_active=True
    )
    ordering = police.first()
    if ordering is None:
        errors["ordered_by"] = _("Emergency measures are ordered by the police: choose a police station.")
    if delivered_at is None:
        errors["delivered_at"] = _("Enter when the order was delivered.")
    if errors:
        raise ValidationError(errors)
    _require_aware(delivered_at, "delivered_at")
    refuse_future(delivered_at, "delivered_at", now)
    if EmergencyMeasure.objects.filter(ordered_by=ordering, order_number=order_number).exists():
        raise ValidationError(
            {"order_number": _("An order with this number from this police station is already recorded.")},
            code="duplicate",
        )
    times = deadlines.emergency_measure_deadlines(delivered_at=delivered_at)
    measure = EmergencyMeasure(
        municipality_id=case.municipality_id,
        case=case,
        kind=kind,
        order_number=order_number,
        ordered_by=ordering,
        delivered_at=delivered_at,
        expires_at=times.expiry.due,
        extension_proposal_due=times.extension_proposal.due,
        recorded_by=user,
    )
    measure.full_clean()
    measure.save()
    touch_case(case, now)
    audit_log(action=AuditAction.CREATE, actor=user, obj=measure, details={"case": case.pk, "kind": kind})
    return measure


@transaction.atomic
def emergency_measure_propose_extension(
    *, user, measure: EmergencyMeasure, proposed_at: datetime, expected_version, now: datetime | None = None
) -> EmergencyMeasure:
    """Record the prosecutor's extension proposal; the court's 24-hour deadline starts."""
    now = now or timezone.now()
    measure, case = _reach_measure(user, measure, expected_version)
    if proposed_at is None:
        raise ValidationError({"extension_proposed_at": _("Enter when the extension was proposed.")})
    _require_aware(proposed_at, "extension_proposed_at")
    refuse_future(proposed_at, "extension_proposed_at", now)
    if measure.court_decision != CourtDecision.PENDING:
        raise ValidationError(
            {"extension_proposed_at": _("The court has already decided on this measure.")}, code="decided"
        )
    if proposed_at < measure.delivered_at:
        raise ValidationError(
            {
                "extension_proposed_at": _("The proposal cannot precede the delivery of the order (%(when)s).")
                % {"when": _short(measure.delivered_at)}
            },
            code="order",
        )
    if proposed_at >= measure.expires_at:
        raise ValidationError(
            {
                "extension_proposed_at": _("The measure had already expired at that time (%(when)s).")
                % {"when": _short(measure.expires_at)}
            },
            code="expired",
        )
    measure.extension_proposed_at = proposed_at
    measure.court_decision_due = deadlines.court_decision_due(proposed_at).due
    save_with_version(measure, expected_version, ["extension_proposed_at", "court_decision_due"])
    touch_case(case, now)
    audit_log(
        action=AuditAction.UPDATE,
        actor=user,
        obj=measure,
        details={"fields": ["extension_proposed_at", "court_decision_due"], "late": proposed_at > measure.extension_proposal_due},
    )
    return measure


@transaction.atomic
def emergency_measure_court_decision(
    *,
    user,
    measure: EmergencyMeasure,
    decision: str,
    decided_at: datetime,
    expected_version,
    now: datetime | None = None,
) -> EmergencyMeasure:
    """Record the court's decision: extended for 30 days or rejected; the 3-day appeal period starts."""
    now = now or timezone.now()
    measure, case = _reach_measure(user, measure, expected_version)
    if decision not in (CourtDecision.EXTENDED, CourtDecision.REJECTED):
        raise ValidationError({"court_decision": _("Choose whether the court extended the measure or rejected the proposal.")})
    if decided_at is None:
        raise ValidationError({"court_decided_at": _("Enter when the court decided.")})
    _require_aware(decided_at, "court_decided_at")
    refuse_future(decided_at, "court_decided_at", now)
    if measure.court_decision != CourtDecision.PENDING:
        raise ValidationError({"court_decision": _("The court's decision is already recorded.")}, code="decided")
    if measure.extension_proposed_at is None:
        raise ValidationError(
            {"court_decision": _("Record the prosecutor's extension proposal before the court's decision.")},
            code="order",
        )
    if decided_at < measure.extension_proposed_at:
        raise ValidationError(
            {
                "court_decided_at": _("The decision cannot precede the extension proposal (%(when)s).")
                % {"when": _short(measure.extension_proposed_at)}
            },
            code="order",
        )
    measure.court_decision = decision
    measure.court_decided_at = decided_at
    measure.extended_until = deadlines.extension_until(decided_at).due if decision == CourtDecision.EXTENDED else None
    measure.appeal_due = deadlines.appeal_due(decided_at).due
    fields = ["court_decision", "court_decided_at", "extended_until", "appeal_due"]
    save_with_version(measure, expected_version, fields)
    touch_case(case, now)
    audit_log(action=AuditAction.UPDATE, actor=user, obj=measure, details={"fields": fields, "decision": decision})
    return measure


@transaction.atomic
def emergency_measure_appeal(
    *, user, measure: EmergencyMeasure, filed_at: datetime, expected_version, now: datetime | None = None
) -> EmergencyMeasure:
    """Record an appeal against the court's decision (a late appeal is recorded and marked late)."""
    now = now or timezone.now()
    measure, case = _reach_measure(user, measure, expected_version)
    if filed_at is None:
        raise ValidationError({"appeal_filed_at": _("Enter when the appeal was filed.")})
    _require_aware(filed_at, "appeal_filed_at")
    refuse_future(filed_at, "appeal_filed_at", now)
    if measure.court_decided_at is None:
        raise ValidationError({"appeal_filed_at": _("There is no court decision to appeal against yet.")}, code="order")
    if measure.appeal_filed_at is not None:
        raise ValidationError({"appeal_filed_at": _("An appeal is already recorded.")}, code="duplicate")
    if filed_at < measure.court_decided_at:
        raise ValidationError(
            {
                "appeal_filed_at": _("The appeal cannot precede the court's decision (%(when)s).")
                % {"when": _short(measure.court_decided_at)}
            },
            code="order",
        )
    measure.appeal_filed_at = filed_at
    save_with_version(measure, expected_version, ["appeal_filed_at"])
    touch_case(case, now)
    audit_log(
        action=AuditAction.UPDATE,
        actor=user,
        obj=measure,
        details={"fields": ["appeal_filed_at"], "late": bool(measure.appeal_due and filed_at > measure.appeal_due)},
    )
    return measure


def emergency_in_force_until(measure: EmergencyMeasure) -> datetime:
    """When an emergency measure stops applying (the extension's end if the court extended it)."""
    if measure.court_decision == CourtDecision.EXTENDED and measure.extended_until:
        return measure.extended_until
    return measure.expires_at


def emergency_measure_deadlines(measure: EmergencyMeasure) -> deadlines.EmergencyDeadlines:
    """The deadlines of a recorded measure (for countdowns on the case page)."""
    return deadlines.emergency_measure_deadlines(
        delivered_at=measure.delivered_at,
        proposed_at=measure.extension_proposed_at,
        decided_at=measure.court_decided_at,
        extended=measure.court_decision == CourtDecision.EXTENDED,
    )


@transaction.atomic
def breach_record(
    *,
    user,
    case: Case,
    occurred_at: datetime,
    description: str = "",
    emergency_measure: EmergencyMeasure | None = None,
    protective_measure: ProtectiveMeasure | None = None,
    now: datetime | None = None,
) -> MeasureBreach:
    """Record a breach of one emergency or protective measure of the case while it was in force."""
    now = now or timezone.now()
    case = reachable_case(user, case)
    ensure_open(case)
    if (emergency_measure is None) == (protective_measure is None):
        raise ValidationError({"emergency_measure": _("Choose the one measure that was breached.")})
    if occurred_at is None:
        raise ValidationError({"occurred_at": _("Enter when the breach happened.")})
    _require_aware(occurred_at, "occurred_at")
    refuse_future(occurred_at, "occurred_at", now)
    if emergency_measure is not None:
        measure = EmergencyMeasure.objects.filter(pk=emergency_measure.pk, case=case).first()
        if measure is None:
            raise ValidationError({"emergency_measure": _("Choose a measure of this case.")})
        start, end = measure.delivered_at, emergency_in_force_until(measure)
        field = "emergency_measure"
    else:
        measure = ProtectiveMeasure.objects.filter(pk=protective_measure.pk, case=case).first()
        if measure is None:
            raise ValidationError({"protective_measure": _("Choose a measure of this case.")})
        start = deadlines.start_of_day(measure.valid_from)
        end = deadlines.protective_expiry(measure.valid_until).due
        field = "protective_measure"
    if not (start <= occurred_at <= end):
        raise ValidationError(
            {
                "occurred_at": _("The measure was not in force at that time (from %(start)s to %(end)s).")
                % {"start": _short(start), "end": _short(end)}
            },
            code="order",
        )
    breach = MeasureBreach(
        municipality_id=case.municipality_id,
        case=case,
        emergency_measure=measure if field == "emergency_measure" else None,
        protective_measure=measure if field == "protective_measure" else None,
        occurred_at=occurred_at,
        description=(description or "").strip(),
        recorded_by=user,
    )
    breach.full_clean()
    breach.save()
    touch_case(case, now)
    audit_log(action=AuditAction.CREATE, actor=user, obj=breach, details={"case": case.pk, "measure": field})
    return breach


# Family Law protective measures


def _protective_errors(
    *, kind: str, court: str, decision_date: date | None, valid_from: date | None, valid_until: date | None,
    distance_m: int | None, today: date,
) -> dict:
    errors = {}
    if kind not in ProtectiveMeasureKind.values:
        errors["kind"] = _("Choose the kind of protective measure.")
    if not court:
        errors["court"] = _("Enter the court that decided.")
    if decision_date is None:
        errors["decision_date"] = _("Enter the date of the decision.")
    elif decision_date > today:
        errors["decision_date"] = _("This date is in the future.")
    if valid_from is None:
        errors["valid_from"] = _("Enter the first day of the measure.")
    if valid_until is None:
        errors["valid_until"] = _("Enter the last day of the measure.")
    if kind == ProtectiveMeasureKind.APPROACH_BAN and not distance_m:
        errors["distance_m"] = _("Enter the distance in metres the perpetrator must keep.")
    if errors:
        return errors
    if valid_from < decision_date:
        errors["valid_from"] = _("The measure cannot start before the decision (%(when)s).") % {
            "when": _short(decision_date)
        }
    elif valid_until < valid_from:
        errors["valid_until"] = _("The last day cannot be before the first day (%(when)s).") % {
            "when": _short(valid_from)
        }
    elif valid_until > deadlines.protective_max_valid_until(valid_from):
        errors["valid_until"] = _("A protective measure lasts at most one year: the last day is %(when)s at the latest.") % {
            "when": _short(deadlines.protective_max_valid_until(valid_from))
        }
    return errors


@transaction.atomic
def protective_measure_record(
    *,
    user,
    case: Case,
    kind: str,
    court: str,
    decision_date: date,
    valid_from: date,
    valid_until: date,
    decision_number: str = "",
    distance_m: int | None = None,
    now: datetime | None = None,
) -> ProtectiveMeasure:
    """Record a court's protective measure (Family Law art. 198), lasting at most one year."""
    now = now or timezone.now()
    case = reachable_case(user, case)
    ensure_open(case)
    court = (court or "").strip()
    errors = _protective_errors(
        kind=kind, court=court, decision_date=decision_date, valid_from=valid_from, valid_until=valid_until,
        distance_m=distance_m, today=timezone.localdate(now),
    )
    if errors:
        raise ValidationError(errors)
    measure = ProtectiveMeasure(
        municipality_id=case.municipality_id,
        case=case,
        kind=kind,
        court=court,
        decision_number=(decision_number or "").strip(),
        decision_date=decision_date,
        valid_from=valid_from,
        valid_until=valid_until,
        distance_m=distance_m,
        recorded_by=user,
    )
    measure.full_clean()
    measure.save()
    touch_case(case, now)
    audit_log(action=AuditAction.CREATE, actor=user, obj=measure, details={"case": case.pk, "kind": kind})
    return measure


@transaction.atomic
def protective_measure_renew(
    *,
    user,
    measure: ProtectiveMeasure,
    decision_date: date,
    valid_until: date,
    valid_from: date | None = None,
    decision_number: str = "",
    court: str = "",
    now: datetime | None = None,
) -> ProtectiveMeasure:
    """Renew a protective measure (art. 199): decided before it ends, continuing it for up to a year."""
    now = now or timezone.now()
    current = (
        ProtectiveMeasure.objects.visible_to(user, "change").select_for_update(of=("self",)).filter(pk=measure.pk).first()
    )
    if current is None:
        raise Http404
    case = reachable_case(user, current.case_id)
    ensure_open(case)
    if current.renewals.exists():
        raise ValidationError({"decision_date": _("This measure has already been renewed; renew the latest renewal.")})
    if decision_date is not None and decision_date > current.valid_until:
        raise ValidationError(
            {
                "decision_date": _("The measure ended on %(when)s; a measure is renewed before it ends. Record a new measure instead.")
                % {"when": _short(current.valid_until)}
            },
            code="order",
        )
    default_from, _latest = deadlines.protective_renewal_period(current.valid_until)
    valid_from = valid_from or default_from
    if valid_from > default_from:
        raise ValidationError(
            {
                "valid_from": _("A renewal continues the measure without a gap: it starts on %(when)s at the latest.")
                % {"when": _short(default_from)}
            },
            code="order",
        )
    court = (court or current.court).strip()
    errors = _protective_errors(
        kind=current.kind, court=court, decision_date=decision_date, valid_from=valid_from, valid_until=valid_until,
        distance_m=current.distance_m or 1, today=timezone.localdate(now),
    )
    if errors:
        raise ValidationError(errors)
    renewal = ProtectiveMeasure(
        municipality_id=current.municipality_id,
        case_id=current.case_id,
        kind=current.kind,
        court=court,
        decision_number=(decision_number or "").strip(),
        decision_date=decision_date,
        valid_from=valid_from,
        valid_until=valid_until,
        distance_m=current.distance_m,
        renewed_from=current,
        recorded_by=user,
    )
    renewal.full_clean()
    renewal.save()
    touch_case(case, now)
    audit_log(
        action=AuditAction.CREATE, actor=user, obj=renewal, details={"case": case.pk, "renewed_from": current.pk}
    )
    return renewal
