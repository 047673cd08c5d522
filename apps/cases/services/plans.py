"""The individual protection and support plan (art. 31) and its measures."""
from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import save_with_version

from ..choices import PlanMeasureKind, PlanMeasureStatus
from ..models import Case, CaseParticipant, CasePerson, PlanMeasure, ProtectionPlan
from .common import ensure_open, reachable_case, refuse_stale, touch_case

PLAN_FIELDS = ("adopted_at", "victim_participated", "victim_signed", "monitoring", "next_review")
MEASURE_FIELDS = ("kind", "description", "for_person", "owner_institution", "responsible_person", "deadline")
OPEN_STATUSES = (PlanMeasureStatus.PLANNED, PlanMeasureStatus.IN_PROGRESS)


def _plan_errors(plan: ProtectionPlan, today: date) -> dict:
    errors = {}
    if plan.adopted_at is None:
        errors["adopted_at"] = _("Enter the date the plan was adopted.")
    elif plan.adopted_at > today:
        errors["adopted_at"] = _("This date is in the future.")
    if plan.victim_signed and not plan.victim_participated:
        errors["victim_signed"] = _("The victim can sign only a plan she took part in making.")
    if plan.next_review and plan.adopted_at and plan.next_review < plan.adopted_at:
        errors["next_review"] = _("The review cannot be before the plan was adopted.")
    return errors


def _reach_plan(user, plan: ProtectionPlan | int, expected_version=None) -> tuple[ProtectionPlan, Case]:
    plan_id = plan.pk if isinstance(plan, ProtectionPlan) else plan
    found = ProtectionPlan.objects.visible_to(user, "change").filter(pk=plan_id).first()
    if found is None:
        raise Http404
    case = reachable_case(user, found.case_id)
    if expected_version is not None:
        refuse_stale(found, plan, expected_version)
    return found, case


def _reach_measure(user, measure: PlanMeasure | int, expected_version) -> tuple[PlanMeasure, Case]:
    measure_id = measure.pk if isinstance(measure, PlanMeasure) else measure
    found = PlanMeasure.objects.visible_to(user, "change").select_related("plan").filter(pk=measure_id).first()
    if found is None:
        raise Http404
    case = reachable_case(user, found.case_id)
    refuse_stale(found, measure, expected_version)
    return found, case


def is_participating(case: Case, institution_id: int | None) -> bool:
    """The lead institution or an institution currently on the case team."""
    if institution_id is None:
        return False
    if case.lead_institution_id == institution_id:
        return True
    return CaseParticipant.objects.filter(case=case, institution_id=institution_id, ended_at__isnull=True).exists()


@transaction.atomic
def plan_create(
    *,
    user,
    case: Case,
    victim_participated: bool,
    victim_signed: bool = False,
    monitoring: str = "",
    next_review: date | None = None,
    adopted_at: date | None = None,
    now: datetime | None = None,
) -> ProtectionPlan:
    """Adopt a new plan for the case; an earlier current plan stops being current."""
    now = now or timezone.now()
    case = reachable_case(user, case)
    ensure_open(case)
    plan = ProtectionPlan(
        municipality_id=case.municipality_id,
        case=case,
        adopted_at=adopted_at or timezone.localdate(now),
        victim_participated=bool(victim_participated),
        victim_signed=bool(victim_signed),
        monitoring=(monitoring or "").strip(),
        next_review=next_review,
        is_active=True,
        created_by=user,
    )
    errors = _plan_errors(plan, timezone.localdate(now))
    if errors:
        raise ValidationError(errors)
    plan.full_clean()
    replaced = list(
        ProtectionPlan.objects.select_for_update().filter(case=case, is_active=True).values_list("pk", flat=True)
    )
    ProtectionPlan.objects.filter(pk__in=replaced).update(is_active=False, updated_at=now)
    plan.save()
    touch_case(case, now)
    audit_log(action=AuditAction.CREATE, actor=user, obj=plan, details={"case": case.pk, "replaces": replaced})
    return plan


@transaction.atomic
def plan_update(*, user, plan: ProtectionPlan, expected_version, now: datetime | None = None, **changes) -> ProtectionPlan:
    """Change the plan's participation, signature, monitoring or review date (refused if someone saved first)."""
    now = now or timezone.now()
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"plan_update() cannot change: {', '.join(sorted(unknown))}")
    plan, case = _reach_plan(user, plan, expected_version)
    for name, value in changes.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    errors = _plan_errors(plan, timezone.localdate(now))
    if errors:
        raise ValidationError(errors)
    fields = sorted(changes)
    save_with_version(plan, expected_version, fields)
    touch_case(case, now)
    audit_log(action=AuditAction.UPDATE, actor=user, obj=plan, details={"fields": fields})
    return plan


def _measure_errors(measure: PlanMeasure, case: Case, plan: ProtectionPlan) -> dict:
    errors = {}
    if measure.kind not in PlanMeasureKind.values:
        errors["kind"] = _("Choose whether this is a protection or a support measure.")
    if not measure.description:
        errors["description"] = _("Describe the measure.")
    if measure.deadline is None:
        errors["deadline"] = _("Enter the deadline.")
    elif plan.adopted_at and measure.deadline < plan.adopted_at:
        errors["deadline"] = _("The deadline cannot be before the plan was adopted.")
    if not is_participating(case, measure.owner_institution_id):
        errors["owner_institution"] = _(
            "The institution that carries out a measure must be on the case team; add it to the team first."
        )
    if measure.for_person_id is not None and not CasePerson.objects.filter(
        pk=measure.for_person_id, case=case
    ).exists():
        errors["for_person"] = _("Choose a person of this case.")
    return errors


@transaction.atomic
def plan_measure_add(
    *,
    user,
    plan: ProtectionPlan,
    kind: str,
    description: str,
    owner_institution,
    deadline: date,
    for_person: CasePerson | None = None,
    responsible_person: str = "",
    now: datetime | None = None,
) -> PlanMeasure:
    """Add a protection or support measure, carried out by an institution of the case team, with a deadline."""
    now = now or timezone.now()
    plan, case = _reach_plan(user, plan)
    ensure_open(case)
    if not plan.is_active:
        raise ValidationError({"plan": _("This plan has been replaced; add measures to the current plan.")})
    measure = PlanMeasure(
        municipality_id=case.municipality_id,
        plan=plan,
        case=case,
        kind=kind,
        description=(description or "").strip(),
        for_person_id=getattr(for_person, "pk", for_person),
        owner_institution_id=getattr(owner_institution, "pk", owner_institution),
        responsible_person=(responsible_person or "").strip(),
        deadline=deadline,
        status=PlanMeasureStatus.PLANNED,
    )
    errors = _measure_errors(measure, case, plan)
    if errors:
        raise ValidationError(errors)
    measure.full_clean()
    measure.save()
    touch_case(case, now)
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=measure,
        details={"case": case.pk, "plan": plan.pk, "owner": measure.owner_institution_id},
    )
    return measure


@transaction.atomic
def plan_measure_update(
    *, user, measure: PlanMeasure, expected_version, now: datetime | None = None, **changes
) -> PlanMeasure:
    """Change a measure's description, owner, person, responsible person or deadline."""
    now = now or timezone.now()
    unknown = set(changes) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"plan_measure_update() cannot change: {', '.join(sorted(unknown))}")
    measure, case = _reach_measure(user, measure, expected_version)
    fields = []
    for name, value in changes.items():
        if name in ("owner_institution", "for_person"):
            setattr(measure, f"{name}_id", getattr(value, "pk", value))
        else:
            setattr(measure, name, value.strip() if isinstance(value, str) else value)
        fields.append(name)
    errors = _measure_errors(measure, case, measure.plan)
    if errors:
        raise ValidationError(errors)
    save_with_version(measure, expected_version, fields)
    touch_case(case, now)
    audit_log(action=AuditAction.UPDATE, actor=user, obj=measure, details={"fields": sorted(fields)})
    return measure


@transaction.atomic
def plan_measure_update_status(
    *, user, measure: PlanMeasure, status: str, expected_version, now: datetime | None = None
) -> PlanMeasure:
    """Move a measure to planned / in progress / done / cancelled; done records when."""
    now = now or timezone.now()
    if status not in PlanMeasureStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    measure, case = _reach_measure(user, measure, expected_version)
    previous = measure.status
    measure.status = status
    if status == PlanMeasureStatus.DONE:
        measure.completed_at = measure.completed_at if previous == PlanMeasureStatus.DONE else now
    else:
        measure.completed_at = None
    save_with_version(measure, expected_version, ["status", "completed_at"])
    touch_case(case, now)
    audit_log(
        action=AuditAction.UPDATE,
        actor=user,
        obj=measure,
        details={"fields": ["status", "completed_at"], "from": previous, "to": status},
    )
    return measure
