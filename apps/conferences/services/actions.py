"""Action items decided at a meeting: created with the minutes, completed by their owners, reminded
before and after the due date (in-app ``Reminder`` rows of the cases app and one e-mail per person
per run, with case numbers and links only, never anyone's name)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Membership, User
from apps.cases import deadlines
from apps.cases.models import Reminder
from apps.cases.querysets import CASE_ROLES
from apps.cases.services.reminders import assigned_staff, recipient_staff, render_reminder_email
from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.institutions.models import Institution

from ..choices import ActionStatus
from ..models import ActionItem, AgendaItem, Meeting
from .agenda import meeting_municipality_ids
from .minutes import ensure_draft, minutes_for, run_meeting

REMINDER_KIND = "action_item"
OBJECT_TYPE = ActionItem._meta.label_lower  # "conferences.actionitem"
BEFORE, OVERDUE = "before", "overdue"
WARNING_DAYS = 2
OVERDUE_LOOKBACK_DAYS = 90
ADVISORY_LOCK = 7_301_031


def owner_choices(meeting: Meeting, case_municipality_id: int):
    """Institutions that may own an action: those of the case's and the meeting's municipalities."""
    ids = set(meeting_municipality_ids(meeting)) | {case_municipality_id}
    return Institution.objects.filter(municipality_id__in=ids, is_active=True).order_by("name")


def owner_staff(institution: Institution):
    """People who may be responsible for an action of ``institution``: its active case staff (an
    institution admin or official there could not open the item)."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(institution=institution, is_active=True, role__in=CASE_ROLES).values("user_id"),
    )


@transaction.atomic
def action_item_create(
    *,
    user,
    agenda_item: AgendaItem,
    description: str,
    owner_institution: Institution | None,
    due_on: date | None,
    responsible=None,
    today: date | None = None,
) -> ActionItem:
    """Add an action item to a case's part of draft minutes: what, which institution, who, by when."""
    meeting = run_meeting(user, agenda_item.meeting_id)
    item = AgendaItem.objects.filter(pk=agenda_item.pk, meeting=meeting).select_related("case").first()
    if item is None:
        raise Http404("No agenda item matches the given query.")
    ensure_draft(minutes_for(meeting))
    today = today or timezone.localdate()
    errors: dict[str, list] = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe the action.")]
    if owner_institution is None:
        errors["owner_institution"] = [_("Choose the institution that owns the action.")]
    elif not owner_choices(meeting, item.case.municipality_id).filter(pk=owner_institution.pk).exists():
        errors["owner_institution"] = [_("Choose an institution of this meeting's municipalities.")]
    if due_on is None:
        errors["due_on"] = [_("Give the due date.")]
    elif due_on < today:
        errors["due_on"] = [_("The due date cannot be in the past.")]
    if responsible is not None and owner_institution is not None and not owner_staff(owner_institution).filter(
        pk=responsible.pk
    ).exists():
        errors["responsible"] = [_("The responsible person must work at the owner institution.")]
    if errors:
        raise ValidationError(errors)
    action = ActionItem(
        municipality_id=item.case.municipality_id,
        meeting=meeting,
        agenda_item=item,
        case=item.case,
        description=description,
        owner_institution=owner_institution,
        responsible=responsible,
        due_on=due_on,
        created_by=user,
    )
    action.full_clean()
    action.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=action, details={"case": item.case_id, "meeting": meeting.pk})
    return action


def may_complete(user, action: ActionItem) -> bool:
    """Staff of the owner institution, the responsible person and whoever runs the meeting."""
    access = user.access
    if action.responsible_id == user.pk or action.owner_institution_id in access.institution_ids(*CASE_ROLES):
        return True
    return Meeting.objects.visible_to(user, "change").filter(pk=action.meeting_id).exists()


@transaction.atomic
def action_item_complete(*, user, action: ActionItem, note: str, now: datetime | None = None) -> ActionItem:
    """Report an action item done, with a note on what was done."""
    now = now or timezone.now()
    found = (
        ActionItem.objects.visible_to(user, "change").select_for_update(of=("self",)).filter(pk=action.pk).first()
    )
    if found is None:
        raise Http404("No action item matches the given query.")
    if not may_complete(user, found):
        raise PermissionDenied(_("Only the owner institution's staff report this action done."))
    if found.status != ActionStatus.OPEN:
        raise ValidationError({"status": _("This action item is no longer open.")}, code="not_open")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"completion_note": _("Say briefly what was done.")}, code="required")
    found.status = ActionStatus.DONE
    found.completed_at = now
    found.completed_by = user
    found.completion_note = note
    found.version += 1
    found.full_clean()
    found.save()
    audit_log(action=AuditAction.UPDATE, actor=user, obj=found, details={"fields": ["status"], "case": found.case_id})
    return found


@transaction.atomic
def action_item_cancel(*, user, action: ActionItem, note: str) -> ActionItem:
    """Cancel an open action item (those who run the meeting), with the reason."""
    found = ActionItem.objects.select_for_update(of=("self",)).filter(
        pk=action.pk, meeting_id__in=Meeting.objects.visible_to(user, "change").values("pk")
    ).first()
    if found is None:
        raise Http404("No action item matches the given query.")
    if found.status != ActionStatus.OPEN:
        raise ValidationError({"status": _("This action item is no longer open.")}, code="not_open")
    if not (note or "").strip():
        raise ValidationError({"completion_note": _("Give the reason for cancelling.")}, code="required")
    found.status = ActionStatus.CANCELLED
    found.completed_at = timezone.now()
    found.completed_by = user
    found.completion_note = note.strip()
    found.version += 1
    found.save()
    audit_log(action=AuditAction.UPDATE, actor=user, obj=found, details={"fields": ["status"], "case": found.case_id})
    return found


# --- reminders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDue:
    """One action item that needs a reminder now."""

    action_id: int
    municipality_id: int
    case_id: int
    case_number: str
    is_restricted: bool
    institution_id: int
    responsible_id: int | None
    due_on: date
    due_at: datetime
    stage: str


@dataclass
class ActionReminderRun:
    """What one run did."""

    reminders_created: int = 0
    emails_queued: int = 0
    recipients: list[int] = field(default_factory=list)


def collect_action_dues(now: datetime) -> list[ActionDue]:
    """Open action items due within two days (before) or overdue (up to 90 days back)."""
    today = timezone.localdate(now)
    rows = (
        ActionItem.objects.filter(
            status=ActionStatus.OPEN,
            due_on__lte=today + timedelta(days=WARNING_DAYS),
            due_on__gte=today - timedelta(days=OVERDUE_LOOKBACK_DAYS),
        )
        .select_related("case")
        .order_by("due_on", "id")
    )
    result = []
    for a in rows:
        result.append(
            ActionDue(
                action_id=a.pk, municipality_id=a.municipality_id, case_id=a.case_id, case_number=a.case.number,
                is_restricted=a.case.is_restricted, institution_id=a.owner_institution_id,
                responsible_id=a.responsible_id, due_on=a.due_on, due_at=deadlines.end_of_day(a.due_on),
                stage=BEFORE if a.due_on >= today else OVERDUE,
            )
        )
    return result


def _recipients(new: list[ActionDue]) -> dict[int, tuple[object, list[ActionDue]]]:
    """The responsible person when named, else the owner institution's caseworkers and coordinators
    (for a restricted case only those assigned to it)."""
    staff = recipient_staff({d.institution_id for d in new if d.responsible_id is None})
    named = {u.pk: u for u in User.objects.filter(pk__in={d.responsible_id for d in new if d.responsible_id}, is_active=True).exclude(email="")}
    assigned = assigned_staff({d.case_id for d in new if d.is_restricted})
    result: dict[int, tuple[object, list[ActionDue]]] = {}
    for due in new:
        people = [named[due.responsible_id]] if due.responsible_id in named else staff.get(due.institution_id, [])
        for user in people:
            if due.is_restricted and due.responsible_id != user.pk and (due.case_id, user.pk) not in assigned:
                continue
            result.setdefault(user.pk, (user, []))[1].append(due)
    return result


def action_url(action_id: int) -> str:
    """The absolute link to the action item's page."""
    return settings.SITE_URL.rstrip("/") + reverse("conferences:action_detail", kwargs={"pk": action_id})


def action_reminder_email(user, items: list[ActionDue]) -> tuple[str, str]:
    """Subject and body of one person's action-item reminder, in their language (case numbers only)."""
    return render_reminder_email(
        user,
        "conferences/emails/action_reminders",
        lambda d: {
            "case_number": d.case_number,
            "overdue": d.stage == OVERDUE,
            "due_on": d.due_on,
            "url": action_url(d.action_id),
        },
        sorted(items, key=lambda d: (d.due_on, d.case_number)),
    )


@transaction.atomic
def action_reminders_send(*, now: datetime | None = None) -> ActionReminderRun:
    """Create the action-item reminders due now (once per item, stage and institution) and record one
    e-mail per person in the outbox, in the same transaction. Safe to run as often as wanted."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
    run = ActionReminderRun()
    dues = collect_action_dues(now)
    if not dues:
        return run
    existing = set(
        Reminder.objects.filter(
            object_type=OBJECT_TYPE, kind=REMINDER_KIND, object_id__in=[d.action_id for d in dues]
        ).values_list("object_id", "stage", "institution_id")
    )
    new = [d for d in dues if (d.action_id, d.stage, d.institution_id) not in existing]
    if not new:
        return run
    Reminder.objects.bulk_create(
        [
            Reminder(
                municipality_id=d.municipality_id, case_id=d.case_id, institution_id=d.institution_id,
                kind=REMINDER_KIND, object_type=OBJECT_TYPE, object_id=d.action_id, due_at=d.due_at,
                stage=d.stage, sent_at=now,
            )
            for d in new
        ],
        ignore_conflicts=True,
    )
    run.reminders_created = len(new)
    for user_id, (user, items) in sorted(_recipients(new).items()):
        subject, body = action_reminder_email(user, items)
        outbox.send_email(subject=subject, body=body, to=[user.email], kind="conferences.action_reminder")
        run.emails_queued += 1
        run.recipients.append(user_id)
    audit_log(
        action=AuditAction.CREATE,
        object_type=Reminder._meta.label_lower,
        details={"action_reminders": run.reminders_created, "emails": run.emails_queued},
    )
    return run


__all__ = [
    "action_item_cancel",
    "action_item_complete",
    "action_item_create",
    "action_reminders_send",
    "collect_action_dues",
    "may_complete",
    "owner_choices",
    "owner_staff",
]
