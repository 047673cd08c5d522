"""The work queue of one person: what needs doing now, in a fixed number of queries.

Every list is built from ``visible_to(user)`` (or, for referrals addressed to the user's own
institutions that are not yet shared, from the institution match alone: the receiving side must
see what it is asked to accept) and is capped, so the page cost does not grow with the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from apps.core.audit import audit_many
from apps.core.choices import AuditAction

from .. import deadlines, hooks
from ..choices import CaseStatus, CourtDecision, ReferralStatus
from ..deadlines import Countdown, Deadline, DeadlineKind
from ..models import (
    ANSWERED_REFERRAL,
    OPEN_PLAN_MEASURE,
    Case,
    CaseAssignment,
    EmergencyMeasure,
    PlanMeasure,
    Referral,
    Reminder,
)
from ..querysets import CASE_ROLES, case_municipality_ids

MEASURE_HORIZON = timedelta(hours=48)
STALE_AFTER = timedelta(days=30)
ANSWERED_RECENTLY = timedelta(days=7)
LIMIT = 50


@dataclass(frozen=True)
class MeasureItem:
    """An emergency measure that needs attention, with its most urgent deadline."""

    measure: EmergencyMeasure
    deadline: Deadline
    countdown: Countdown
    in_force_until: datetime
    missing_proposal: bool

    @property
    def case(self) -> Case:
        return self.measure.case


@dataclass(frozen=True)
class PlanMeasureItem:
    """An overdue plan measure owned by one of the user's institutions."""

    measure: PlanMeasure
    deadline: Deadline
    countdown: Countdown

    @property
    def case(self) -> Case:
        return self.measure.case


@dataclass
class WorkQueue:
    """What one person should look at, grouped."""

    now: datetime
    expiring_measures: list[MeasureItem] = field(default_factory=list)
    overdue_plan_measures: list[PlanMeasureItem] = field(default_factory=list)
    waiting_referrals: list[Referral] = field(default_factory=list)
    answered_referrals: list[Referral] = field(default_factory=list)
    stale_cases: list[Case] = field(default_factory=list)
    unread_reminders: list[Reminder] = field(default_factory=list)
    # Groups contributed by other apps through apps/cases/hooks.py (e.g. conference action items).
    sections: list = field(default_factory=list)

    def cases(self) -> list[Case]:
        """Every case the queue mentions (with repeats), for auditing the read."""
        return (
            [i.measure.case for i in self.expiring_measures]
            + [i.measure.case for i in self.overdue_plan_measures]
            + [r.case for r in self.waiting_referrals + self.answered_referrals]
            + list(self.stale_cases)
            + [r.case for r in self.unread_reminders]
            + [c for s in self.sections for c in s.cases]
        )

    @property
    def total(self) -> int:
        """How many items in all groups."""
        return (
            len(self.expiring_measures)
            + len(self.overdue_plan_measures)
            + len(self.waiting_referrals)
            + len(self.answered_referrals)
            + len(self.stale_cases)
            + len(self.unread_reminders)
            + sum(len(s) for s in self.sections)
        )


def _measure_item(measure: EmergencyMeasure, now: datetime) -> MeasureItem:
    extended = measure.court_decision == CourtDecision.EXTENDED and measure.extended_until is not None
    in_force_until = measure.extended_until if extended else measure.expires_at
    missing = measure.court_decision == CourtDecision.PENDING and measure.extension_proposed_at is None
    if missing:
        deadline = Deadline(DeadlineKind.EXTENSION_PROPOSAL, measure.extension_proposal_due)
    elif measure.court_decision == CourtDecision.PENDING and measure.court_decision_due:
        deadline = Deadline(DeadlineKind.COURT_DECISION, measure.court_decision_due)
    elif extended:
        deadline = Deadline(DeadlineKind.EXTENSION_EXPIRY, in_force_until)
    else:
        deadline = Deadline(DeadlineKind.EMERGENCY_EXPIRY, in_force_until)
    return MeasureItem(
        measure=measure,
        deadline=deadline,
        countdown=deadline.countdown(now),
        in_force_until=in_force_until,
        missing_proposal=missing,
    )


def _plan_item(measure: PlanMeasure, now: datetime) -> PlanMeasureItem:
    deadline = deadlines.plan_measure_due(measure.deadline)
    return PlanMeasureItem(measure=measure, deadline=deadline, countdown=deadline.countdown(now))


def _first_across(queryset, municipalities, order: tuple[str, ...], limit: int = LIMIT) -> list:
    """The first ``limit`` rows of ``queryset`` in ``order`` over several municipalities: one branch per
    municipality (UNION ALL), so each walks its tenant-leading index in order and stops after a page,
    where a single ``municipality_id IN (...)`` scan would check every matching row before sorting."""
    ids = sorted(municipalities)
    if len(ids) <= 1:
        return list(queryset.order_by(*order)[:limit])
    branches = [queryset.filter(municipality_id=m).order_by(*order)[:limit] for m in ids]
    return list(branches[0].union(*branches[1:], all=True).order_by(*order)[:limit])


# The fields the page, the API and the audit read (the rows are otherwise wide: texts, versions).
CASE_REF = ("case__id", "case__municipality_id", "case__number")
MEASURE_FIELDS = (
    "id", "municipality_id", "case_id", "kind", "order_number", "ordered_by_id", "ordered_by__id", "ordered_by__name",
    "expires_at", "extension_proposal_due", "extension_proposed_at", "court_decision_due", "court_decision",
    "extended_until", *CASE_REF,
)
PLAN_FIELDS = (
    "id", "municipality_id", "case_id", "kind", "description", "owner_institution_id", "owner_institution__id",
    "owner_institution__name", "responsible_person", "deadline", "status", *CASE_REF,
)
REFERRAL_FIELDS = (
    "id", "municipality_id", "case_id", "from_institution_id", "to_institution_id", "to_municipality_id", "reason",
    "urgency", "status", "sent_at", "answered_at", "decline_reason", *CASE_REF,
)
STALE_FIELDS = (
    "id", "municipality_id", "number", "status", "last_activity_at", "is_restricted", "lead_institution_id",
    "lead_institution__id", "lead_institution__name",
)
REMINDER_FIELDS = (
    "id", "municipality_id", "case_id", "institution_id", "institution__id", "institution__name", "kind",
    "object_type", "object_id", "due_at", "stage", "read_at", *CASE_REF,
)


def work_queue_for(user, now: datetime | None = None, *, audit: bool = True) -> WorkQueue:
    """The grouped work queue of ``user`` at ``now``: expiring measures, overdue plan measures,
    referrals waiting for an answer (and recently answered ones), assigned cases without activity
    for 30 days, unread reminders. The cases shown are audited as read (one INSERT)."""
    now = now or timezone.now()
    queue = WorkQueue(now=now)
    access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
    if access is None or not user.is_active:
        return queue
    institutions = access.institution_ids(*CASE_ROLES)
    if not institutions:
        return queue
    municipalities = access.municipality_ids(*CASE_ROLES)
    today = timezone.localdate(now)
    horizon = now + MEASURE_HORIZON

    measures = (
        EmergencyMeasure.objects.visible_to(user)
        # Implied by each branch below (the measure is in force, or extended, after now): it walks the
        # emergency_mun_live index, which holds few live rows, instead of every measure ever ordered.
        .alias(live_until=Greatest("expires_at", "extended_until"))
        .filter(live_until__gt=now)
        .filter(
            Q(~Q(court_decision=CourtDecision.EXTENDED), expires_at__gt=now, expires_at__lte=horizon)
            | Q(court_decision=CourtDecision.EXTENDED, extended_until__gt=now, extended_until__lte=horizon)
            | Q(court_decision=CourtDecision.PENDING, extension_proposed_at__isnull=True, expires_at__gt=now)
        )
        .select_related("case", "ordered_by")
        .only(*MEASURE_FIELDS)
        .order_by("expires_at", "id")[:LIMIT]
    )
    queue.expiring_measures = sorted(
        (_measure_item(m, now) for m in measures), key=lambda item: (item.countdown.seconds, item.measure.pk)
    )

    # The status list is the condition of the planmeasure_open_due partial index.
    plan_measures = (
        PlanMeasure.objects.visible_to(user)
        .filter(
            owner_institution_id__in=institutions,
            status__in=OPEN_PLAN_MEASURE,
            deadline__lt=today,
            plan__is_active=True,
        )
        .select_related("case", "owner_institution")
        .only(*PLAN_FIELDS)
    )
    queue.overdue_plan_measures = [
        _plan_item(pm, now) for pm in _first_across(plan_measures, case_municipality_ids(access), ("deadline", "id"))
    ]

    # Addressed to the user's institution, possibly from another municipality: not visible through
    # the case until accepted, so matched on the receiving institution (and its municipality) only.
    queue.waiting_referrals = list(
        Referral.objects.filter(
            to_municipality_id__in=municipalities, to_institution_id__in=institutions, status=ReferralStatus.SENT
        )
        .select_related("case", "from_institution", "to_institution")
        .only(*REFERRAL_FIELDS, "from_institution__id", "from_institution__name", "from_institution__type",
              "to_institution__id", "to_institution__name")
        .order_by("sent_at", "id")[:LIMIT]
    )

    # The status list is the condition of the referral_from_answered partial index.
    queue.answered_referrals = list(
        Referral.objects.visible_to(user)
        .filter(
            from_institution_id__in=institutions,
            status__in=ANSWERED_REFERRAL,
            answered_at__gte=now - ANSWERED_RECENTLY,
        )
        .select_related("case", "to_institution")
        .only(*REFERRAL_FIELDS, "to_institution__id", "to_institution__name")
        .order_by("-answered_at", "-id")[:LIMIT]
    )

    # The user's own assignments, matched on (municipality, user, case): the assignment_mun_user_case index.
    assigned = CaseAssignment.objects.filter(
        municipality_id=OuterRef("municipality_id"), user_id=user.pk, case_id=OuterRef("pk"), ended_at__isnull=True
    )
    queue.stale_cases = list(
        Case.objects.visible_to(user)
        .filter(Exists(assigned), last_activity_at__lt=now - STALE_AFTER)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("lead_institution")
        .only(*STALE_FIELDS)
        .order_by("last_activity_at", "id")[:LIMIT]
    )

    queue.unread_reminders = list(
        Reminder.objects.visible_to(user)
        .filter(institution_id__in=institutions, read_at__isnull=True)
        .select_related("case", "institution")
        .only(*REMINDER_FIELDS)
        .order_by("due_at", "id")[:LIMIT]
    )
    queue.sections = hooks.collect_work_queue_sections(user, now)
    if audit:
        shown = {c.pk: c for c in queue.cases()}
        if shown:
            audit_many(action=AuditAction.VIEW, objects=list(shown.values()), actor=user, details={"view": "work_queue"})
    return queue
