"""Builders for the deadline and cooperation tests (measures, plans, referrals, reminders, work
queue). Every name is obviously fictional."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.cases import deadlines
from apps.cases.choices import (
    ConsentMethod,
    EmergencyMeasureKind,
    PersonRole,
    PlanMeasureKind,
    ProtectiveMeasureKind,
    RiskLevel,
)
from apps.cases.models import (
    Case,
    CaseAssignment,
    CaseParticipant,
    CasePerson,
    Consent,
    EmergencyMeasure,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    RiskAssessment,
)
from apps.core.text import search_key

from .factories import open_case

_sequence = itertools.count(70001)


def make_case(*, institution, opened_by, **fields) -> Case:
    """A case led by ``institution``, opened through the case service by ``opened_by`` (who becomes
    its case manager); ``status`` or other columns given are then set directly."""
    reported_at = fields.pop("reported_at", timezone.now() - timedelta(days=1))
    is_restricted = fields.pop("is_restricted", False)
    case = open_case(opened_by, lead=institution, reported_at=reported_at, is_restricted=is_restricted)
    if fields:
        Case.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
    return case


def join(case: Case, institution, *, added_by) -> CaseParticipant:
    """Put an institution on the case team."""
    return CaseParticipant.objects.create(
        municipality=case.municipality, case=case, institution=institution, added_by=added_by
    )


def assign(case: Case, user, *, institution) -> CaseAssignment:
    """Assign a staff member to the case."""
    return CaseAssignment.objects.create(
        municipality=case.municipality, case=case, user=user, institution=institution, assigned_by=user
    )


def victim(case: Case, first_name: str = "Testna", last_name: str = "Žrtva") -> CasePerson:
    """The victim of the case (fictional)."""
    return CasePerson.objects.create(
        municipality=case.municipality,
        case=case,
        role=PersonRole.VICTIM,
        first_name=first_name,
        last_name=last_name,
        name_key=search_key(f"{first_name} {last_name}"),
    )


def consent(case: Case, person: CasePerson, institutions, *, recorded_by, given_at: date | None = None, **fields) -> Consent:
    """The victim's written consent to share with the named institutions."""
    row = Consent.objects.create(
        municipality=case.municipality,
        case=case,
        person=person,
        given_at=given_at or timezone.localdate() - timedelta(days=1),
        scope="Testni obim saglasnosti",
        method=ConsentMethod.WRITTEN,
        recorded_by=recorded_by,
        **fields,
    )
    row.institutions.set(institutions)
    return row


def assessment(
    case: Case, *, assessor, institution, immediate_danger: bool, level=None, assessed_at=None, lower_reason=""
) -> RiskAssessment:
    """A risk assessment with the given conclusion (``lower_reason``: why it lowers the case)."""
    level = level or (RiskLevel.IMMEDIATE if immediate_danger else RiskLevel.LOW)
    return RiskAssessment.objects.create(
        municipality=case.municipality,
        case=case,
        assessor=assessor,
        institution=institution,
        computed_level=level,
        level=level,
        immediate_danger=immediate_danger,
        assessed_at=assessed_at or timezone.now(),
        lower_reason=lower_reason,
    )


def emergency(case: Case, *, ordered_by, recorded_by, delivered_at: datetime, **fields) -> EmergencyMeasure:
    """An emergency measure stored directly (deadlines computed as the service does)."""
    times = deadlines.emergency_measure_deadlines(delivered_at=delivered_at)
    return EmergencyMeasure.objects.create(
        municipality=case.municipality,
        case=case,
        kind=fields.pop("kind", EmergencyMeasureKind.REMOVAL),
        order_number=fields.pop("order_number", f"TEST-{next(_sequence)}"),
        ordered_by=ordered_by,
        delivered_at=delivered_at,
        expires_at=times.expiry.due,
        extension_proposal_due=times.extension_proposal.due,
        recorded_by=recorded_by,
        **fields,
    )


def protective(case: Case, *, recorded_by, valid_from: date, valid_until: date, **fields) -> ProtectiveMeasure:
    """A protective measure stored directly."""
    return ProtectiveMeasure.objects.create(
        municipality=case.municipality,
        case=case,
        kind=fields.pop("kind", ProtectiveMeasureKind.HARASSMENT_BAN),
        court="Osnovni sud Testgrad",
        decision_date=fields.pop("decision_date", valid_from),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=recorded_by,
        **fields,
    )


def plan(case: Case, *, created_by, **fields) -> ProtectionPlan:
    """A current plan adopted a week ago."""
    return ProtectionPlan.objects.create(
        municipality=case.municipality,
        case=case,
        adopted_at=fields.pop("adopted_at", timezone.localdate() - timedelta(days=7)),
        created_by=created_by,
        **fields,
    )


def plan_measure(plan_row: ProtectionPlan, *, owner, deadline: date, **fields) -> PlanMeasure:
    """A plan measure stored directly."""
    return PlanMeasure.objects.create(
        municipality=plan_row.municipality,
        plan=plan_row,
        case=plan_row.case,
        kind=fields.pop("kind", PlanMeasureKind.SUPPORT),
        description=fields.pop("description", "Testna mera podrške"),
        owner_institution=owner,
        deadline=deadline,
        **fields,
    )
