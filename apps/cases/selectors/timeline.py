"""The case timeline: everything that happened on a case, newest first, in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import CourtDecision, PlanMeasureStatus, ReferralStatus
from ..models import (
    Attachment,
    Case,
    CaseAssignment,
    CaseNote,
    CaseParticipant,
    CasePerson,
    CaseStatusChange,
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
from ..querysets import mark_visible, marked_for
from .case_rows import case_rows


class Kind:
    """Entry kinds (stable codes for templates and the API)."""

    CASE_REPORTED = "case_reported"
    STATUS_CHANGED = "status_changed"
    TEAM_JOINED = "team_joined"
    TEAM_LEFT = "team_left"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    PERSON_ADDED = "person_added"
    INCIDENT = "incident"
    RISK_ASSESSMENT = "risk_assessment"
    EMERGENCY_MEASURE = "emergency_measure"
    EXTENSION_PROPOSED = "extension_proposed"
    COURT_DECISION = "court_decision"
    APPEAL_FILED = "appeal_filed"
    BREACH = "breach"
    PROTECTIVE_MEASURE = "protective_measure"
    PROTECTIVE_MEASURE_RENEWED = "protective_measure_renewed"
    PLAN_ADOPTED = "plan_adopted"
    PLAN_MEASURE_DONE = "plan_measure_done"
    CONSENT_GIVEN = "consent_given"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    REFERRAL_SENT = "referral_sent"
    REFERRAL_ACCEPTED = "referral_accepted"
    REFERRAL_DECLINED = "referral_declined"
    REFERRAL_COMPLETED = "referral_completed"
    NOTE = "note"
    ATTACHMENT = "attachment"


TITLES = {
    Kind.CASE_REPORTED: _("Case reported"),
    Kind.STATUS_CHANGED: _("Status changed"),
    Kind.TEAM_JOINED: _("Institution joined the case team"),
    Kind.TEAM_LEFT: _("Institution left the case team"),
    Kind.ASSIGNED: _("Staff member assigned"),
    Kind.UNASSIGNED: _("Assignment ended"),
    Kind.PERSON_ADDED: _("Person added"),
    Kind.INCIDENT: _("Incident"),
    Kind.RISK_ASSESSMENT: _("Risk assessment"),
    Kind.EMERGENCY_MEASURE: _("Emergency measure delivered"),
    Kind.EXTENSION_PROPOSED: _("Extension of the emergency measure proposed"),
    Kind.COURT_DECISION: _("Court decided on the extension"),
    Kind.APPEAL_FILED: _("Appeal filed"),
    Kind.BREACH: _("Breach of a measure"),
    Kind.PROTECTIVE_MEASURE: _("Protective measure ordered"),
    Kind.PROTECTIVE_MEASURE_RENEWED: _("Protective measure renewed"),
    Kind.PLAN_ADOPTED: _("Protection and support plan adopted"),
    Kind.PLAN_MEASURE_DONE: _("Plan measure completed"),
    Kind.CONSENT_GIVEN: _("Consent given"),
    Kind.CONSENT_WITHDRAWN: _("Consent withdrawn"),
    Kind.REFERRAL_SENT: _("Referral sent"),
    Kind.REFERRAL_ACCEPTED: _("Referral accepted"),
    Kind.REFERRAL_DECLINED: _("Referral declined"),
    Kind.REFERRAL_COMPLETED: _("Referral completed"),
    Kind.NOTE: _("Note or contact"),
    Kind.ATTACHMENT: _("Document attached"),
}


@dataclass
class TimelineEntry:
    """One thing that happened on the case. ``obj`` is the record (for the template to show)."""

    at: datetime
    kind: str
    obj: Any
    actor: Any = None
    institution: Any = None
    all_day: bool = False  # the record holds a date only (decision date, consent date...)
    details: dict = field(default_factory=dict)

    @property
    def title(self):
        return TITLES[self.kind]


def _day(value: date) -> datetime:
    return timezone.make_aware(datetime.combine(value, time.min))


def case_timeline(user, case: Case | int, *, audit: bool = True) -> list[TimelineEntry]:
    """Everything recorded on a case that the user may see, newest first; the read is audited
    (``audit=False``: by the caller, which writes the page's reads together)."""
    pk = case.pk if isinstance(case, Case) else case
    if not (isinstance(case, Case) and marked_for(case, user)):
        # Not loaded through visible_to for this user in this request: check (and load) it here.
        case = Case.objects.visible_to(user).select_related("lead_institution", "opened_by").filter(pk=pk).first()
        if case is None:
            raise Http404
        mark_visible(case, user)
    entries: list[TimelineEntry] = []
    add = entries.append

    add(TimelineEntry(case.reported_at, Kind.CASE_REPORTED, case, case.opened_by, case.lead_institution))

    for c in case_rows(user, case, CaseStatusChange):
        add(TimelineEntry(c.changed_at, Kind.STATUS_CHANGED, c, c.changed_by, details={"from": c.from_status, "to": c.to_status}))

    for p in case_rows(user, case, CaseParticipant):
        add(TimelineEntry(p.joined_at, Kind.TEAM_JOINED, p, p.added_by, p.institution))
        if p.ended_at:
            add(TimelineEntry(p.ended_at, Kind.TEAM_LEFT, p, None, p.institution))

    for a in case_rows(user, case, CaseAssignment):
        add(TimelineEntry(a.assigned_at, Kind.ASSIGNED, a, a.assigned_by, a.institution, details={"role": a.team_role}))
        if a.ended_at:
            add(TimelineEntry(a.ended_at, Kind.UNASSIGNED, a, None, a.institution))

    # Persons: the name and role only (contact data and addresses are not part of the timeline).
    for p in case_rows(user, case, CasePerson):
        add(TimelineEntry(p.created_at, Kind.PERSON_ADDED, p, details={"role": p.role}))

    for i in case_rows(user, case, Incident):
        add(TimelineEntry(i.occurred_at, Kind.INCIDENT, i, i.recorded_by, i.reporting_institution, details={"forms": list(i.forms)}))

    for r in case_rows(user, case, RiskAssessment):
        details = {"level": r.level, "immediate_danger": r.immediate_danger}
        add(TimelineEntry(r.assessed_at, Kind.RISK_ASSESSMENT, r, r.assessor, r.institution, details=details))

    for m in case_rows(user, case, EmergencyMeasure):
        add(TimelineEntry(m.delivered_at, Kind.EMERGENCY_MEASURE, m, m.recorded_by, m.ordered_by, details={"kind": m.kind}))
        if m.extension_proposed_at:
            add(TimelineEntry(m.extension_proposed_at, Kind.EXTENSION_PROPOSED, m))
        if m.court_decided_at and m.court_decision != CourtDecision.PENDING:
            add(TimelineEntry(m.court_decided_at, Kind.COURT_DECISION, m, details={"decision": m.court_decision}))
        if m.appeal_filed_at:
            add(TimelineEntry(m.appeal_filed_at, Kind.APPEAL_FILED, m))

    for b in case_rows(user, case, MeasureBreach):
        add(TimelineEntry(b.occurred_at, Kind.BREACH, b, b.recorded_by))

    for m in case_rows(user, case, ProtectiveMeasure):
        kind = Kind.PROTECTIVE_MEASURE_RENEWED if m.renewed_from_id else Kind.PROTECTIVE_MEASURE
        add(TimelineEntry(_day(m.decision_date), kind, m, m.recorded_by, all_day=True, details={"kind": m.kind}))

    for p in case_rows(user, case, ProtectionPlan):
        add(TimelineEntry(_day(p.adopted_at), Kind.PLAN_ADOPTED, p, p.created_by, all_day=True))

    for m in case_rows(user, case, PlanMeasure):
        if m.status != PlanMeasureStatus.DONE or m.completed_at is None:
            continue
        add(TimelineEntry(m.completed_at, Kind.PLAN_MEASURE_DONE, m, None, m.owner_institution))

    for c in case_rows(user, case, Consent):
        add(TimelineEntry(_day(c.given_at), Kind.CONSENT_GIVEN, c, c.recorded_by, all_day=True))
        if c.withdrawn_at:
            add(TimelineEntry(_day(c.withdrawn_at), Kind.CONSENT_WITHDRAWN, c, all_day=True))

    for r in case_rows(user, case, Referral):
        add(TimelineEntry(r.sent_at, Kind.REFERRAL_SENT, r, r.sent_by, r.from_institution, details={"urgency": r.urgency}))
        if r.answered_at:
            # A completed referral was accepted first; a declined one carries its reason on the object.
            kind = Kind.REFERRAL_DECLINED if r.status == ReferralStatus.DECLINED else Kind.REFERRAL_ACCEPTED
            add(TimelineEntry(r.answered_at, kind, r, r.answered_by, r.to_institution))
        if r.completed_at:
            add(TimelineEntry(r.completed_at, Kind.REFERRAL_COMPLETED, r, None, r.to_institution))

    for n in case_rows(user, case, CaseNote):
        details = {"kind": n.kind, "visibility": n.visibility}
        add(TimelineEntry(n.occurred_at, Kind.NOTE, n, n.author, n.institution, details=details))

    for a in case_rows(user, case, Attachment):
        details = {"visibility": a.visibility, "content_type": a.content_type}
        add(TimelineEntry(a.created_at, Kind.ATTACHMENT, a, a.uploaded_by, a.institution, details=details))

    order = {kind: i for i, kind in enumerate(TITLES)}
    entries.sort(key=lambda e: (e.at, order[e.kind], getattr(e.obj, "pk", 0) or 0), reverse=True)
    if audit:
        audit_log(action=AuditAction.VIEW, actor=user, obj=case, details=timeline_audit_details(entries))
    return entries


def timeline_audit_details(entries) -> dict:
    """What the audit entry of a timeline read records."""
    return {"view": "timeline", "entries": len(entries)}
