"""What every write of a plan shares: the amendment rule, audit, field errors."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..models import Plan, PlanVersion


def open_amendment(plan: Plan) -> PlanVersion | None:
    """The amendment being recorded on an adopted plan, if one is open."""
    return PlanVersion.objects.filter(plan=plan, closed_at__isnull=True).order_by("-number").first()


def ensure_editable(plan: Plan) -> PlanVersion | None:
    """A draft or consulted plan changes freely; an adopted one only while an amendment is open."""
    if not plan.is_adopted:
        return None
    amendment = open_amendment(plan)
    if amendment is None:
        raise ValidationError(
            _("The plan is adopted: it changes only through a recorded amendment. Open an amendment first."),
            code="adopted",
        )
    return amendment


def audit(action, user, obj, plan: Plan, **details) -> None:
    """One audit entry naming the plan (and the open amendment, when the change belongs to one)."""
    audit_log(action=action, actor=user, obj=obj, details={"plan": plan.pk, **details})


def field_error(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def check_dates(starts_on, ends_on, plan: Plan) -> None:
    """End not before start, both inside the plan's period."""
    errors = {}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end is before the start.")]
    for name, value in (("starts_on", starts_on), ("ends_on", ends_on)):
        if value and not plan.period_from <= value.year <= plan.period_to and name not in errors:
            errors[name] = [_("The date lies outside the plan's period (%(start)s–%(end)s).") % {
                "start": plan.period_from, "end": plan.period_to}]
    if errors:
        raise ValidationError(errors)


__all__ = ["AuditAction", "audit", "check_dates", "ensure_editable", "field_error", "open_amendment"]
