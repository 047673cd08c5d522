"""What the case page shows of the record: persons (JMBG masked and confidential addresses hidden
where the user may not see them), incidents, risk assessments, consent, notes and documents, read in
a fixed number of queries (``detail_context``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from apps.core.audit import audit_many
from apps.core.choices import AuditAction

from ..choices import (
    RISK_ITEMS,
    AgeGroup,
    Answer,
    CaseStatus,
    PersonRole,
    RiskLevel,
    ViolenceForm,
)
from ..models import (
    Attachment,
    Case,
    CaseNote,
    CasePerson,
    Consent,
    Incident,
    ProtectionPlan,
    RiskAssessment,
)
from ..selectors.case_rows import case_rows
from ..selectors.persons import may_see_confidential_address
from ..services.notes import CORRECTION_WINDOW
from ..services.risk import current_of
from .persons import is_lead_staff
from .risk import assessment_source

# Persons are listed victims first, then perpetrators, children and the rest of the household.
ROLE_ORDER = {PersonRole.VICTIM: 0, PersonRole.PERPETRATOR: 1, PersonRole.CHILD: 2, PersonRole.HOUSEHOLD_MEMBER: 3}
SERIOUS_LEVELS = (RiskLevel.HIGH, RiskLevel.IMMEDIATE)


# --- what the case page shows ---------------------------------------------------------------------


@dataclass
class PersonRow:
    """A person as the user may see them."""

    person: CasePerson
    jmbg: str
    jmbg_masked: bool
    address: str
    address_masked: bool
    age_group: str


@dataclass
class AssessmentRow:
    """An assessment with the checklist items answered "yes"."""

    assessment: RiskAssessment
    yes_items: list[tuple[str, str]]  # (label, note) of the items answered "yes"


@dataclass
class RecordsContext:
    """What the records sections of the case page need."""

    case: Case
    can_write: bool
    persons: list[PersonRow] = field(default_factory=list)
    has_victims: bool = False
    incidents: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[AssessmentRow] = field(default_factory=list)
    latest_assessment: RiskAssessment | None = None
    current_assessment: RiskAssessment | None = None  # what the case's level follows (current_of)
    current_source: str = ""
    offer_plan: bool = False
    consents_valid: list[Consent] = field(default_factory=list)
    consents_ended: list[Consent] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def _consent_state(consent: Consent, today) -> str:
    if consent.withdrawn_at and consent.withdrawn_at <= today:
        return "withdrawn"
    if consent.expires_at and consent.expires_at < today:
        return "expired"
    if consent.given_at > today:
        return "future"
    return "valid"


def persons_audit_details(case) -> dict:
    """What the audit entry of reading a person's contact data on the case page records."""
    return {"case": case.pk, "contact": True}


def persons_audit_entries(context: dict) -> list:
    """``(action, person, details)`` of the persons ``detail_context(..., audit=False)`` showed."""
    records = context.get("records")
    if records is None or not records.persons:
        return []
    details = persons_audit_details(records.case)
    return [(AuditAction.VIEW, row.person, details) for row in records.persons]


def detail_context(request, case, *, audit: bool = True) -> dict:
    """What the case page needs from this area, in a fixed number of queries; reading the persons'
    contact data is audited (one entry per person, one INSERT; ``audit=False``: by the caller, with
    ``persons_audit_entries``)."""
    user = request.user
    today = timezone.localdate()
    now = timezone.now()
    ctx = RecordsContext(case=case, can_write=case.status != CaseStatus.CLOSED)

    persons = sorted(
        case_rows(user, case, CasePerson),
        key=lambda p: (ROLE_ORDER.get(p.role, 9), p.id),
    )
    lead_staff = is_lead_staff(user, case)
    sees_confidential = None
    for person in persons:
        person.case = case
        masked = bool(person.address) and person.confidential_address
        if masked:
            if sees_confidential is None:
                sees_confidential = may_see_confidential_address(user, person)
            masked = not sees_confidential
        ctx.persons.append(
            PersonRow(
                person=person,
                jmbg=person.jmbg if lead_staff else "",
                jmbg_masked=bool(person.jmbg) and not lead_staff,
                address="" if masked else person.address,
                address_masked=masked,
                age_group=AgeGroup(person.age_group).label,
            )
        )
    ctx.has_victims = any(p.role == PersonRole.VICTIM for p in persons)
    if persons and audit:
        audit_many(action=AuditAction.VIEW, objects=persons, actor=user, details=persons_audit_details(case))

    form_labels = dict(ViolenceForm.choices)
    for incident in case_rows(user, case, Incident):
        ctx.incidents.append({"incident": incident, "forms": [form_labels.get(f, f) for f in incident.forms]})

    item_labels = dict(RISK_ITEMS)
    for assessment in case_rows(user, case, RiskAssessment):
        yes = [
            (item_labels.get(code, code), (answer or {}).get("note", ""))
            for code, answer in (assessment.items or {}).items()
            if isinstance(answer, dict) and answer.get("answer") == Answer.YES
        ]
        ctx.assessments.append(AssessmentRow(assessment=assessment, yes_items=yes))
    if ctx.assessments:
        ctx.latest_assessment = ctx.assessments[0].assessment
        ctx.current_assessment = current_of(row.assessment for row in ctx.assessments)
        ctx.current_source = assessment_source(ctx.current_assessment)
        ctx.offer_plan = (
            ctx.can_write
            and ctx.current_assessment.level in SERIOUS_LEVELS
            and not ProtectionPlan.objects.of_case(user, case).filter(is_active=True).exists()
        )

    consents = (
        case_rows(user, case, Consent)
    )
    for consent in consents:
        consent.state = _consent_state(consent, today)
        (ctx.consents_valid if consent.state == "valid" else ctx.consents_ended).append(consent)

    notes = case_rows(user, case, CaseNote)
    for note in notes:
        ctx.notes.append(
            {
                "note": note,
                "editable": ctx.can_write and note.author_id == user.pk and now - note.created_at <= CORRECTION_WINDOW,
            }
        )

    ctx.attachments = list(case_rows(user, case, Attachment))
    return {"records": ctx}
