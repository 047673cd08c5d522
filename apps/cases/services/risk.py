"""Art. 16 risk assessments: the checklist, the computed level, professional judgement, and what a
high or immediate-danger result sets in motion.

The computed level (there is no official score; this rule is ours and documented here):

* the assessor concludes immediate danger                       -> immediate danger;
* any red flag answered "yes" (threat of murder, use or threat of
  a weapon, strangling, breach of a measure)                     -> high;
* at least HIGH_YES_THRESHOLD items answered "yes" (10 of 18,
  about the share of DASH's 14 of 24)                            -> high;
* at least MEDIUM_YES_THRESHOLD items answered "yes" (4)         -> medium;
* otherwise                                                      -> low.

"Unknown" counts as neither yes nor no. Judgement may raise the level above the computed one
(with a recorded reason), never lower it.

An assessment with nothing answered (every item unknown, no immediate danger concluded, no level
chosen) is refused: it would record "low" for what is only a blank form.

The case's risk level follows its current assessment (``current_of`` below): an assessment
lower than the current one lowers the case only when it states why the risk is now lower
(``lower_reason``); without it the assessment is recorded and the case keeps the higher level and its
source.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import (
    PRIORITY_FROM_RISK,
    RISK_ITEM_CODES,
    RISK_ORDER,
    RISK_RED_FLAGS,
    Answer,
    Priority,
    RiskLevel,
)
from ..models import Case, ProtectionPlan, RiskAssessment
from .common import acting_institution, ensure_open, propose, reach_case, touch

HIGH_YES_THRESHOLD = 10
MEDIUM_YES_THRESHOLD = 4
NOTE_MAX_LENGTH = 1000


def normalize_items(items) -> dict[str, dict[str, str]]:
    """Every checklist item as {"answer": yes|no|unknown, "note": str}; missing items are unknown.

    Accepts {code: "yes"} or {code: {"answer": "yes", "note": "..."}}.
    """
    if items is None:
        items = {}
    if not isinstance(items, dict):
        raise ValidationError({"items": _("The checklist is not in the expected form.")}, code="invalid")
    unknown = sorted(set(items) - set(RISK_ITEM_CODES))
    if unknown:
        raise ValidationError(
            {"items": _("The checklist has items that do not exist: %(items)s.") % {"items": ", ".join(unknown)}},
            code="unknown_item",
        )
    result: dict[str, dict[str, str]] = {}
    for code in RISK_ITEM_CODES:
        raw = items.get(code, Answer.UNKNOWN)
        if isinstance(raw, dict):
            answer, note = raw.get("answer", Answer.UNKNOWN), raw.get("note", "") or ""
        else:
            answer, note = raw, ""
        answer = answer or Answer.UNKNOWN
        if answer not in Answer.values:
            raise ValidationError(
                {"items": _("Answer every checklist item with yes, no or unknown (item “%(item)s”).") % {"item": code}},
                code="invalid_answer",
            )
        note = str(note).strip()
        if len(note) > NOTE_MAX_LENGTH:
            raise ValidationError(
                {"items": _("The note on item “%(item)s” is longer than %(max)d characters.")
                 % {"item": code, "max": NOTE_MAX_LENGTH}},
                code="note_too_long",
            )
        result[code] = {"answer": str(answer), "note": note}
    return result


def compute_level(items, *, immediate_danger: bool = False) -> RiskLevel:
    """The level the checklist gives (see the module docstring for the rule)."""
    items = normalize_items(items)
    if immediate_danger:
        return RiskLevel.IMMEDIATE
    yes = {code for code, item in items.items() if item["answer"] == Answer.YES}
    if yes & RISK_RED_FLAGS:
        return RiskLevel.HIGH
    if len(yes) >= HIGH_YES_THRESHOLD:
        return RiskLevel.HIGH
    if len(yes) >= MEDIUM_YES_THRESHOLD:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


# --- the case's current assessment and the risk level it sets -----------------------------------


def latest_assessment(case: Case) -> RiskAssessment | None:
    """The most recent risk assessment of the case (by assessment time)."""
    return RiskAssessment.objects.filter(case_id=case.pk).order_by("-assessed_at", "-id").first()


def current_of(assessments) -> RiskAssessment | None:
    """The case's current assessment among ``assessments`` (any order).

    Walking them in time order, an assessment becomes the current one when its level is at least the
    current level, or when it states why the risk is now lower (``lower_reason``). A lower assessment
    without that reason is kept in the record but does not lower the case: so the current one is the
    latest assessment, unless an earlier one is higher and nobody has since stated why it no longer holds.
    """
    current = None
    for assessment in sorted(assessments, key=lambda a: (a.assessed_at, a.pk)):
        if (
            current is None
            or RISK_ORDER[RiskLevel(assessment.level)] >= RISK_ORDER[RiskLevel(current.level)]
            or assessment.lower_reason
        ):
            current = assessment
    return current


def current_assessment(case: Case) -> RiskAssessment | None:
    """The assessment the case's risk level follows (see ``current_of``)."""
    return current_of(RiskAssessment.objects.filter(case_id=case.pk).select_related("institution", "assessor"))


def refresh_risk(case: Case) -> Case:
    """Derive the case's risk level and priority from its current assessment (never set by hand)."""
    current = current_assessment(case)
    risk_level = current.level if current else ""
    priority = PRIORITY_FROM_RISK[RiskLevel(risk_level)] if current else Priority.REGULAR
    if current and current.immediate_danger:
        priority = Priority.IMMEDIATE
    Case.objects.filter(pk=case.pk).update(risk_level=risk_level, priority=priority)
    case.risk_level, case.priority = risk_level, priority
    return case


def is_immediate_danger(case: Case) -> bool:
    """Whether the case's current assessment concludes immediate danger."""
    current = current_assessment(case)
    return bool(current and (current.immediate_danger or current.level == RiskLevel.IMMEDIATE))


# --- recording an assessment ---------------------------------------------------------------------


@dataclass(frozen=True)
class RiskOutcome:
    """The saved assessment and what it asks of the team."""

    assessment: RiskAssessment
    # A high or immediate-danger result: the case is proposed for the next case conference ...
    proposed_for_conference: bool
    # ... and an individual protection and support plan should be opened (none is active yet).
    open_plan: bool
    # Immediate danger: the assessment must go at once to the basic public prosecutor (art. 16).
    send_to_prosecutor: bool
    # The assessment the case's level follows after this one (itself, or a higher earlier one that
    # this lower assessment gave no reason to set aside).
    current: RiskAssessment | None = None

    @property
    def kept_higher(self) -> bool:
        """This assessment is lower than the case's current one and did not lower the case."""
        return self.current is not None and self.current.pk != self.assessment.pk


@transaction.atomic
def risk_assess(
    *,
    user,
    case: Case,
    items,
    immediate_danger: bool,
    level: str | None = None,
    raise_reason: str = "",
    lower_reason: str = "",
    conclusion: str = "",
    assessed_at: datetime | None = None,
    source: str = "",
) -> RiskOutcome:
    """Record a risk assessment; the case's risk level and priority follow its current assessment."""
    case = reach_case(user, case)
    ensure_open(case)
    now = timezone.now()
    assessed_at = assessed_at or now
    if timezone.is_naive(assessed_at):
        raise ValidationError({"assessed_at": _("Enter the time of the assessment with its time zone.")})
    if assessed_at > now:
        raise ValidationError({"assessed_at": _("The assessment time cannot be in the future.")}, code="future")
    normalized = normalize_items(items)
    if not (immediate_danger or level) and all(item["answer"] == Answer.UNKNOWN for item in normalized.values()):
        raise ValidationError(
            {
                "items": _(
                    "Nothing is answered: every checklist item is “unknown”. Answer at least one item yes or no "
                    "(or conclude immediate danger) before saving; a blank checklist would record a low risk."
                )
            },
            code="empty",
        )
    computed = compute_level(normalized, immediate_danger=bool(immediate_danger))
    chosen = level or computed
    if chosen not in RiskLevel.values:
        raise ValidationError({"level": _("Choose a valid risk level.")}, code="invalid")
    chosen = RiskLevel(chosen)
    raise_reason = (raise_reason or "").strip()
    if RISK_ORDER[chosen] < RISK_ORDER[computed]:
        raise ValidationError(
            {
                "level": _(
                    "Professional judgement may raise the level, never lower it: the checklist gives “%(computed)s”."
                )
                % {"computed": computed.label}
            },
            code="lowered",
        )
    if RISK_ORDER[chosen] > RISK_ORDER[computed] and not raise_reason:
        raise ValidationError(
            {"raise_reason": _("Explain why the level is higher than the checklist gives.")}, code="required"
        )
    if chosen == computed:
        raise_reason = ""
    lower_reason = (lower_reason or "").strip()
    before = current_assessment(case)
    if before is None or RISK_ORDER[chosen] >= RISK_ORDER[RiskLevel(before.level)]:
        lower_reason = ""  # nothing is lowered, so there is nothing to explain
    # Raising to immediate danger is concluding immediate danger.
    immediate = bool(immediate_danger) or chosen == RiskLevel.IMMEDIATE
    institution = acting_institution(user, case)
    if institution is None:
        raise ValidationError({"institution": _("You act for no institution that can assess this case.")})
    assessment = RiskAssessment(
        municipality_id=case.municipality_id,
        case=case,
        assessed_at=assessed_at,
        assessor=user,
        institution=institution,
        items=normalized,
        computed_level=computed,
        level=chosen,
        immediate_danger=immediate,
        raise_reason=raise_reason,
        lower_reason=lower_reason,
        conclusion=(conclusion or "").strip(),
        sent_to_prosecutor_at=None,
        source=source,
    )
    assessment.full_clean()
    assessment.save()
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=assessment,
        details={
            "case": case.pk, "raised": bool(raise_reason), "lowered": bool(lower_reason), "immediate_danger": immediate,
        },
    )
    refresh_risk(case)
    current = current_assessment(case)
    serious = current.pk == assessment.pk and chosen in (RiskLevel.HIGH, RiskLevel.IMMEDIATE)
    proposed = False
    if serious:
        propose(case, user, at=now)
        proposed = True
    open_plan = serious and not ProtectionPlan.objects.filter(case=case, is_active=True).exists()
    touch(case, at=now)
    return RiskOutcome(
        assessment=assessment,
        proposed_for_conference=proposed,
        open_plan=open_plan,
        send_to_prosecutor=immediate,
        current=current,
    )
