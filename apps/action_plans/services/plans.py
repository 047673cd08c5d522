"""Plans: drafting, the status workflow, publishing, strategic documents, amendments."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.locking import save_with_version

from ..choices import NEXT_STATUS, AmendmentKind, PlanStatus
from ..models import Plan, PlanVersion, StrategicDocument
from ..selectors.totals import plan_snapshot
from .common import AuditAction, audit, ensure_editable, open_amendment

PLAN_FIELDS = ("title", "title_cyrl", "period_from", "period_to", "general_goal", "coordinator")


def _check_period(period_from, period_to) -> None:
    if period_from and period_to and period_to < period_from:
        raise ValidationError({"period_to": [_("The period ends before it starts.")]})
    if period_from and period_to and period_to - period_from > 10:
        raise ValidationError({"period_to": [_("A plan covers at most ten years.")]})


@transaction.atomic
def plan_create(*, user, municipality, title: str, title_cyrl: str, period_from: int, period_to: int,
                general_goal: str = "", coordinator=None) -> Plan:
    """Start a draft plan of a municipality."""
    _check_period(period_from, period_to)
    plan = Plan(municipality=municipality, title=title, title_cyrl=title_cyrl, period_from=period_from,
                period_to=period_to, general_goal=general_goal, coordinator=coordinator or user)
    plan.full_clean()
    plan.save()
    audit(AuditAction.CREATE, user, plan, plan)
    return plan


@transaction.atomic
def plan_update(*, user, plan: Plan, expected_version, **fields) -> Plan:
    """Change the plan's title, period, general goal or coordinator (optimistic locking)."""
    ensure_editable(plan)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"Not a plan field: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(plan, name, value)
    _check_period(plan.period_from, plan.period_to)
    save_with_version(plan, expected_version, fields)
    audit(AuditAction.UPDATE, user, plan, plan, fields=sorted(fields))
    return plan


@transaction.atomic
def plan_publish(*, user, plan: Plan, expected_version, published: bool) -> Plan:
    """Publish the plan to the other municipalities (or withdraw it)."""
    plan.is_published = published
    save_with_version(plan, expected_version, ["is_published"])
    audit(AuditAction.UPDATE, user, plan, plan, published=published)
    return plan


@transaction.atomic
def plan_advance(*, user, plan: Plan, expected_version, consultation_from=None, consultation_until=None,
                 decision_number: str = "", decision_date=None) -> Plan:
    """Move the plan to its next status: consultation (dates), adopted (assembly decision), in
    implementation, evaluated. Adoption records version 1 of the plan."""
    target = NEXT_STATUS.get(plan.status)
    if target is None:
        raise ValidationError(_("The plan has been evaluated; its status does not change any more."))
    if open_amendment(plan) is not None:
        raise ValidationError(_("Close the open amendment first."))
    fields = ["status"]
    if target == PlanStatus.CONSULTATION:
        errors = {}
        if not consultation_from:
            errors["consultation_from"] = [_("Enter when the public consultation starts.")]
        if not consultation_until:
            errors["consultation_until"] = [_("Enter when the public consultation ends.")]
        elif consultation_from and consultation_until < consultation_from:
            errors["consultation_until"] = [_("The consultation ends before it starts.")]
        if errors:
            raise ValidationError(errors)
        plan.consultation_from, plan.consultation_until = consultation_from, consultation_until
        fields += ["consultation_from", "consultation_until"]
    if target == PlanStatus.ADOPTED:
        errors = {}
        if not (decision_number or "").strip():
            errors["decision_number"] = [_("Enter the number of the assembly's decision.")]
        if not decision_date:
            errors["decision_date"] = [_("Enter the date of the assembly's decision.")]
        elif plan.consultation_until and decision_date < plan.consultation_until:
            errors["decision_date"] = [_("The plan is adopted after its public consultation ends.")]
        if errors:
            raise ValidationError(errors)
        plan.decision_number, plan.decision_date = decision_number.strip(), decision_date
        fields += ["decision_number", "decision_date"]
    plan.status = target
    save_with_version(plan, expected_version, fields)
    if target == PlanStatus.ADOPTED:
        version = PlanVersion(
            municipality_id=plan.municipality_id, plan=plan, number=1, kind=AmendmentKind.ADOPTION,
            reason=str(_("Adopted by the municipal assembly")), decision_number=plan.decision_number,
            decision_date=plan.decision_date, recorded_by=user, closed_at=timezone.now(), snapshot=plan_snapshot(plan),
        )
        version.full_clean()
        version.save()
    audit(AuditAction.UPDATE, user, plan, plan, status=target)
    return plan


@transaction.atomic
def amendment_open(*, user, plan: Plan, reason: str, decision_number: str = "", decision_date=None) -> PlanVersion:
    """Open an amendment of an adopted plan: its structure and budget change until it is closed."""
    if not plan.is_adopted:
        raise ValidationError(_("Only an adopted plan is amended; a draft changes freely."))
    if open_amendment(plan) is not None:
        raise ValidationError(_("An amendment is already open."))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the plan is amended.")]})
    number = (PlanVersion.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion(
        municipality_id=plan.municipality_id, plan=plan, number=number, kind=AmendmentKind.AMENDMENT,
        reason=reason.strip(), decision_number=decision_number or "", decision_date=decision_date, recorded_by=user,
    )
    version.full_clean()
    version.save()
    audit(AuditAction.CREATE, user, version, plan, amendment=number)
    return version


@transaction.atomic
def amendment_close(*, user, plan: Plan) -> PlanVersion:
    """Close the open amendment, recording the plan as it now stands (a new version)."""
    version = open_amendment(plan)
    if version is None:
        raise ValidationError(_("No amendment is open."))
    version.closed_at = timezone.now()
    version.snapshot = plan_snapshot(plan)
    version.save(update_fields=["closed_at", "snapshot", "updated_at"])
    audit(AuditAction.UPDATE, user, version, plan, amendment=version.number, closed=True)
    return version


@transaction.atomic
def document_add(*, user, plan: Plan, kind: str, name: str, reference: str = "") -> StrategicDocument:
    """Link the plan to a strategic document it implements."""
    ensure_editable(plan)
    document = StrategicDocument(municipality_id=plan.municipality_id, plan=plan, kind=kind, name=name, reference=reference)
    document.full_clean()
    document.save()
    audit(AuditAction.CREATE, user, document, plan)
    return document
