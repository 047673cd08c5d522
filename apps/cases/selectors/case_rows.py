"""Rows of one case read once per request and shared by the case page's sections, its side panel
and its timeline (all of them show the team, the staff, the persons, incidents, risk assessments,
measures, plans, consents, referrals, notes and documents): one query per table per page."""
from __future__ import annotations

from ..models import (
    Attachment,
    CaseAssignment,
    CaseNote,
    CaseParticipant,
    CasePerson,
    Consent,
    EmergencyMeasure,
    Incident,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
    RiskAssessment,
)
from ..querysets import marked_for

# What every reader of these rows needs loaded with them, and their order on the page.
LOADS = {
    Incident: {"select": ("recorded_by", "reporting_institution")},
    RiskAssessment: {"select": ("assessor", "institution")},
    CaseNote: {"select": ("author", "institution")},
    Attachment: {"select": ("uploaded_by", "institution")},
    Consent: {"select": ("recorded_by", "person"), "prefetch": ("institutions",), "order": ("-given_at", "-id")},
    Referral: {
        "select": ("from_institution", "to_institution", "to_institution__municipality", "sent_by", "answered_by"),
        "order": ("-sent_at", "-id"),
    },
    EmergencyMeasure: {"select": ("recorded_by", "ordered_by"), "order": ("-delivered_at", "-id")},
    CaseParticipant: {"select": ("institution", "added_by"), "order": ("joined_at", "id")},
    CaseAssignment: {"select": ("user", "institution", "assigned_by"), "order": ("assigned_at", "id")},
    CasePerson: {"select": (), "order": ("id",)},
    MeasureBreach: {"select": ("recorded_by",), "order": ("-occurred_at", "-id")},
    ProtectiveMeasure: {"select": ("recorded_by",), "order": ("-valid_until", "-id")},
    ProtectionPlan: {"select": ("created_by",), "order": ("-is_active", "-adopted_at", "-id")},
    PlanMeasure: {"select": ("for_person", "owner_institution"), "order": ("deadline", "id")},
}


def case_rows(user, case, model) -> list:
    """The rows of ``model`` on ``case`` that ``user`` may see (``of_case``), loaded on first use in
    this request and then shared; callers must not change the list."""
    load = LOADS[model]
    queryset = model.objects.of_case(user, case).select_related(*load["select"])
    if load.get("prefetch"):
        queryset = queryset.prefetch_related(*load["prefetch"])
    if load.get("order"):
        queryset = queryset.order_by(*load["order"])
    if not marked_for(case, user):  # not the case object of this request: nothing to share
        return list(queryset)
    memo = case.__dict__.setdefault("_case_rows", {})
    if model not in memo:
        memo[model] = list(queryset)
    return memo[model]
