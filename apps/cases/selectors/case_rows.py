"""Rows of one case read once per request and shared by the case page's sections and its timeline
(both show incidents, risk assessments, measures, consents, referrals, notes and documents)."""
from __future__ import annotations

from ..models import (
    Attachment,
    CaseNote,
    Consent,
    EmergencyMeasure,
    Incident,
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
