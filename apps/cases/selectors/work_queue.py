"""The work queue of one person: what needs doing now, in a fixed number of queries.

Every list is built from ``visible_to(user)`` (or, for referrals addressed to the user's own
institutions that are not yet shared, from the institution match alone: the receiving side must
see what it is asked to accept) and is capped, so the page cost does not grow with the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from apps.core import fixed_sql
from apps.core.audit import audit_many
from apps.core.choices import AuditAction
from apps.institutions.models import Institution

from .. import deadlines, hooks, rules
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
from ..rules import CASE_ROLES, case_municipality_ids

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


# --- the statements ----------------------------------------------------------------------------------
#
# Each list first reads its candidate rows by its own cheap, index-friendly condition (institution,
# municipality, user, status, dates), then ONE statement tells which of all the candidates' cases
# the user may see (``visible_case_ids``: the rule of ``Case.objects.visible_to``) and the rows of
# the others are dropped. The texts never change (lists go as arrays), so they run as prepared
# statements (apps/core/fixed_sql.py): no ORM building and no planning on each request, which cost
# more than running them. A list that came back full and lost rows reads on after its last
# candidate (keyset) until it has LIMIT visible rows or runs out, so no visible item is ever
# missing; that costs two more statements and only happens when a full page held invisible cases.

_T = {
    "case": Case._meta.db_table,
    "measure": EmergencyMeasure._meta.db_table,
    "plan_measure": PlanMeasure._meta.db_table,
    "plan": PlanMeasure._meta.get_field("plan").related_model._meta.db_table,
    "referral": Referral._meta.db_table,
    "reminder": Reminder._meta.db_table,
    "assignment": CaseAssignment._meta.db_table,
    "institution": Institution._meta.db_table,
}


def _literals(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


# The measure is in force, or extended, after now (implied by each branch): the emergency_mun_live index.
MEASURES_SQL = f"""
SELECT m.id, m.municipality_id, m.case_id, m.kind, m.order_number, m.ordered_by_id, m.expires_at,
       m.extension_proposal_due, m.extension_proposed_at, m.court_decision_due, m.court_decision,
       m.extended_until, c.number, i.name, i.name_cyrl
FROM {_T["measure"]} m
JOIN {_T["case"]} c ON c.id = m.case_id
JOIN {_T["institution"]} i ON i.id = m.ordered_by_id
WHERE {rules.case_tenant_sql('m')}
  AND GREATEST(m.expires_at, m.extended_until) > %s
  AND ((m.court_decision <> '{CourtDecision.EXTENDED}' AND m.expires_at > %s AND m.expires_at <= %s)
       OR (m.court_decision = '{CourtDecision.EXTENDED}' AND m.extended_until > %s AND m.extended_until <= %s)
       OR (m.court_decision = '{CourtDecision.PENDING}' AND m.extension_proposed_at IS NULL AND m.expires_at > %s))
  AND (m.expires_at, m.id) > (%s, %s)
ORDER BY m.expires_at, m.id
LIMIT %s"""
MEASURE_ATTS = (
    "id", "municipality_id", "case_id", "kind", "order_number", "ordered_by_id", "expires_at",
    "extension_proposal_due", "extension_proposed_at", "court_decision_due", "court_decision", "extended_until",
)

# One ordered branch per (municipality, owner institution), each walking the planmeasure_open_due
# partial index (its status list is the index condition) and stopping after a page.
PLAN_MEASURES_SQL = f"""
SELECT pm.id, pm.municipality_id, pm.case_id, pm.kind, pm.description, pm.owner_institution_id,
       pm.responsible_person, pm.deadline, pm.status, c.number, i.name, i.name_cyrl
FROM unnest(%s::bigint[]) AS mun(id)
CROSS JOIN unnest(%s::bigint[]) AS own(id)
CROSS JOIN LATERAL (
    SELECT p.id, p.municipality_id, p.case_id, p.kind, p.description, p.owner_institution_id,
           p.responsible_person, p.deadline, p.status
    FROM {_T["plan_measure"]} p
    JOIN {_T["plan"]} pl ON pl.id = p.plan_id
    WHERE p.municipality_id = mun.id AND p.owner_institution_id = own.id
      AND p.status IN ({_literals(OPEN_PLAN_MEASURE)})
      AND p.deadline < %s AND pl.is_active
      AND (p.deadline, p.id) > (%s, %s)
    ORDER BY p.deadline, p.id
    LIMIT %s
) pm
JOIN {_T["case"]} c ON c.id = pm.case_id
JOIN {_T["institution"]} i ON i.id = pm.owner_institution_id
ORDER BY pm.deadline, pm.id
LIMIT %s"""
PLAN_ATTS = (
    "id", "municipality_id", "case_id", "kind", "description", "owner_institution_id", "responsible_person",
    "deadline", "status",
)

REFERRAL_COLUMNS = (
    "r.id, r.municipality_id, r.case_id, r.from_institution_id, r.to_institution_id, r.to_municipality_id,"
    " r.reason, r.urgency, r.status, r.sent_at, r.answered_at, r.decline_reason, c.number"
)
REFERRAL_ATTS = (
    "id", "municipality_id", "case_id", "from_institution_id", "to_institution_id", "to_municipality_id", "reason",
    "urgency", "status", "sent_at", "answered_at", "decline_reason",
)

# Addressed to the user's institution, possibly from another municipality: not visible through the
# case until accepted, so matched by ``rules.addressed_to`` (the referral inbox) only.
WAITING_SQL = f"""
SELECT {REFERRAL_COLUMNS}, fi.name, fi.type, ti.name, fi.name_cyrl, ti.name_cyrl
FROM {_T["referral"]} r
JOIN {_T["case"]} c ON c.id = r.case_id
JOIN {_T["institution"]} fi ON fi.id = r.from_institution_id
JOIN {_T["institution"]} ti ON ti.id = r.to_institution_id
WHERE {{addressed}}
  AND r.status = '{ReferralStatus.SENT}'
ORDER BY r.sent_at, r.id
LIMIT %s"""

# The status list is the condition of the referral_from_answered partial index.
ANSWERED_SQL = f"""
SELECT {REFERRAL_COLUMNS}, ti.name, ti.name_cyrl
FROM {_T["referral"]} r
JOIN {_T["case"]} c ON c.id = r.case_id
JOIN {_T["institution"]} ti ON ti.id = r.to_institution_id
WHERE {rules.case_tenant_sql('r')} AND r.from_institution_id = ANY(%s::bigint[])
  AND r.status IN ({_literals(ANSWERED_REFERRAL)}) AND r.answered_at >= %s
  AND (r.answered_at, r.id) < (%s, %s)
ORDER BY r.answered_at DESC, r.id DESC
LIMIT %s"""

# The user's own assignments, matched on (municipality, user, case): the assignment_mun_user_case index.
STALE_SQL = f"""
SELECT c.id, c.municipality_id, c.number, c.status, c.last_activity_at, c.is_restricted, c.lead_institution_id,
       i.name, i.name_cyrl
FROM {_T["case"]} c
JOIN {_T["institution"]} i ON i.id = c.lead_institution_id
WHERE c.id IN (SELECT a.case_id FROM {_T["assignment"]} a
               WHERE {rules.case_tenant_sql('a')} AND a.user_id = %s AND a.ended_at IS NULL)
  AND {rules.case_tenant_sql('c')}
  AND c.last_activity_at < %s AND c.status <> '{CaseStatus.CLOSED}'
  AND (c.last_activity_at, c.id) > (%s, %s)
ORDER BY c.last_activity_at, c.id
LIMIT %s"""
STALE_ATTS = ("id", "municipality_id", "number", "status", "last_activity_at", "is_restricted", "lead_institution_id")

REMINDERS_SQL = f"""
SELECT r.id, r.municipality_id, r.case_id, r.institution_id, r.kind, r.object_type, r.object_id, r.due_at,
       r.stage, r.read_at, c.number, i.name, i.name_cyrl
FROM {_T["reminder"]} r
JOIN {_T["case"]} c ON c.id = r.case_id
JOIN {_T["institution"]} i ON i.id = r.institution_id
WHERE {rules.case_tenant_sql('r')} AND r.institution_id = ANY(%s::bigint[]) AND r.read_at IS NULL
  AND (r.due_at, r.id) > (%s, %s)
ORDER BY r.due_at, r.id
LIMIT %s"""
REMINDER_ATTS = ("id", "municipality_id", "case_id", "institution_id", "kind", "object_type", "object_id", "due_at",
                 "stage", "read_at")

EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def visible_case_ids(user, case_ids) -> set[int]:
    """Which of ``case_ids`` ``user`` may see: the rule of ``Case.objects.visible_to(user)``
    (``rules.visible``: listed or granted) as one fixed statement over the given ids."""
    ids = sorted(set(case_ids))
    access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
    if not ids or access is None or not getattr(user, "is_active", False):
        return set()
    condition, params = rules.visible(access, "c")
    sql = f"SELECT c.id FROM {Case._meta.db_table} c WHERE c.id = ANY(%s::bigint[]) AND {condition}"
    return {row[0] for row in fixed_sql.fetchall(sql, [ids, *params])}


row_builder = fixed_sql.model_builder
_new_case = row_builder(Case, ("id", "municipality_id", "number"))
_new_institution = row_builder(Institution, ("id", "name", "name_cyrl"))
_new_typed_institution = row_builder(Institution, ("id", "name", "name_cyrl", "type"))


def _case(case_id, municipality_id, number) -> Case:
    return _new_case((case_id, municipality_id, number))


def _institution(pk, name, name_cyrl, kind=None) -> Institution:
    if kind is None:
        return _new_institution((pk, name, name_cyrl))
    return _new_typed_institution((pk, name, name_cyrl, kind))


_NEW = {
    "MEASURE_ATTS": row_builder(EmergencyMeasure, MEASURE_ATTS),
    "PLAN_ATTS": row_builder(PlanMeasure, PLAN_ATTS),
    "REFERRAL_ATTS": row_builder(Referral, REFERRAL_ATTS),
    "STALE_ATTS": row_builder(Case, STALE_ATTS),
    "REMINDER_ATTS": row_builder(Reminder, REMINDER_ATTS),
}


def _with(obj, **related):
    cache = obj._state.fields_cache
    for name, value in related.items():
        cache[name] = value
    return obj


def _batch() -> int:
    """Candidates read at a time: twice the page, so that a few invisible cases among a full page
    (a restricted case of the user's institution) do not cost a second read."""
    return 2 * LIMIT


class _Pager:
    """One list: its statement, its parameters around the keyset, and the visible rows kept so far."""

    def __init__(self, sql, before, after, start, key, case_index):
        self.sql, self.before, self.after, self.next_key = sql, before, after, start
        self.key, self.case_index = key, case_index
        self.candidates: list = []
        self.kept: list = []
        self.done = False

    def fetch(self):
        rows = fixed_sql.fetchall(self.sql, [*self.before, *self.next_key, *self.after()])
        self.candidates = rows
        if len(rows) < _batch():
            self.done = True
        else:
            self.next_key = self.key(rows[-1])
        return rows

    def keep(self, visible: set[int]):
        for row in self.candidates:
            if row[self.case_index] in visible:
                self.kept.append(row)
                if len(self.kept) == LIMIT:
                    self.done = True
                    break
        self.candidates = []


def _read_visible(user, pagers: list[_Pager], extra_case_ids=()) -> None:
    """Read every list's first candidates, check their cases in one statement, read on where needed."""
    for pager in pagers:
        pager.fetch()
    checked: set[int] = set()
    visible: set[int] = set()
    wanted = {row[p.case_index] for p in pagers for row in p.candidates} | set(extra_case_ids)
    while True:
        fresh = wanted - checked
        if fresh:
            visible |= visible_case_ids(user, fresh)
            checked |= fresh
        for pager in pagers:
            pager.keep(visible)
        behind = [p for p in pagers if not p.done]
        if not behind:
            return
        wanted = set()
        for pager in behind:
            wanted |= {row[pager.case_index] for row in pager.fetch()}


def work_queue_for(user, now: datetime | None = None, *, audit: bool = True) -> WorkQueue:
    """The grouped work queue of ``user`` at ``now``: expiring measures, overdue plan measures,
    referrals waiting for an answer (and recently answered ones), assigned cases without activity
    for 30 days, unread reminders. The cases shown are audited as read (one INSERT)."""
    now = now or timezone.now()
    queue = WorkQueue(now=now)
    access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
    if access is None or not user.is_active:
        return queue
    institutions = sorted(access.institution_ids(*CASE_ROLES))
    if not institutions:
        return queue
    case_municipalities = sorted(case_municipality_ids(access))
    today = timezone.localdate(now)
    horizon = now + MEASURE_HORIZON

    def limit():
        return [_batch()]

    measures = _Pager(
        MEASURES_SQL, [case_municipalities, now, now, horizon, now, horizon, now], limit, (EARLIEST, 0),
        lambda row: (row[6], row[0]), 2,
    )
    plan_measures = _Pager(
        PLAN_MEASURES_SQL, [case_municipalities, institutions, today], lambda: [_batch(), _batch()],
        (date(1, 1, 2), 0), lambda row: (row[7], row[0]), 2,
    )
    answered = _Pager(
        ANSWERED_SQL, [case_municipalities, institutions, now - ANSWERED_RECENTLY], limit, (LATEST, 0),
        lambda row: (row[10], row[0]), 2,
    )
    stale = _Pager(
        STALE_SQL, [case_municipalities, user.pk, case_municipalities, now - STALE_AFTER], limit, (EARLIEST, 0),
        lambda row: (row[4], row[0]), 0,
    )
    reminders = _Pager(
        REMINDERS_SQL, [case_municipalities, institutions], limit, (EARLIEST, 0), lambda row: (row[7], row[0]), 2,
    )
    _read_visible(user, [measures, plan_measures, answered, stale, reminders])

    items = []
    for row in measures.kept:
        measure = _NEW['MEASURE_ATTS'](row[:12])
        _with(measure, case=_case(row[2], row[1], row[12]), ordered_by=_institution(row[5], row[13], row[14]))
        items.append(_measure_item(measure, now))
    items.sort(key=lambda item: (item.countdown.seconds, item.measure.pk))
    queue.expiring_measures = items

    plans = []
    for row in plan_measures.kept:
        pm = _NEW['PLAN_ATTS'](row[:9])
        _with(pm, case=_case(row[2], row[1], row[9]), owner_institution=_institution(row[5], row[10], row[11]))
        plans.append(_plan_item(pm, now))
    queue.overdue_plan_measures = plans

    waiting = []
    addressed, addressed_params = rules.addressed_to(access, "r", fixed=True)
    for row in fixed_sql.fetchall(WAITING_SQL.format(addressed=addressed), [*addressed_params, LIMIT]):
        referral = _NEW['REFERRAL_ATTS'](row[:12])
        waiting.append(_with(
            referral, case=_case(row[2], row[1], row[12]), from_institution=_institution(row[3], row[13], row[16], row[14]),
            to_institution=_institution(row[4], row[15], row[17]),
        ))
    queue.waiting_referrals = waiting

    answered_referrals = []
    for row in answered.kept:
        referral = _NEW['REFERRAL_ATTS'](row[:12])
        answered_referrals.append(_with(
            referral, case=_case(row[2], row[1], row[12]), to_institution=_institution(row[4], row[13], row[14]),
        ))
    queue.answered_referrals = answered_referrals

    queue.stale_cases = [
        _with(_NEW['STALE_ATTS'](row[:7]), lead_institution=_institution(row[6], row[7], row[8]))
        for row in stale.kept
    ]
    queue.unread_reminders = [
        _with(_NEW['REMINDER_ATTS'](row[:10]), case=_case(row[2], row[1], row[10]),
              institution=_institution(row[3], row[11], row[12]))
        for row in reminders.kept
    ]
    queue.sections = hooks.collect_work_queue_sections(user, now)
    if audit:
        shown = {c.pk: c for c in queue.cases()}
        if shown:
            audit_many(action=AuditAction.VIEW, objects=list(shown.values()), actor=user, details={"view": "work_queue"})
    return queue
