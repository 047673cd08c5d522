"""Budget lines of activities, their executions, and the national code lists (by year)."""
from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.locking import save_with_version

from ..choices import CodeKind
from ..codelists import STANDARD_CODES
from ..models import Activity, BudgetCode, BudgetLine, Execution
from .common import AuditAction, audit, ensure_editable, field_error

# Line field -> code list, and the shape of each code.
CODE_FIELDS = {
    "programme": (CodeKind.PROGRAMME, re.compile(r"^\d{4}$")),
    "programme_activity": (CodeKind.ACTIVITY, re.compile(r"^\d{4}-(\d{4}|P\d{1,3})$")),
    "function": (CodeKind.FUNCTION, re.compile(r"^\d{3}$")),
    "konto": (CodeKind.ECONOMIC, re.compile(r"^\d{3,6}$")),
    "source": (CodeKind.SOURCE, re.compile(r"^\d{2}$")),
}
KIND_SHAPE = dict(CODE_FIELDS.values())
LINE_FIELDS = ("year", *CODE_FIELDS, "donor", "description", "planned", "amended", "committed")
ZERO = Decimal("0")


def known_codes(year: int) -> dict[str, set[str]]:
    """The codes of every list for one year (one query)."""
    found: dict[str, set[str]] = {kind: set() for kind in CodeKind.values}
    for kind, code in BudgetCode.objects.filter(year=year).values_list("kind", "code"):
        found[kind].add(code)
    return found


def code_errors(year, values: dict, known: dict[str, set[str]] | None = None) -> dict[str, list]:
    """Field errors of the codes of a line for its year: shape, presence in that year's list, and the
    programme activity belonging to the programme."""
    errors: dict[str, list] = {}
    known = known if known is not None else known_codes(year)
    for field, (kind, shape) in CODE_FIELDS.items():
        value = (values.get(field) or "").strip()
        if not value:
            errors[field] = [_("This code is required.")]
        elif not shape.match(value):
            errors[field] = [_("“%(code)s” is not a code of this list's form.") % {"code": value}]
        elif value not in known[kind]:
            errors[field] = [_("“%(code)s” is not in the %(year)s code list.") % {"code": value, "year": year}]
    programme, activity = values.get("programme") or "", values.get("programme_activity") or ""
    if "programme" not in errors and "programme_activity" not in errors and not activity.startswith(programme + "-"):
        errors["programme_activity"] = [_("The programme activity does not belong to programme %(p)s.") % {"p": programme}]
    return errors


def amount_errors(values: dict) -> dict[str, list]:
    """Amounts are exact RSD with at most two decimals, never negative."""
    errors = {}
    for field in ("planned", "amended", "committed"):
        value = values.get(field)
        if value is None:
            if field == "planned":
                errors[field] = [_("Enter the planned amount.")]
            continue
        if not isinstance(value, Decimal):
            errors[field] = [_("Enter an amount in dinars, e.g. 150000.00.")]
        elif value < 0:
            errors[field] = [_("The amount cannot be negative.")]
        elif value.as_tuple().exponent < -2:
            errors[field] = [_("An amount has at most two decimals.")]
    return errors


def line_errors(activity: Activity, values: dict, known=None) -> dict[str, list]:
    """Everything wrong with a line's values, by field (used by the form, the API and the import)."""
    plan = activity.plan
    errors: dict[str, list] = {}
    year = values.get("year")
    if not year or not plan.period_from <= int(year) <= plan.period_to:
        errors["year"] = [_("The year lies outside the plan's period (%(start)s–%(end)s).") % {
            "start": plan.period_from, "end": plan.period_to}]
    else:
        errors.update(code_errors(int(year), values, known))
    errors.update(amount_errors(values))
    return errors


def _clean_values(values: dict) -> dict:
    cleaned = dict(values)
    for field in CODE_FIELDS:
        if field in cleaned and cleaned[field] is not None:
            cleaned[field] = str(cleaned[field]).strip().upper() if field == "programme_activity" else str(cleaned[field]).strip()
    return cleaned


@transaction.atomic
def line_create(*, user, activity: Activity, **values) -> BudgetLine:
    """Add a budget line to an activity (codes checked against the line's year)."""
    plan = activity.plan
    ensure_editable(plan)
    values = _clean_values(values)
    if values.get("committed") is None:
        values["committed"] = ZERO
    errors = line_errors(activity, values)
    if errors:
        raise ValidationError(errors)
    line = BudgetLine(municipality_id=activity.municipality_id, plan=plan, activity=activity,
                      **{k: v for k, v in values.items() if k in LINE_FIELDS})
    line.full_clean()
    line.save()
    audit(AuditAction.CREATE, user, line, plan)
    return line


@transaction.atomic
def line_update(*, user, line: BudgetLine, expected_version, **values) -> BudgetLine:
    """Change a line (optimistic locking). The rebalans amount and the committed amount change on an
    adopted plan too; anything else only within an amendment."""
    plan = line.plan
    if set(values) - {"amended", "committed"}:
        ensure_editable(plan)
    values = _clean_values(values)
    merged = {f: getattr(line, f) for f in LINE_FIELDS}
    merged.update(values)
    errors = line_errors(line.activity, merged)
    if errors:
        raise ValidationError(errors)
    for name, value in values.items():
        setattr(line, name, value)
    save_with_version(line, expected_version, list(values))
    audit(AuditAction.UPDATE, user, line, plan, fields=sorted(values))
    return line


def executed_total(line: BudgetLine) -> Decimal:
    return Execution.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or ZERO


@transaction.atomic
def execution_record(*, user, line: BudgetLine, executed_on, document: str, amount: Decimal,
                     over_reason: str = "") -> Execution:
    """Record a payment against a line; beyond the amount in force only with a recorded reason."""
    errors = {}
    if amount is None or not isinstance(amount, Decimal) or amount <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    elif amount.as_tuple().exponent < -2:
        errors["amount"] = [_("An amount has at most two decimals.")]
    if not (document or "").strip():
        errors["document"] = [_("Name the document of the payment (e.g. the order number).")]
    if executed_on and executed_on.year != line.year:
        errors["executed_on"] = [_("The payment date lies outside the line's year %(year)s.") % {"year": line.year}]
    if errors:
        raise ValidationError(errors)
    # Lock the line: two payments recorded at once are checked against each other.
    BudgetLine.objects.select_for_update().filter(pk=line.pk).first()
    total = executed_total(line) + amount
    if total > line.current_amount and not (over_reason or "").strip():
        raise field_error("over_reason", _(
            "With this payment the line would be executed %(total)s RSD against %(limit)s RSD in force: "
            "record the reason for exceeding it."
        ) % {"total": f"{total:.2f}", "limit": f"{line.current_amount:.2f}"})
    execution = Execution(municipality_id=line.municipality_id, plan_id=line.plan_id, line=line, executed_on=executed_on,
                          document=document.strip(), amount=amount,
                          over_reason=(over_reason or "").strip() if total > line.current_amount else "",
                          recorded_by=user)
    execution.full_clean()
    execution.save()
    audit(AuditAction.CREATE, user, execution, line.plan, line=line.pk)
    return execution


@transaction.atomic
def code_save(*, user, year: int, kind: str, code: str, name: str, name_cyrl: str) -> BudgetCode:
    """Add or rename a code of one year's list (platform admins); other years' lists are untouched."""
    errors = {}
    if kind not in CodeKind.values:
        errors["kind"] = [_("Choose a code list.")]
    elif not KIND_SHAPE[kind].match((code or "").strip().upper()):
        errors["code"] = [_("“%(code)s” is not a code of this list's form.") % {"code": code}]
    if not (name or "").strip():
        errors["name"] = [_("Enter the name in Latin script.")]
    if not (name_cyrl or "").strip():
        errors["name_cyrl"] = [_("Enter the name in Cyrillic script.")]
    if errors:
        raise ValidationError(errors)
    row, created = BudgetCode.objects.update_or_create(
        year=year, kind=kind, code=code.strip().upper(), defaults={"name": name.strip(), "name_cyrl": name_cyrl.strip()},
    )
    audit_kind = AuditAction.CREATE if created else AuditAction.UPDATE
    audit_log(action=audit_kind, actor=user, obj=row, details={"year": year})
    return row


@transaction.atomic
def codes_copy_year(*, user, source_year: int, target_year: int) -> int:
    """Start a year's lists as a copy of another's (codes already in the target year stay as they are)."""
    have = {(k, c) for k, c in BudgetCode.objects.filter(year=target_year).values_list("kind", "code")}
    new = [BudgetCode(year=target_year, kind=r.kind, code=r.code, name=r.name, name_cyrl=r.name_cyrl)
           for r in BudgetCode.objects.filter(year=source_year) if (r.kind, r.code) not in have]
    BudgetCode.objects.bulk_create(new)
    audit_log(action=AuditAction.CREATE, actor=user, object_type="action_plans.budgetcode",
              details={"copied_from": source_year, "year": target_year, "codes": len(new)})
    return len(new)


@transaction.atomic
def codes_seed(*, years) -> int:
    """Fill the code lists of the given years with the standard codes where a year has none yet."""
    added = 0
    for year in years:
        if BudgetCode.objects.filter(year=year).exists():
            continue
        BudgetCode.objects.bulk_create([BudgetCode(year=year, kind=k, code=c, name=n, name_cyrl=nc)
                                        for k, c, n, nc in STANDARD_CODES])
        added += len(STANDARD_CODES)
    return added
