"""Deadline reminders: one in-app Reminder per object, deadline, stage and responsible institution,
and one e-mail per person per run listing their new items (case numbers, deadlines and links only:
never a victim's or anyone's personal data)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Membership
from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction, Role
from apps.institutions.choices import InstitutionType

from .. import deadlines
from ..choices import CaseStatus, CourtDecision, PlanMeasureStatus
from ..deadlines import DeadlineKind
from ..models import (
    CaseAssignment,
    CaseParticipant,
    EmergencyMeasure,
    PlanMeasure,
    ProtectiveMeasure,
    Reminder,
)
from ..querysets import CASE_ROLES

BEFORE = "before"
OVERDUE = "overdue"
EMERGENCY_WARNING = timedelta(hours=12)
PLAN_WARNING_DAYS = 2
PROTECTIVE_WARNING_DAYS = 14
# Overdue items older than this are not looked for again (each is reminded once anyway).
OVERDUE_LOOKBACK = timedelta(days=7)
PLAN_OVERDUE_LOOKBACK_DAYS = 90
# Who receives the e-mails of an institution.
RECIPIENT_ROLES = (Role.CASEWORKER, Role.COORDINATOR)
# One advisory lock so that two beat runs never remind (and e-mail) the same item twice.
ADVISORY_LOCK = 7_301_012

KIND_LABELS = {
    DeadlineKind.EMERGENCY_EXPIRY: _("Emergency measure expires"),
    DeadlineKind.EXTENSION_PROPOSAL: _("Prosecutor's extension proposal"),
    DeadlineKind.COURT_DECISION: _("Court decision on the extension"),
    DeadlineKind.EXTENSION_EXPIRY: _("Extended emergency measure expires"),
    DeadlineKind.APPEAL: _("Appeal"),
    DeadlineKind.PROTECTIVE_EXPIRY: _("Protective measure expires"),
    DeadlineKind.PLAN_MEASURE: _("Plan measure"),
}
STAGE_LABELS = {BEFORE: _("due soon"), OVERDUE: _("overdue")}

EMERGENCY_TYPE = EmergencyMeasure._meta.label_lower
PLAN_MEASURE_TYPE = PlanMeasure._meta.label_lower
PROTECTIVE_TYPE = ProtectiveMeasure._meta.label_lower


@dataclass(frozen=True)
class Due:
    """One deadline that needs a reminder, for one responsible institution."""

    municipality_id: int
    case_id: int
    case_number: str
    is_restricted: bool
    institution_id: int
    kind: str
    object_type: str
    object_id: int
    due_at: datetime
    stage: str

    @property
    def key(self) -> tuple:
        return (self.object_type, self.object_id, self.kind, self.stage, self.institution_id)


@dataclass
class ReminderRun:
    """What one run did."""

    reminders_created: int = 0
    emails_queued: int = 0
    recipients: list[int] = field(default_factory=list)


def case_url(case_id: int) -> str:
    """The absolute link to a case page (the case views name their detail route ``cases:detail``)."""
    for name in ("cases:detail", "cases:case_detail"):
        try:
            path = reverse(name, kwargs={"pk": case_id})
            break
        except NoReverseMatch:
            continue
    else:
        path = f"/cases/{case_id}/"
    return settings.SITE_URL.rstrip("/") + path


def _emergency_dues(now: datetime) -> list[tuple]:
    """(measure, kind, due_at, stage, extra institution types) for emergency measures."""
    soon = now + EMERGENCY_WARNING
    rows = (
        EmergencyMeasure.objects.filter(
            Q(expires_at__gt=now, expires_at__lte=soon) & ~Q(court_decision=CourtDecision.EXTENDED)
            | Q(court_decision=CourtDecision.EXTENDED, extended_until__gt=now, extended_until__lte=soon)
            | Q(
                court_decision=CourtDecision.PENDING,
                extension_proposed_at__isnull=True,
                extension_proposal_due__lte=now,
                expires_at__gt=now,
            )
            | Q(
                court_decision=CourtDecision.PENDING,
                court_decision_due__lte=now,
                court_decision_due__gt=now - OVERDUE_LOOKBACK,
            )
        )
        .select_related("case")
        .order_by("id")
    )
    found = []
    for m in rows:
        if m.court_decision == CourtDecision.EXTENDED:
            if m.extended_until and now < m.extended_until <= soon:
                found.append((m, DeadlineKind.EXTENSION_EXPIRY, m.extended_until, BEFORE, ()))
            continue
        if now < m.expires_at <= soon:
            found.append((m, DeadlineKind.EMERGENCY_EXPIRY, m.expires_at, BEFORE, ()))
        if m.court_decision != CourtDecision.PENDING:
            continue
        if m.extension_proposed_at is None and m.extension_proposal_due <= now < m.expires_at:
            found.append((m, DeadlineKind.EXTENSION_PROPOSAL, m.extension_proposal_due, OVERDUE, (InstitutionType.PROSECUTOR,)))
        if m.court_decision_due and now - OVERDUE_LOOKBACK < m.court_decision_due <= now:
            found.append(
                (m, DeadlineKind.COURT_DECISION, m.court_decision_due, OVERDUE, (InstitutionType.BASIC_COURT, InstitutionType.PROSECUTOR))
            )
    return found


def collect_due(now: datetime) -> list[Due]:
    """Every (deadline, stage, responsible institution) that should have a reminder at ``now``."""
    today = timezone.localdate(now)
    dues: list[Due] = []

    emergency = _emergency_dues(now)
    wanted_types = {t for *_rest, types in emergency for t in types}
    team: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    if wanted_types:
        for case_id, institution_id, kind in CaseParticipant.objects.filter(
            case_id__in={m.case_id for m, *_rest in emergency},
            ended_at__isnull=True,
            institution__type__in=wanted_types,
        ).values_list("case_id", "institution_id", "institution__type"):
            team[case_id][kind].add(institution_id)
    for m, kind, due_at, stage, types in emergency:
        institutions = {m.case.lead_institution_id, m.ordered_by_id}
        for t in types:
            institutions |= team[m.case_id][t]
        for institution_id in sorted(institutions):
            dues.append(
                Due(m.municipality_id, m.case_id, m.case.number, m.case.is_restricted, institution_id, kind,
                    EMERGENCY_TYPE, m.pk, due_at, stage)
            )

    plan_rows = (
        PlanMeasure.objects.filter(
            status__in=(PlanMeasureStatus.PLANNED, PlanMeasureStatus.IN_PROGRESS),
            plan__is_active=True,
            deadline__lte=today + timedelta(days=PLAN_WARNING_DAYS),
            deadline__gte=today - timedelta(days=PLAN_OVERDUE_LOOKBACK_DAYS),
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .select_related("case")
        .order_by("id")
    )
    for pm in plan_rows:
        stage = BEFORE if pm.deadline >= today else OVERDUE
        dues.append(
            Due(pm.municipality_id, pm.case_id, pm.case.number, pm.case.is_restricted, pm.owner_institution_id,
                DeadlineKind.PLAN_MEASURE, PLAN_MEASURE_TYPE, pm.pk, deadlines.plan_measure_due(pm.deadline).due, stage)
        )

    protective_rows = (
        ProtectiveMeasure.objects.filter(
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=PROTECTIVE_WARNING_DAYS),
            renewals__isnull=True,
        )
        .select_related("case")
        .order_by("id")
    )
    for pm in protective_rows:
        dues.append(
            Due(pm.municipality_id, pm.case_id, pm.case.number, pm.case.is_restricted, pm.case.lead_institution_id,
                DeadlineKind.PROTECTIVE_EXPIRY, PROTECTIVE_TYPE, pm.pk, deadlines.protective_expiry(pm.valid_until).due,
                BEFORE)
        )
    return dues


def recipient_staff(institution_ids) -> dict[int, list]:
    """{institution_id: [user]}: the active caseworkers and coordinators with an e-mail address who
    receive reminders for those institutions (one query)."""
    staff: dict[int, list] = defaultdict(list)
    for membership in (
        Membership.objects.filter(
            institution_id__in=institution_ids, is_active=True, role__in=RECIPIENT_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    ):
        staff[membership.institution_id].append(membership.user)
    return staff


def assigned_staff(case_ids) -> set[tuple[int, int]]:
    """{(case_id, user_id)} of the current assignments on those cases (restricted cases reach only these)."""
    if not case_ids:
        return set()
    return set(CaseAssignment.objects.filter(case_id__in=case_ids, ended_at__isnull=True).values_list("case_id", "user_id"))


def _recipients(new: list[Due]) -> dict[int, tuple[object, list[Due]]]:
    """{user_id: (user, items)}: active caseworkers and coordinators of each responsible institution;
    for a restricted case only those of them assigned to it."""
    staff = recipient_staff({d.institution_id for d in new})
    assigned = assigned_staff({d.case_id for d in new if d.is_restricted})
    result: dict[int, tuple[object, list[Due]]] = {}
    for due in new:
        for user in staff.get(due.institution_id, ()):
            if due.is_restricted and (due.case_id, user.pk) not in assigned:
                continue
            user_entry, items = result.setdefault(user.pk, (user, []))
            # A person in two responsible institutions gets each item once.
            if not any(d.key[:4] == due.key[:4] for d in items):
                items.append(due)
    return result


def render_reminder_email(user, template: str, line, items: list) -> tuple[str, str]:
    """Subject and body of one person's reminder e-mail in their language: ``template`` names the
    pair ``<template>_subject.txt`` / ``<template>.txt``; ``line(item)`` gives each item's context
    (case numbers and links only, never names)."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        lines = [line(item) for item in items]
        context = {"items": lines, "count": len(lines), "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def reminder_email(user, items: list[Due]) -> tuple[str, str]:
    """Subject and body of one person's deadline reminder e-mail, in their language."""
    return render_reminder_email(
        user,
        "cases/email/deadline_reminders",
        lambda d: {
            "case_number": d.case_number,
            "what": KIND_LABELS.get(d.kind, d.kind),
            "stage": STAGE_LABELS.get(d.stage, d.stage),
            "overdue": d.stage == OVERDUE,
            "due_at": d.due_at,
            "url": case_url(d.case_id),
        },
        sorted(items, key=lambda d: (d.due_at, d.case_number)),
    )


@transaction.atomic
def deadline_reminders_send(*, now: datetime | None = None) -> ReminderRun:
    """Create the reminders that are due now (once per object, deadline, stage and institution) and
    queue one e-mail per person listing their new items. Safe to run as often as wanted."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
    dues = collect_due(now)
    run = ReminderRun()
    if not dues:
        return run
    by_type: dict[str, set[int]] = defaultdict(set)
    for d in dues:
        by_type[d.object_type].add(d.object_id)
    existing_filter = Q()
    for object_type, ids in by_type.items():
        existing_filter |= Q(object_type=object_type, object_id__in=ids)
    existing = set(
        Reminder.objects.filter(existing_filter).values_list("object_type", "object_id", "kind", "stage", "institution_id")
    )
    new = [d for d in dict.fromkeys(dues) if d.key not in existing]
    if not new:
        return run
    Reminder.objects.bulk_create(
        [
            Reminder(
                municipality_id=d.municipality_id,
                case_id=d.case_id,
                institution_id=d.institution_id,
                kind=d.kind,
                object_type=d.object_type,
                object_id=d.object_id,
                due_at=d.due_at,
                stage=d.stage,
                sent_at=now,
            )
            for d in new
        ],
        ignore_conflicts=True,
    )
    run.reminders_created = len(new)
    for user_id, (user, items) in sorted(_recipients(new).items()):
        subject, body = reminder_email(user, items)
        # Recorded with the reminders in one transaction: both or neither.
        outbox.send_email(subject=subject, body=body, to=[user.email], kind="cases.deadline_reminder")
        run.emails_queued += 1
        run.recipients.append(user_id)
    audit_log(
        action=AuditAction.CREATE,
        object_type=Reminder._meta.label_lower,
        details={"reminders": run.reminders_created, "emails": run.emails_queued},
    )
    return run


@transaction.atomic
def reminder_mark_read(*, user, reminder: Reminder, now: datetime | None = None) -> Reminder:
    """Mark an in-app reminder of one of the user's institutions as read."""
    now = now or timezone.now()
    found = (
        Reminder.objects.visible_to(user)
        .filter(pk=reminder.pk, institution_id__in=user.access.institution_ids(*CASE_ROLES))
        .select_for_update(of=("self",))
        .first()
    )
    if found is None:
        raise Http404
    if found.read_at is None:
        found.read_at = now
        found.save(update_fields=["read_at", "updated_at"])
        audit_log(action=AuditAction.UPDATE, actor=user, obj=found, details={"fields": ["read_at"]})
    return found
